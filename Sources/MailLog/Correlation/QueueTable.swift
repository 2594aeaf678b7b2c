/// A table keyed by queue id, for the correlator's state: open addressing with linear probing,
/// the id hashed with two multiplies instead of SipHash, as a Swift dictionary would.
///
/// Most mail lines look up their queue id here, on the one thread that correlates, so the cost
/// of a lookup bounds the whole ingest. Removal shifts the entries after it back, so that no
/// tombstones slow the probes down.
struct QueueTable<Value> {
    /// A power of two long; an all-zero id (never a queue id: every character codes as 1 or
    /// more) marks an empty slot.
    private var keys: [QueueID]
    private var values: [Value?]
    private(set) var count = 0
    private var shift: UInt64

    init() {
        keys = Array(repeating: QueueTable.empty, count: 16)
        values = Array(repeating: nil, count: 16)
        shift = 64 - 4
    }

    static var empty: QueueID { QueueID(high: 0, low: 0, host: 0) }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func ideal(_ id: QueueID) -> Int {
        let mixed = (id.high &* 0x9E37_79B9_7F4A_7C15) ^ id.low ^ (UInt64(id.host) << 29)
        return Int(truncatingIfNeeded: (mixed &* 0xD6E8_FEB8_6659_FD93) >> shift)
    }

    @inline(__always)
    private static func isEmpty(_ id: QueueID) -> Bool { id.high == 0 && id.low == 0 }

    /// The slot holding `id`, or the empty slot where it would go.
    @inline(__always)
    private func slot(of id: QueueID) -> (Int, found: Bool) {
        let mask = keys.count - 1
        var slot = ideal(id)
        while true {
            let key = keys[slot]
            if key == id { return (slot, true) }
            if QueueTable.isEmpty(key) { return (slot, false) }
            slot = (slot + 1) & mask
        }
    }

    subscript(_ id: QueueID) -> Value? {
        get {
            let (slot, found) = slot(of: id)
            return found ? values[slot] : nil
        }
        set {
            guard let newValue else {
                removeValue(forKey: id)
                return
            }
            let (slot, found) = slot(of: id)
            if found {
                values[slot] = newValue
                return
            }
            if (count + 1) * 2 > keys.count {
                grow()
                insertNew(id, newValue)
            } else {
                keys[slot] = id
                values[slot] = newValue
            }
            count += 1
        }
    }

    /// Moves the value of `id` out, without copying it, for the caller to set it again (with
    /// the subscript) or remove it before any other id is added or removed.
    @inline(__always)
    mutating func take(_ id: QueueID) -> Value? {
        let (slot, found) = slot(of: id)
        return found ? values[slot].take() : nil
    }

    @discardableResult
    mutating func removeValue(forKey id: QueueID) -> Value? {
        let (found, present) = slot(of: id)
        guard present else { return nil }
        let removed = values[found].take()
        count -= 1
        // Shift back the entries of the run after it that may sit in the freed slot.
        let mask = keys.count - 1
        var hole = found
        var next = (hole + 1) & mask
        while !QueueTable.isEmpty(keys[next]) {
            let home = ideal(keys[next])
            // The entry stays when its home lies cyclically in (hole, next].
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !stays {
                keys[hole] = keys[next]
                values[hole] = values[next].take()
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = QueueTable.empty
        values[hole] = nil
        return removed
    }

    /// Keeps only the entries for which `keep` is true.
    mutating func filter(_ keep: (Value) -> Bool) {
        let entries = Array(self)
        self = QueueTable()
        for (key, value) in entries where keep(value) { self[key] = value }
    }

    mutating func reserveCapacity(_ capacity: Int) {
        while capacity * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys
        var oldValues = values
        keys = Array(repeating: QueueTable.empty, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        for index in oldKeys.indices where !QueueTable.isEmpty(oldKeys[index]) {
            insertNew(oldKeys[index], oldValues[index].take()!)
        }
    }

    /// Puts an id that is not in the table into its first free slot (the count is the caller's).
    private mutating func insertNew(_ id: QueueID, _ value: Value) {
        let mask = keys.count - 1
        var slot = ideal(id)
        while !QueueTable.isEmpty(keys[slot]) { slot = (slot + 1) & mask }
        keys[slot] = id
        values[slot] = value
    }
}

extension QueueTable: Sequence {
    struct Iterator: IteratorProtocol {
        let table: QueueTable
        var index = 0

        mutating func next() -> (key: QueueID, value: Value)? {
            while index < table.keys.count {
                defer { index += 1 }
                if !QueueTable.isEmpty(table.keys[index]) { return (table.keys[index], table.values[index]!) }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(table: self) }

    var underestimatedCount: Int { count }
}

extension QueueTable: Sendable where Value: Sendable {}

extension QueueID {
    init(high: UInt64, low: UInt64, host: UInt32) {
        self.high = high
        self.low = low
        self.host = host
    }
}
