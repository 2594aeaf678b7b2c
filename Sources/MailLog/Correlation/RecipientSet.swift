/// The recipients of one message seen so far, for counting each once.
///
/// Most messages have a handful of recipients, for which an array searched from the start is
/// the fastest and smallest; past `threshold` the recipients move into a hash set, so that a
/// message to 100,000 recipients costs linear time, not quadratic. Encoded as a plain array of
/// strings, as the arrays it replaced were: states saved by older versions decode.
struct RecipientSet: Sendable, Codable, Equatable {
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
        if few.count > RecipientSet.threshold {
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

    static func == (lhs: RecipientSet, rhs: RecipientSet) -> Bool {
        switch (lhs.many, rhs.many) {
        case (nil, nil): return lhs.few == rhs.few
        case (let left?, let right?): return left == right
        default: return false
        }
    }
}
