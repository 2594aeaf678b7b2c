/// How a login reached the mailbox, as the ingest records it: the store keeps it as this
/// number, which is `Census.LoginOrigin`'s (the census decides the client's class).
public enum ClientOrigin: UInt8, Sendable, CaseIterable, Codable {
    /// An IMAP login from anywhere but the webmail's hosts, with the client's `ID` when logged.
    case imap = 0
    case pop3 = 1
    /// A line of the webmail's own login log (Roundcube's `userlogins.log`).
    case webmail = 2
    /// An IMAP login from one of `IngestOptions.webmailHosts`.
    case webmailHost = 3
}

/// One login, or failed attempts, of an address through an origin, with the client it named.
public struct ClientLogin: Sendable, Equatable {
    public var user: StringID
    public var origin: ClientOrigin
    /// The `ID`'s `name` (0: none was logged).
    public var name: StringID
    /// The `ID`'s `os` (0: none was logged).
    public var os: StringID
    public var succeeded: Bool
    /// Failed attempts, for a failure.
    public var attempts: Int

    public init(
        user: StringID, origin: ClientOrigin, name: StringID = 0, os: StringID = 0, succeeded: Bool, attempts: Int
    ) {
        self.user = user
        self.origin = origin
        self.name = name
        self.os = os
        self.succeeded = succeeded
        self.attempts = attempts
    }
}

/// A line that shows which client evidence a day's logs hold.
public enum ClientEvidenceKind: Sendable {
    /// Dovecot's `ID sent:` (`imap_id_log`).
    case clientID
    /// A line of Roundcube's `userlogins.log`.
    case webmailLog
    /// A Dovecot login or failure from one of the webmail's hosts.
    case webmailHost
}

/// Client evidence gathered between two store commits: logins and failed attempts per
/// address, day, origin and client, and per day the evidence lines seen. Written to the
/// store's `daily_client` and `daily_client_evidence` tables.
///
/// Addresses and client texts are interned to small integers of its own, as they are met.
public struct ClientAggregate: Sendable {
    public struct Key: Hashable, Sendable {
        public var day: Int32
        /// Index into `addresses`.
        public var address: Int32
        public var origin: ClientOrigin
        /// Index into `texts` (0: "").
        public var name: Int32
        /// Index into `texts` (0: "").
        public var os: Int32
    }

    public struct Counters: Sendable, Equatable {
        public var logins = 0
        public var failed = 0
        /// First and last successful login of the day, UTC seconds; of the failed attempts when
        /// there was none.
        public var firstSeen = Int64.max
        public var lastSeen = Int64.min
    }

    /// Evidence lines of one day.
    public struct Evidence: Sendable, Equatable {
        public var clientIDs = 0
        public var webmailLog = 0
        public var webmailHosts = 0
    }

    public private(set) var addresses: [String] = []
    /// Client names and systems; `texts[0]` is "".
    public private(set) var texts: [String] = [""]
    public private(set) var rows: [Key: Counters] = [:]
    public private(set) var evidence: [Int32: Evidence] = [:]
    private var addressIndex: [StringID: Int32] = [:]
    private var textIndex: [StringID: Int32] = [0: 0]
    /// The same by text: a string interned twice (folded and not) is one address or text, so
    /// that no two rows of a commit have the same key in the store.
    private var addressByText: [String: Int32] = [:]
    private var textByText: [String: Int32] = ["": 0]

    public init() {}

    public var isEmpty: Bool { rows.isEmpty && evidence.isEmpty }

    mutating func record(_ login: ClientLogin, day: Int32, at time: Int64, strings: StringTable) {
        guard login.user != 0 else { return }
        let key = Key(
            day: day, address: Self.index(login.user, in: &addressIndex, &addressByText, &addresses, strings),
            origin: login.origin, name: Self.index(login.name, in: &textIndex, &textByText, &texts, strings),
            os: Self.index(login.os, in: &textIndex, &textByText, &texts, strings))
        var counters = rows[key] ?? Counters()
        // First and last seen are the successful logins' once there is one (a class's last login
        // is not a wrong password typed after it), else the failed attempts'.
        if login.succeeded {
            if counters.logins == 0 { (counters.firstSeen, counters.lastSeen) = (Int64.max, Int64.min) }
            counters.logins += 1
        } else {
            counters.failed += login.attempts
        }
        if login.succeeded || counters.logins == 0 {
            counters.firstSeen = min(counters.firstSeen, time)
            counters.lastSeen = max(counters.lastSeen, time)
        }
        rows[key] = counters
    }

    mutating func record(_ kind: ClientEvidenceKind, day: Int32) {
        switch kind {
        case .clientID: evidence[day, default: Evidence()].clientIDs += 1
        case .webmailLog: evidence[day, default: Evidence()].webmailLog += 1
        case .webmailHost: evidence[day, default: Evidence()].webmailHosts += 1
        }
    }

    private static func index(
        _ id: StringID, in table: inout [StringID: Int32], _ byText: inout [String: Int32], _ values: inout [String],
        _ strings: StringTable
    ) -> Int32 {
        if let known = table[id] { return known }
        let text = strings[id]
        let index =
            byText[text]
            ?? {
                values.append(text)
                byText[text] = Int32(values.count - 1)
                return Int32(values.count - 1)
            }()
        table[id] = index
        return index
    }
}

extension ActivityRecorder {
    public mutating func recordClientLogin(_ login: ClientLogin, at time: Int64, strings: StringTable) {}
    public mutating func recordClientEvidence(_ kind: ClientEvidenceKind, at time: Int64) {}
}

extension ActivityAggregate {
    public mutating func recordClientLogin(_ login: ClientLogin, at time: Int64, strings: StringTable) {
        clients.record(login, day: day(of: time), at: time, strings: strings)
    }

    public mutating func recordClientEvidence(_ kind: ClientEvidenceKind, at time: Int64) {
        clients.record(kind, day: day(of: time))
    }
}
