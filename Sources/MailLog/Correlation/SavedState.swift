/// The correlator's state as older versions saved it, as JSON with strings: such states still
/// decode (`Codable`). Commits now save the binary form of `StateEncoding.swift`.
struct SavedState: Codable, Equatable {
    var open: [QueueID: SavedMessage] = [:]
    var handoffs: [QueueID: Int64] = [:]
    var notices: [QueueID: Int64] = [:]
    var recentlyRemoved: [QueueID: SavedRemovedMessage] = [:]
    var removalOrder: [QueueID] = []
    var removalStart = 0
    var clock: Int64 = 0
    /// IMAP sessions waiting for their login or their client's `ID`; absent in states saved
    /// before client evidence, and when there are none.
    var clients: SavedClientSessions?
}

struct SavedRemovedMessage: Codable, Equatable {
    var isNotification: Bool
    var time: Int64
    var pendingName: SavedHeaderName?
}

struct SavedHeaderName: Codable, Equatable {
    var address: String
    var name: String
    var time: Int64
}

struct SavedMessage: Codable, Equatable {
    var saslUser: String?
    var sender: String?
    var counted = false
    var isReinjection = false
    var isNotification = false
    var exchanged = SavedRecipientSet()
    var delivered = SavedRecipientSet()
    var forwarded: SavedRecipientSet?
    var lastSeen: Int64
    var isExternal: Bool?
    var hasName: Bool?
    var pendingName: SavedHeaderName?
    var isDelivered: Bool?
}

/// A saved message's recipients, for counting each once.
///
/// Most messages have a handful of recipients, for which an array searched from the start is
/// the fastest and smallest; past `threshold` the recipients move into a hash set, so that a
/// message to 100,000 recipients costs linear time, not quadratic. Encoded as a plain array of
/// strings, as the arrays it replaced were: states saved by older versions decode.
struct SavedRecipientSet: Sendable, Codable, Equatable {
    /// Recipients kept in an array up to this many.
    static let threshold = 32

    private var few: [String] = []
    private var many: Set<String>?

    init() {}

    init(_ recipients: [String]) {
        for recipient in recipients { insert(recipient) }
    }

    var count: Int { many?.count ?? few.count }

    /// The recipients, in the order they were added while few.
    var elements: [String] { many.map(Array.init) ?? few }

    func contains(_ recipient: String) -> Bool {
        if let many { return many.contains(recipient) }
        return few.contains(recipient)
    }

    /// Adds `recipient`; returns false when it was there already.
    @discardableResult
    mutating func insert(_ recipient: String) -> Bool {
        if many != nil { return many!.insert(recipient).inserted }
        if few.contains(recipient) { return false }
        few.append(recipient)
        if few.count > SavedRecipientSet.threshold {
            many = Set(few)
            few = []
        }
        return true
    }

    init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String].self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(elements)
    }

    static func == (lhs: SavedRecipientSet, rhs: SavedRecipientSet) -> Bool {
        switch (lhs.many, rhs.many) {
        case (nil, nil): return lhs.few == rhs.few
        case (let left?, let right?): return left == right
        default: return false
        }
    }
}
