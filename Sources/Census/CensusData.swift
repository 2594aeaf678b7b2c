/// What the census reads from the store for a span of days: daily activity per address,
/// messages per pair of addresses, forwards, display names, and when each address was last
/// active.
///
/// Addresses are numbered (`addresses[index]`) so that the census works on integers; days are
/// day numbers on the mail server's calendar.
public struct CensusData: Sendable {
    /// One address's counters on one day.
    public struct Activity: Sendable, Equatable {
        public var day: Int32
        public var address: Int32
        public var submitted: Int32
        public var received: Int32
        public var logins: Int32
        public var failedLogins: Int32

        public init(day: Int32, address: Int32, submitted: Int32, received: Int32, logins: Int32, failedLogins: Int32) {
            self.day = day
            self.address = address
            self.submitted = submitted
            self.received = received
            self.logins = logins
            self.failedLogins = failedLogins
        }
    }

    /// Messages from one address to another on one day (exchanges), or forwarded from an
    /// address to another (forwards).
    public struct Pair: Sendable, Equatable {
        public var day: Int32
        public var from: Int32
        public var to: Int32
        public var messages: Int32

        public init(day: Int32, from: Int32, to: Int32, messages: Int32) {
            self.day = day
            self.from = from
            self.to = to
            self.messages = messages
        }
    }

    /// A display name an address's From header showed, folded (`le cong quan`), and in how
    /// many messages.
    public struct DisplayName: Sendable, Equatable {
        public var address: Int32
        public var name: String
        public var messages: Int32

        public init(address: Int32, name: String, messages: Int32) {
            self.address = address
            self.name = name
            self.messages = messages
        }
    }

    /// Every address the rows name, lower case.
    public var addresses: [String]
    public var activity: [Activity]
    public var exchanges: [Pair]
    public var forwards: [Pair]
    /// Display names seen in From headers over the whole span.
    public var displayNames: [DisplayName]
    /// The last day each address submitted mail or logged in, up to the end of the span.
    public var lastActive: [Int32: Int32]
    /// The first and last day the store holds any log data for (whatever the span).
    public var coverage: ClosedRange<Int>?

    public init(
        addresses: [String] = [], activity: [Activity] = [], exchanges: [Pair] = [], forwards: [Pair] = [],
        displayNames: [DisplayName] = [], lastActive: [Int32: Int32] = [:], coverage: ClosedRange<Int>? = nil
    ) {
        self.addresses = addresses
        self.activity = activity
        self.exchanges = exchanges
        self.forwards = forwards
        self.displayNames = displayNames
        self.lastActive = lastActive
        self.coverage = coverage
    }
}
