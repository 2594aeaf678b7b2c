/// What one address did over a period, as the store adds it up.
public struct AddressActivity: Sendable, Equatable {
    public var address: String
    public var submitted = 0
    public var received = 0
    public var imapLogins = 0
    public var pop3Logins = 0
    public var submissionLogins = 0
    public var failedLogins = 0
    /// Distinct correspondents, by their class.
    public var officialCorrespondents = 0
    public var webmailCorrespondents = 0
    public var otherCorrespondents = 0
    /// First and last activity, UTC seconds.
    public var firstSeen: Int64
    public var lastSeen: Int64

    public init(address: String, firstSeen: Int64, lastSeen: Int64) {
        self.address = address
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
