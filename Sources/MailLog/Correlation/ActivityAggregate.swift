import Basics

/// Per-address, per-day counters of one address.
public struct DailyCounters: Sendable, Codable, Equatable, TableValue {
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
public struct ExchangeCounters: Sendable, Equatable, TableValue {
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
    public struct DayKey: Hashable, Sendable, TableKey {
        public var address: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(UInt32(bitPattern: address)) << 32 | UInt64(UInt32(bitPattern: day)))
        }

        public static var vacant: DayKey { DayKey(address: .min, day: 0) }
        public var isVacant: Bool { address == .min }

        @inline(__always)
        public var mixed: UInt64 { UInt64(UInt32(bitPattern: address)) << 32 | UInt64(UInt32(bitPattern: day)) }
    }

    /// A sender, a recipient, a day: one row of exchanges, read both ways by reports.
    public struct PairKey: Hashable, Sendable, TableKey {
        public var sender: Int32
        public var recipient: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            hasher.combine(mixed)
        }

        public static var vacant: PairKey { PairKey(sender: .min, recipient: 0, day: 0) }
        public var isVacant: Bool { sender == .min }

        @inline(__always)
        public var mixed: UInt64 {
            let high = UInt64(UInt32(bitPattern: sender)) << 32 | UInt64(UInt32(bitPattern: recipient))
            return high ^ UInt64(UInt32(bitPattern: day)) &* 0x9E37_79B9
        }
    }

    /// An address, a folded display name (index into `displayNameTexts`), a day.
    public struct DisplayNameKey: Hashable, Sendable, TableKey {
        public var address: Int32
        public var name: Int32
        public var day: Int32

        public func hash(into hasher: inout Hasher) {
            hasher.combine(mixed)
        }

        public static var vacant: DisplayNameKey { DisplayNameKey(address: .min, name: 0, day: 0) }
        public var isVacant: Bool { address == .min }

        @inline(__always)
        public var mixed: UInt64 {
            let high = UInt64(UInt32(bitPattern: address)) << 32 | UInt64(UInt32(bitPattern: name))
            return high ^ UInt64(UInt32(bitPattern: day)) &* 0x9E37_79B9
        }
    }

    /// Counters per address and day.
    public typealias Days = CounterTable<DayKey, DailyCounters>
    /// Message counts per sender, recipient and day.
    public typealias Pairs = CounterTable<PairKey, ExchangeCounters>
    /// Message counts per address, display name and day.
    public typealias DisplayNames = CounterTable<DisplayNameKey, Int>

    /// The server's offset from UTC: days are the server's calendar days.
    public let utcOffset: Int
    public private(set) var addresses: [String] = []
    /// The `StringTable` id of each of `addresses`, in `addressTable`.
    public private(set) var addressStringIDs: [StringID] = []
    /// The table of `addressStringIDs` (nil while no address was recorded).
    public var addressTable: StringTable? { strings }
    /// The table the ids given to the `record…` methods come from (the first one given; the
    /// methods that take strings intern them into it).
    private var strings: StringTable?
    /// The local id of each `StringTable` id met so far, plus one (0: not met yet).
    private var localIDs: [Int32] = []
    /// The index in `displayNameTexts` of each `StringTable` id met so far as a name, plus one.
    private var localNames: [Int32] = []
    public private(set) var days = Days()
    public private(set) var pairs = Pairs()
    /// Messages forwarded from an address (`sender` here) to a recipient, per day.
    public private(set) var forwards = Pairs()
    /// Folded display names, interned: `displayNames` keys point into this.
    public private(set) var displayNameTexts: [String] = []
    /// Messages whose From header showed this name for this address, per day.
    public private(set) var displayNames = DisplayNames()
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
        addressStringIDs.append(global)
        localIDs[index] = local + 1
        return local
    }

    @inline(__always)
    mutating func counters(_ address: String, _ time: Int64, _ change: (inout DailyCounters) -> Void) {
        counters(id(of: address), time, change)
    }

    @inline(__always)
    mutating func counters(_ address: Int32, _ time: Int64, _ change: (inout DailyCounters) -> Void) {
        days.update(DayKey(address: address, day: day(of: time))) { Self.update(&$0, time, change) }
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
        pairs.update(key) { Self.count(&$0, time) }
    }

    public mutating func recordForward(original: String, recipient: String, at time: Int64) {
        let key = PairKey(sender: id(of: original), recipient: id(of: recipient), day: day(of: time))
        forwards.update(key) { Self.count(&$0, time) }
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
        pairs.update(key) { Self.count(&$0, time) }
    }

    public mutating func recordForward(original: StringID, recipient: StringID, at time: Int64, strings: StringTable) {
        let key = PairKey(sender: id(of: original, strings), recipient: id(of: recipient, strings), day: day(of: time))
        forwards.update(key) { Self.count(&$0, time) }
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
        displayNames.update(key) { $0 += 1 }
    }

}

