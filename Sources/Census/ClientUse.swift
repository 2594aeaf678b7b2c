/// How a login reached the mailbox, as the ingest recorded it. The client's class (webmail,
/// desktop, phone, …) is decided when a report reads it (`ClientClassTable`), so that a policy's
/// `client_classes` applies to every day already stored.
public enum LoginOrigin: Int, Sendable, CaseIterable, Codable {
    /// An IMAP login from anywhere but the webmail's hosts; its client is the name (and system)
    /// it gave in IMAP's `ID` command, when Dovecot logged one.
    case imap = 0
    /// A POP3 login.
    case pop3 = 1
    /// A line of the webmail's own login log (Roundcube's `userlogins.log`): one per person
    /// logging in.
    case webmail = 2
    /// An IMAP login from one of the policy's `webmail_hosts`: the webmail opening the mailbox on
    /// a person's behalf (Roundcube opens one for each page it shows, so these are not logins of
    /// people where the webmail's own log is there to count those).
    case webmailHost = 3
}

/// Logins of one address on one day through one origin and one client, as stored.
public struct ClientLogins: Sendable, Equatable {
    public var day: Int32
    /// Index into the addresses it comes with (`ClientData.addresses`).
    public var address: Int32
    public var origin: LoginOrigin
    /// The name the client gave in IMAP's `ID`; "" when none was logged.
    public var clientName: String
    /// The system the client gave in IMAP's `ID` (`os`); "" when none was logged.
    public var clientOS: String
    /// Successful logins.
    public var logins: Int32
    /// Failed attempts.
    public var failed: Int32
    /// The last login or attempt of the day, UTC seconds.
    public var lastSeen: Int64

    public init(
        day: Int32, address: Int32, origin: LoginOrigin, clientName: String = "", clientOS: String = "",
        logins: Int32, failed: Int32, lastSeen: Int64
    ) {
        self.day = day
        self.address = address
        self.origin = origin
        self.clientName = clientName
        self.clientOS = clientOS
        self.logins = logins
        self.failed = failed
        self.lastSeen = lastSeen
    }
}

/// Which evidence of clients the logs of one day held.
public struct ClientEvidence: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Dovecot logged the `ID` of at least one IMAP client (`imap_id_log`).
    public static let clientIDs = ClientEvidence(rawValue: 1)
    /// Lines of the webmail's own login log.
    public static let webmailLog = ClientEvidence(rawValue: 2)
    /// IMAP logins from the policy's `webmail_hosts`.
    public static let webmailHosts = ClientEvidence(rawValue: 4)
}

/// What the store holds about clients over some days, for the sources read, merged: the input
/// of the client census and of `activity`'s per-class columns.
public struct ClientData: Sendable, Equatable {
    public var addresses: [String]
    public var logins: [ClientLogins]
    /// The evidence each day's logs held (days with none are left out).
    public var evidence: [Int32: ClientEvidence]

    public init(addresses: [String] = [], logins: [ClientLogins] = [], evidence: [Int32: ClientEvidence] = [:]) {
        self.addresses = addresses
        self.logins = logins
        self.evidence = evidence
    }
}
