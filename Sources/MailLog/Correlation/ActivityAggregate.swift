import Basics

/// Per-address, per-day counters of one address.
public struct DailyCounters: Sendable, Codable, Equatable {
    public var submitted = 0
    public var received = 0
    public var imap = 0
    public var pop3 = 0
    public var submission = 0
    public var failed = 0
    /// First and last activity of the day, UTC seconds.
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min

    public init() {}

    @inline(__always)
    mutating func touch(_ time: Int64) {
        if time < firstSeen { firstSeen = time }
        if time > lastSeen { lastSeen = time }
    }
}

/// Messages from one sender to one recipient on one day.
public struct ExchangeCounters: Sendable, Equatable {
    public var messages = 0
    /// First and last message of the day, UTC seconds.
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min

    public init() {}
}

/// Activity gathered in memory between two store commits: counters per address and day, and
/// message counts per sender, recipient and day.
///
/// Addresses are interned to small integers as they are first seen, so that the per-event
/// work hashes one string and then only integers.
public struct ActivityAggregate: ActivityRecorder, Sendable {
    public struct DayKey: Hashable, Sendable {
        public var address: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(UInt32(bitPattern: address)) << 32 | UInt64(UInt32(bitPattern: day)))
        }
    }

    /// A sender, a recipient, a day: one row of exchanges, read both ways by reports.
    public struct PairKey: Hashable, Sendable {
        public var sender: Int32
        public var recipient: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            let high = UInt64(UInt32(bitPattern: sender)) << 32 | UInt64(UInt32(bitPattern: recipient))
            hasher.combine(high ^ UInt64(UInt32(bitPattern: day)) &* 0x9E37_79B9)
        }
    }

    /// An address, a folded display name (index into `displayNameTexts`), a day.
    public struct DisplayNameKey: Hashable, Sendable {
        public var address: Int32
        public var name: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            let high = UInt64(UInt32(bitPattern: address)) << 32 | UInt64(UInt32(bitPattern: name))
            hasher.combine(high ^ UInt64(UInt32(bitPattern: day)) &* 0x9E37_79B9)
        }
    }

    /// The server's offset from UTC: days are the server's calendar days.
    public let utcOffset: Int
    public private(set) var addresses: [String] = []
    /// The table the ids given to the `record…` methods come from (the first one given; the
    /// methods that take strings intern them into it).
    private var strings: StringTable?
    /// The local id of each `StringTable` id met so far, plus one (0: not met yet).
    private var localIDs: [Int32] = []
    /// The index in `displayNameTexts` of each `StringTable` id met so far as a name, plus one.
    private var localNames: [Int32] = []
    public private(set) var days: [DayKey: DailyCounters] = [:]
    public private(set) var pairs: [PairKey: ExchangeCounters] = [:]
    /// Messages forwarded from an address (`sender` here) to a recipient, per day.
    public private(set) var forwards: [PairKey: ExchangeCounters] = [:]
    /// Folded display names, interned: `displayNames` keys point into this.
    public private(set) var displayNameTexts: [String] = []
    /// Messages whose From header showed this name for this address, per day.
    public private(set) var displayNames: [DisplayNameKey: Int] = [:]
    /// Client evidence: logins per origin and client, evidence per day (`ClientAggregate`).
    public internal(set) var clients = ClientAggregate()

    public init(utcOffset: Int) {
        self.utcOffset = utcOffset
    }

    /// The day number (days since 1970-01-01 on the server's calendar) of a UTC time.
    @inline(__always)
    public func day(of time: Int64) -> Int32 {
        Int32(CivilTime.day(of: time, offsetSeconds: utcOffset))
    }

    /// The table that ids come from: the first one given, else one of its own.
    mutating func table(_ given: StringTable? = nil) -> StringTable {
        if let strings {
            precondition(given == nil || given === strings, "one aggregate takes ids of one string table")
            return strings
        }
        let table = given ?? StringTable()
        strings = table
        return table
    }

    mutating func id(of address: String) -> Int32 {
        let strings = table()
        return id(of: strings.intern(address), strings)
    }

    /// The local id of `global`, an id of `strings`: an array lookup once it was met.
    @inline(__always)
    mutating func id(of global: StringID, _ strings: StringTable) -> Int32 {
        let index = Int(global)
        if index < localIDs.count {
            let known = localIDs[index]
            if known != 0 {
                assert(strings === self.strings)
                return known - 1
            }
        } else {
            localIDs.append(
                contentsOf: repeatElement(0, count: Swift.max(index + 1, localIDs.count * 2) - localIDs.count))
        }
        let table = table(strings)
        let local = Int32(addresses.count)
        addresses.append(table[global])
        localIDs[index] = local + 1
        return local
    }

    @inline(__always)
    mutating func counters(_ address: String, _ time: Int64, _ change: (inout DailyCounters) -> Void) {
        counters(id(of: address), time, change)
    }

    @inline(__always)
    mutating func counters(_ address: Int32, _ time: Int64, _ change: (inout DailyCounters) -> Void) {
        Self.update(&days[DayKey(address: address, day: day(of: time)), default: DailyCounters()], time, change)
    }

    @inline(__always)
    static func update(_ counters: inout DailyCounters, _ time: Int64, _ change: (inout DailyCounters) -> Void) {
        change(&counters)
        counters.touch(time)
    }

    public mutating func recordSubmission(user: String, at time: Int64) {
        counters(user, time) { $0.submitted += 1 }
    }

    public mutating func recordReceipt(mailbox: String, at time: Int64) {
        counters(mailbox, time) { $0.received += 1 }
    }

    public mutating func recordExchange(sender: String, recipient: String, at time: Int64) {
        let key = PairKey(sender: id(of: sender), recipient: id(of: recipient), day: day(of: time))
        Self.count(&pairs[key, default: ExchangeCounters()], time)
    }

    public mutating func recordForward(original: String, recipient: String, at time: Int64) {
        let key = PairKey(sender: id(of: original), recipient: id(of: recipient), day: day(of: time))
        Self.count(&forwards[key, default: ExchangeCounters()], time)
    }

    @inline(__always)
    static func count(_ counters: inout ExchangeCounters, _ time: Int64) {
        counters.messages += 1
        if time < counters.firstSeen { counters.firstSeen = time }
        if time > counters.lastSeen { counters.lastSeen = time }
    }

    public mutating func recordLogin(user: String, service: LoginService, at time: Int64) {
        counters(user, time) {
            switch service {
            case .imap: $0.imap += 1
            case .pop3: $0.pop3 += 1
            case .submission: $0.submission += 1
            }
        }
    }

    public mutating func recordFailedLogin(user: String, attempts: Int, at time: Int64) {
        counters(user, time) { $0.failed += attempts }
    }

    public mutating func recordDisplayName(address: String, name: String, at time: Int64) {
        let strings = table()
        recordDisplayName(address: strings.intern(address), name: strings.intern(name), at: time, strings: strings)
    }

    // MARK: Interned

    public mutating func recordSubmission(user: StringID, at time: Int64, strings: StringTable) {
        counters(id(of: user, strings), time) { $0.submitted += 1 }
    }

    public mutating func recordReceipt(mailbox: StringID, at time: Int64, strings: StringTable) {
        counters(id(of: mailbox, strings), time) { $0.received += 1 }
    }

    public mutating func recordExchange(sender: StringID, recipient: StringID, at time: Int64, strings: StringTable) {
        let key = PairKey(sender: id(of: sender, strings), recipient: id(of: recipient, strings), day: day(of: time))
        Self.count(&pairs[key, default: ExchangeCounters()], time)
    }

    public mutating func recordForward(original: StringID, recipient: StringID, at time: Int64, strings: StringTable) {
        let key = PairKey(sender: id(of: original, strings), recipient: id(of: recipient, strings), day: day(of: time))
        Self.count(&forwards[key, default: ExchangeCounters()], time)
    }

    public mutating func recordLogin(user: StringID, service: LoginService, at time: Int64, strings: StringTable) {
        counters(id(of: user, strings), time) {
            switch service {
            case .imap: $0.imap += 1
            case .pop3: $0.pop3 += 1
            case .submission: $0.submission += 1
            }
        }
    }

    public mutating func recordFailedLogin(user: StringID, attempts: Int, at time: Int64, strings: StringTable) {
        counters(id(of: user, strings), time) { $0.failed += attempts }
    }

    public mutating func recordDisplayName(address: StringID, name: StringID, at time: Int64, strings: StringTable) {
        let index = Int(name)
        if index >= localNames.count {
            localNames.append(
                contentsOf: repeatElement(0, count: Swift.max(index + 1, localNames.count * 2) - localNames.count))
        }
        if localNames[index] == 0 {
            displayNameTexts.append(table(strings)[name])
            localNames[index] = Int32(displayNameTexts.count)
        }
        let key = DisplayNameKey(address: id(of: address, strings), name: localNames[index] - 1, day: day(of: time))
        displayNames[key, default: 0] += 1
    }

}
