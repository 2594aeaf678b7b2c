/// The correlator's state in the compact form each commit saves: a few bytes a field, its
/// strings written out, read back into a table of their own.
///
/// Every commit of an ingest saves the whole state (hundreds of thousands of open and recently
/// removed messages' worth of fields on a busy server), so its form is a commit's cost: this one
/// is written and read in one pass, without `Codable`. States saved by older versions, as JSON
/// (`SavedState`), still decode through `Codable`; a saved state says which it is by its first
/// byte (`isEncoded`).
///
/// Layout, after `magic`: numbers as LEB128 varints (signed ones zigzagged), strings as a length
/// and UTF-8 bytes, a queue id as its three words, optional fields present by flag bits.
extension Correlator.State {
    /// The first bytes of the form, then its version; JSON starts with `{`.
    static let tag: [UInt8] = Array("MCST".utf8)
    static let version: UInt8 = 1
    static var magic: [UInt8] { tag + [version] }

    /// Whether `bytes` hold this form, of any version (else they are an older version's JSON).
    public static func isEncoded(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: tag)
    }

    /// The state in the saved form.
    public func encoded() -> [UInt8] {
        var writer = StateWriter(strings: strings)
        writer.bytes.append(contentsOf: Self.magic)
        writer.count(open.count)
        for (id, message) in open {
            writer.queueID(id)
            writer.message(message)
        }
        writer.times(handoffs)
        writer.times(notices)
        writer.count(recentlyRemoved.count)
        for (id, removed) in recentlyRemoved {
            writer.queueID(id)
            writer.flags([removed.isNotification, removed.pendingName != nil])
            writer.signed(removed.time)
            if let name = removed.pendingName { writer.name(name) }
        }
        writer.count(removalOrder.count)
        for id in removalOrder { writer.queueID(id) }
        writer.count(removalStart)
        writer.signed(clock)
        let sessions = clients.saved(strings)
        writer.count(sessions.logins.count)
        for login in sessions.logins {
            writer.unsigned(login.session)
            writer.text(login.user)
            writer.signed(login.time)
        }
        writer.count(sessions.ids.count)
        for id in sessions.ids {
            writer.unsigned(id.session)
            writer.text(id.name)
            writer.text(id.os)
            writer.signed(id.time)
        }
        writer.signed(sessions.clock)
        return writer.bytes
    }

    /// Reads a state `encoded()` wrote.
    ///
    /// - Throws: `StateFormatError` when the bytes are not such a state, are cut short or hold
    ///   anything this form cannot (`isNewer` when a later version of the form wrote them).
    public init(encoded bytes: [UInt8]) throws(StateFormatError) {
        self.init()
        guard Self.isEncoded(bytes), bytes.count > Self.tag.count else {
            throw StateFormatError("not a saved correlator state")
        }
        let version = bytes[Self.tag.count]
        guard version == Self.version else {
            throw StateFormatError(
                "saved in version \(version) of its form, newer than this mailcensus's", isNewer: true)
        }
        var reader = StateReader(bytes: bytes, offset: Self.magic.count, strings: strings)
        let openCount = try reader.count()
        // Each message takes several bytes: a forged count reserves no more than the bytes allow.
        open.reserveCapacity(min(openCount, bytes.count / 8))
        for _ in 0..<openCount {
            let id = try reader.queueID()
            open[id] = try reader.message()
        }
        for (id, time) in try reader.times() { handoffs[id] = time }
        for (id, time) in try reader.times() { notices[id] = time }
        for _ in 0..<(try reader.count()) {
            let id = try reader.queueID()
            let flags = try reader.flags(count: 2)
            let time = try reader.signed()
            recentlyRemoved[id] = Correlator.RemovedMessage(
                isNotification: flags & 1 != 0, time: time, pendingName: flags & 2 != 0 ? try reader.name() : nil)
        }
        let orderCount = try reader.count()
        removalOrder.reserveCapacity(orderCount)
        for _ in 0..<orderCount { removalOrder.append(try reader.queueID()) }
        let start = try reader.unsigned()
        guard start <= UInt64(removalOrder.count) else { throw StateFormatError("removal order out of range") }
        removalStart = Int(start)
        clock = try reader.signed()
        var sessions = SavedClientSessions()
        for _ in 0..<(try reader.count()) {
            sessions.logins.append(
                SavedPendingLogin(session: try reader.unsigned(), user: try reader.text(), time: try reader.signed()))
        }
        for _ in 0..<(try reader.count()) {
            sessions.ids.append(
                SavedPendingID(
                    session: try reader.unsigned(), name: try reader.text(), os: try reader.text(),
                    time: try reader.signed()))
        }
        sessions.clock = try reader.signed()
        clients = ClientSessions(sessions, strings)
        guard reader.offset == bytes.count else { throw StateFormatError("bytes after the end of the state") }
    }
}

/// Why saved state bytes could not be read.
public struct StateFormatError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// A later mailcensus saved them: this one cannot read them, an update can.
    public let isNewer: Bool

    init(_ description: String, isNewer: Bool = false) {
        self.description = description
        self.isNewer = isNewer
    }
}

/// Writes the saved form of a state (`Correlator.State.encoded()`).
private struct StateWriter {
    var bytes: [UInt8] = []
    let strings: StringTable

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func count(_ count: Int) {
        unsigned(UInt64(count))
    }