/// A key of a `CounterTable`: a value that is never a real key marks an empty slot, and the
/// key folds into 64 bits that one multiply spreads over the table.
public protocol TableKey: Hashable, Sendable {
    static var vacant: Self { get }
    var isVacant: Bool { get }
    var mixed: UInt64 { get }
}

/// A value of a `CounterTable`: starts from `init()` when its key is first met.
public protocol TableValue: Sendable {
    init()
}

extension Int: TableValue {}

/// Counters by small integer keys: open addressing with linear probing, the key hashed with
/// one multiply instead of SipHash, as a Swift dictionary would. Keys are never removed.
///
/// Every event of an ingest updates one or two of these on the serial correlating thread.
/// Read as a collection of `(key, value)` pairs in no particular order, as a dictionary is.
public struct CounterTable<Key: TableKey, Value: TableValue>: Collection, Sendable {
    public typealias Element = (key: Key, value: Value)

    /// A power of two long; `Key.vacant` marks an empty slot.
    private var slotKeys: [Key]
    private var values: [Value]
    public private(set) var count = 0
    private var shift: UInt64

    public init() {
        slotKeys = Array(repeating: Key.vacant, count: 16)
        values = Array(repeating: Value(), count: 16)
        shift = 64 - 4
    }

    @inline(__always)
    private func ideal(_ key: Key) -> Int {
        Int(truncatingIfNeeded: (key.mixed &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func slot(of key: Key) -> (Int, found: Bool) {
        let mask = slotKeys.count - 1
        var slot = ideal(key)
        while true {
            let found = slotKeys[slot]
            if found == key { return (slot, true) }
            if found.isVacant { return (slot, false) }
            slot = (slot + 1) & mask
        }
    }

    /// Changes the value of `key`, which starts as `Value()` when the key is new.
    @inline(__always)
    public mutating func update(_ key: Key, _ change: (inout Value) -> Void) {
        let place = slot(of: key)
        var slot = place.0
        if !place.found {
            // Up to three quarters full, as a dictionary: a batch's tables hold hundreds of
            // thousands of rows, and their size counts in the ingest's peak memory.
            if (count + 1) * 4 > slotKeys.count * 3 {
                grow()
                slot = self.slot(of: key).0
            }
            slotKeys[slot] = key
            count += 1
        }
        change(&values[slot])
    }

    public subscript(_ key: Key) -> Value? {
        let (slot, found) = slot(of: key)
        return found ? values[slot] : nil
    }

    private mutating func grow() {
        let oldKeys = slotKeys
        let oldValues = values
        slotKeys = Array(repeating: Key.vacant, count: oldKeys.count * 2)
        values = Array(repeating: Value(), count: oldKeys.count * 2)
        shift -= 1
        for index in oldKeys.indices where !oldKeys[index].isVacant {
            let slot = slot(of: oldKeys[index]).0
            slotKeys[slot] = oldKeys[index]
            values[slot] = oldValues[index]
        }
    }

    // MARK: Collection

    public var isEmpty: Bool { count == 0 }

    public var startIndex: Int { nextOccupied(from: 0) }

    public var endIndex: Int { slotKeys.count }

    public func index(after index: Int) -> Int { nextOccupied(from: index + 1) }

    public subscript(position: Int) -> Element { (slotKeys[position], values[position]) }

    private func nextOccupied(from start: Int) -> Int {
        var index = start
        while index < slotKeys.count && slotKeys[index].isVacant { index += 1 }
        return index
    }

    /// The keys, in the order of the collection.
    public var keys: LazyMapSequence<Self, Key> { lazy.map(\.key) }
}
