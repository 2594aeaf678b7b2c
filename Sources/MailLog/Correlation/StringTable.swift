#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A string interned in a `StringTable`: equal strings have equal ids. 0 is the empty string.
public typealias StringID = Int32

/// Addresses and names interned into small integers, shared by the parsing threads and the
/// correlator, so that the serial work compares and hashes integers, never strings.
///
/// The parsing threads intern what they read straight from the line's bytes (ASCII letters
/// lowered for addresses, without a lowered copy); an id stays valid, and names the same
/// string, for the table's life. The table is split into shards, each behind its own lock, so
/// that threads interning at once rarely wait for each other; the bytes are hashed with a
/// multiply per eight bytes, not SipHash.
///
/// Safe to share (`@unchecked Sendable`): every read and write of a shard's storage happens
/// while holding that shard's lock.
public final class StringTable: @unchecked Sendable {
    static let shardBits = 6
    static let shardCount = 1 << shardBits

    private let shards: [Shard]

    public init() {
        shards = (0..<StringTable.shardCount).map { _ in Shard() }
    }

    /// The id of the string of `bytes`, ASCII capitals lowered when `foldCase`.
    @inline(__always)
    public func intern(_ bytes: ByteView, foldCase: Bool) -> StringID {
        guard bytes.count > 0 else { return 0 }
        let hash = foldCase ? StringTable.hash(bytes, fold: true) : StringTable.hash(bytes, fold: false)
        return intern(bytes, foldCase: foldCase, hash: hash)
    }

    /// `intern(_:foldCase:)` with the bytes' `hash(_:fold:)` already taken.
    @inline(__always)
    func intern(_ bytes: ByteView, foldCase: Bool, hash: UInt64) -> StringID {
        guard bytes.count > 0 else { return 0 }
        let shardIndex = Int(truncatingIfNeeded: hash >> 58)
        let index = shards[shardIndex].intern(bytes, hash: hash, foldCase: foldCase)
        return StringID(truncatingIfNeeded: index << StringTable.shardBits | shardIndex) + 1
    }

    /// The id of `string`, kept as it is.
    public func intern(_ string: String) -> StringID {
        string.withByteView { intern($0, foldCase: false) }
    }

    /// The string of `id`.
    public subscript(_ id: StringID) -> String {
        guard id > 0 else { return "" }
        let raw = Int(id - 1)
        return shards[raw & (StringTable.shardCount - 1)].string(at: raw >> StringTable.shardBits)
    }

    /// Whether the string of `id` holds `byte`.
    func contains(_ id: StringID, byte: UInt8) -> Bool {
        guard id > 0 else { return false }
        let raw = Int(id - 1)
        return shards[raw & (StringTable.shardCount - 1)].contains(at: raw >> StringTable.shardBits, byte: byte)
    }

    /// A hash of the bytes (lowered when `fold`), eight at a time.
    @inline(__always)
    static func hash(_ bytes: ByteView, fold: Bool) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        let raw = UnsafeRawPointer(bytes.base)
        while index + 8 <= bytes.count {
            var word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if fold { word = lowered(word) }
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            index += 8
        }
        if index < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                var byte = bytes[index]
                if fold && byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                word |= UInt64(byte) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        hash = (hash ^ (hash >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 32)
    }

    /// Eight bytes with the ASCII capitals among them lowered.
    @inline(__always)
    static func lowered(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // Only bytes below 0x80 can be capitals; taking them alone keeps the sums from carrying.
        let ascii = word & ~high
        let atLeastA = ascii &+ (0x80 - 0x41) &* ones
        let pastZ = ascii &+ (0x80 - 0x5B) &* ones
        let capitals = atLeastA & ~pastZ & ~word & high
        return word | (capitals >> 2)
    }