    /// Bits, the first the lowest.
    mutating func flags(_ bits: [Bool]) {
        var value: UInt64 = 0
        for (index, bit) in bits.enumerated() where bit { value |= 1 << index }
        unsigned(value)
    }

    mutating func text(_ text: String) {
        count(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ id: StringID) {
        text(strings[id])
    }

    mutating func queueID(_ id: QueueID) {
        unsigned(id.high)
        unsigned(id.low)
        unsigned(UInt64(id.host))
    }

    /// A table of times by queue id (`handoffs`, `notices`).
    mutating func times(_ table: QueueTable<Int64>) {
        count(table.count)
        for (id, time) in table {
            queueID(id)
            signed(time)
        }
    }

    mutating func name(_ name: Correlator.HeaderName) {
        string(name.address)
        string(name.name)
        signed(name.time)
    }

    mutating func recipients(_ set: RecipientSet) {
        let elements = set.elements
        count(elements.count)
        for recipient in elements { string(recipient) }
    }

    mutating func message(_ message: Correlator.OpenMessage) {
        flags([
            message.saslUser != nil, message.sender != nil, message.counted, message.isReinjection,
            message.isNotification, message.forwarded != nil, message.isExternal != nil, message.isExternal == true,
            message.hasName != nil, message.hasName == true, message.pendingName != nil, message.isDelivered != nil,
            message.isDelivered == true,
        ])
        if let user = message.saslUser { string(user) }
        if let sender = message.sender { string(sender) }
        recipients(message.exchanged)
        recipients(message.delivered)
        if let forwarded = message.forwarded { recipients(forwarded) }
        signed(message.lastSeen)
        if let name = message.pendingName { self.name(name) }
    }
}

/// Reads the saved form of a state, every length checked against the bytes left.
private struct StateReader {
    let bytes: [UInt8]
    var offset: Int
    let strings: StringTable

    mutating func unsigned() throws(StateFormatError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            // The tenth byte holds the 64th bit alone.
            guard shift < 63 || byte <= 1 else { break }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw StateFormatError("a number is cut short or too long at byte \(offset)")
    }

    mutating func signed() throws(StateFormatError) -> Int64 {
        let value = try unsigned()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// A count of things of at least a byte each: never more than the bytes left.
    mutating func count() throws(StateFormatError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count - offset) else {
            throw StateFormatError("a count of \(value) at byte \(offset) runs past the end")
        }
        return Int(value)
    }

    /// Flags of which only the lowest `count` bits may be set.
    mutating func flags(count: Int) throws(StateFormatError) -> UInt64 {
        let value = try unsigned()
        guard value >> count == 0 else { throw StateFormatError("unknown flags \(value) before byte \(offset)") }
        return value
    }

    mutating func text() throws(StateFormatError) -> String {
        let length = try count()
        guard let text = String(validating: bytes[offset..<(offset + length)], as: UTF8.self) else {
            throw StateFormatError("a string at byte \(offset) is not UTF-8")
        }
        offset += length
        return text
    }

    mutating func string() throws(StateFormatError) -> StringID {
        strings.intern(try text())
    }

    mutating func queueID() throws(StateFormatError) -> QueueID {
        let high = try unsigned()
        let low = try unsigned()
        let host = try unsigned()
        guard host <= UInt64(UInt32.max) else { throw StateFormatError("a queue id's host is out of range") }
        // All zero marks an empty slot of a queue table; no queue id packs to it.
        guard high != 0 || low != 0 else { throw StateFormatError("an empty queue id before byte \(offset)") }
        return QueueID(high: high, low: low, host: UInt32(host))
    }

    /// What `StateWriter.times(_:)` wrote.
    mutating func times() throws(StateFormatError) -> [(QueueID, Int64)] {
        var times: [(QueueID, Int64)] = []
        for _ in 0..<(try count()) { times.append((try queueID(), try signed())) }
        return times
    }

    mutating func name() throws(StateFormatError) -> Correlator.HeaderName {
        Correlator.HeaderName(address: try string(), name: try string(), time: try signed())
    }

    mutating func recipients() throws(StateFormatError) -> RecipientSet {
        var set = RecipientSet()
        for _ in 0..<(try count()) { set.insert(try string()) }
        return set
    }

    mutating func message() throws(StateFormatError) -> Correlator.OpenMessage {
        let flags = try flags(count: 13)
        func bit(_ index: Int) -> Bool { flags & (1 << index) != 0 }
        let saslUser = bit(0) ? try string() : nil
        let sender = bit(1) ? try string() : nil
        let exchanged = try recipients()
        let delivered = try recipients()
        let forwarded = bit(5) ? try recipients() : nil
        let lastSeen = try signed()
        let pendingName = bit(10) ? try name() : nil
        return Correlator.OpenMessage(
            saslUser: saslUser, sender: sender, counted: bit(2), isReinjection: bit(3), isNotification: bit(4),
            exchanged: exchanged, delivered: delivered, forwarded: forwarded, lastSeen: lastSeen,
            isExternal: bit(6) ? bit(7) : nil, hasName: bit(8) ? bit(9) : nil, pendingName: pendingName,
            isDelivered: bit(11) ? bit(12) : nil)
    }
}