    /// Whether the `view.count` bytes at `stored` are those of `view` with its ASCII capitals
    /// lowered, compared eight at a time.
    @inline(__always)
    static func isLowered(_ view: ByteView, at stored: UnsafePointer<UInt8>) -> Bool {
        let storedRaw = UnsafeRawPointer(stored)
        let viewRaw = UnsafeRawPointer(view.base)
        var offset = 0
        while offset + 8 <= view.count {
            let word = lowered(viewRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if storedRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != word { return false }
            offset += 8
        }
        while offset < view.count {
            var byte = view[offset]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if stored[offset] != byte { return false }
            offset += 1
        }
        return true
    }

    /// Appends `view`'s bytes to `bytes`, its ASCII capitals lowered when `lowering`.
    @inline(__always)
    static func append(_ view: ByteView, to bytes: inout [UInt8], lowering: Bool) {
        for offset in 0..<view.count {
            let byte = view[offset]
            bytes.append(lowering && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
    }

    /// An open-addressing index of `count` slots (a power of two) for strings with these hashes,
    /// in order: each slot holds 1 + a string's index, or 0 when empty; linear probing.
    static func slots(for hashes: some Collection<UInt64>, count: Int) -> [Int32] {
        var slots = [Int32](repeating: 0, count: count)
        let mask = count - 1
        for (index, hash) in hashes.enumerated() {
            var free = Int(truncatingIfNeeded: hash) & mask
            while slots[free] != 0 { free = (free + 1) & mask }
            slots[free] = Int32(index + 1)
        }
        return slots
    }

    /// One lock's worth of the table: the strings' bytes end to end, and an open-addressing
    /// index of them by hash.
    final class Shard {
        // Every access holds the lock and none overlaps another, so the run-time exclusivity
        // checks a class's stored properties get (a tenth of an intern) are left out.
        private let lock: UnsafeMutablePointer<pthread_mutex_t>
        @exclusivity(unchecked) private var bytes: [UInt8] = []
        /// Per string: where its bytes start, and its hash (to compare only likely matches).
        @exclusivity(unchecked) private var starts: [Int] = [0]
        @exclusivity(unchecked) private var hashes: [UInt64] = []
        /// The strings themselves, made once by the thread that interned them, so that looking
        /// one up (on the correlating thread) decodes nothing.
        @exclusivity(unchecked) private var strings: [String] = []
        /// 1 + the string's index, or 0 for an empty slot; a power of two long.
        @exclusivity(unchecked) private var slots: [Int32] = Array(repeating: 0, count: 64)

        init() {
            lock = .allocate(capacity: 1)
            pthread_mutex_init(lock, nil)
        }

        deinit {
            pthread_mutex_destroy(lock)
            lock.deallocate()
        }

        func intern(_ view: ByteView, hash: UInt64, foldCase: Bool) -> Int {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { break }
                let index = entry - 1
                if hashes[index] == hash && equals(index, view, foldCase: foldCase) { return index }
                slot = (slot + 1) & mask
            }
            let index = hashes.count
            hashes.append(hash)
            StringTable.append(view, to: &bytes, lowering: foldCase)
            starts.append(bytes.count)
            strings.append(String(decoding: bytes[starts[index]..<bytes.count], as: UTF8.self))
            if (index + 1) * 2 > slots.count {
                slots = StringTable.slots(for: hashes, count: slots.count * 2)
            } else {
                slots[slot] = Int32(index + 1)
            }
            return index
        }

        private func equals(_ index: Int, _ view: ByteView, foldCase: Bool) -> Bool {
            let start = starts[index]
            guard starts[index + 1] - start == view.count else { return false }
            return bytes.withUnsafeBufferPointer { stored in
                let base = stored.baseAddress! + start
                if !foldCase { return memcmp(base, view.base, view.count) == 0 }
                return StringTable.isLowered(view, at: base)
            }
        }

        func string(at index: Int) -> String {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            return strings[index]
        }

        func contains(at index: Int, byte: UInt8) -> Bool {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            return bytes[starts[index]..<starts[index + 1]].contains(byte)
        }
    }
}

/// The addresses one parsing thread has met, with their ids, in memory of its own: an address
/// comes back all through a log (its owner's every message and login), and a hit costs a probe
/// and a comparison of bytes here, without the shared table's lock or its memory, which the
/// other threads write too. Looked up in the shared table, an address cost 440 ns on average
/// (a 1 GiB ingest: 930,000 lookups, an eighth of the parsing threads' time); here, with the
/// same misses of the processor's cache but no lock nor line written by the other core, the
/// ingest takes about 4% less CPU.
///
/// Addresses are kept with ASCII capitals lowered, as the shared table keeps them. Used by one
/// thread at a time: a `FactContext` is lent to one parsing task at a time (`Ingestor.Run.contexts`).
final class LocalInterns {
    struct Entry {
        var hash: UInt64
        var start: Int32
        var count: Int32
        var id: StringID
    }

    /// 1 + the entry's index, or 0 for an empty slot; a power of two long, at most half full.
    @exclusivity(unchecked) private var slots = [Int32](repeating: 0, count: 1024)
    @exclusivity(unchecked) private var entries: [Entry] = []
    /// The entries' bytes end to end, lowered.
    @exclusivity(unchecked) private var bytes: [UInt8] = []

    /// The id of the address of `view` (whose `StringTable.hash(_:fold: true)` is `hash`): the
    /// one remembered, else `intern()`'s, remembered for next time.
    @inline(__always)
    func id(of view: ByteView, hash: UInt64, orIntern intern: () -> StringID) -> StringID {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index == 0 { break }
            let entry = entries[index - 1]
            if entry.hash == hash && Int(entry.count) == view.count && matches(entry, view) { return entry.id }
            slot = (slot + 1) & mask
        }
        let id = intern()
        remember(view, hash: hash, id: id, at: slot)
        return id
    }

    private func remember(_ view: ByteView, hash: UInt64, id: StringID, at slot: Int) {
        guard bytes.count + view.count <= Int(Int32.max) else { return }
        entries.append(Entry(hash: hash, start: Int32(bytes.count), count: Int32(view.count), id: id))
        StringTable.append(view, to: &bytes, lowering: true)
        if entries.count * 2 > slots.count {
            slots = StringTable.slots(for: entries.lazy.map(\.hash), count: slots.count * 2)
        } else {
            slots[slot] = Int32(entries.count)
        }
    }

    /// Whether `view`, its ASCII capitals lowered, holds the bytes of `entry`.
    @inline(__always)
    private func matches(_ entry: Entry, _ view: ByteView) -> Bool {
        bytes.withUnsafeBufferPointer { stored in
            StringTable.isLowered(view, at: stored.baseAddress! + Int(entry.start))
        }
    }
}
