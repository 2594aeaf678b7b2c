/// The recipients of one message seen so far, for counting each once.
///
/// Most messages have a handful of recipients, for which an array searched from the start is
/// the fastest and smallest; past `threshold` the recipients move into a hash set, so that a
/// message to 100,000 recipients costs linear time, not quadratic.
struct RecipientSet: Sendable, Equatable {
    /// Recipients kept in an array up to this many.
    static let threshold = 32

    private var few: [StringID] = []
    private var many: Set<StringID>?

    init() {}

    var isEmpty: Bool { many?.isEmpty ?? few.isEmpty }

    /// The recipients, in the order they were added while few.
    var elements: [StringID] { many.map(Array.init) ?? few }

    func contains(_ recipient: StringID) -> Bool {
        if let many { return many.contains(recipient) }
        return few.contains(recipient)
    }

    /// Adds `recipient`; returns false when it was there already.
    @discardableResult
    mutating func insert(_ recipient: StringID) -> Bool {
        if many != nil { return many!.insert(recipient).inserted }
        if few.contains(recipient) { return false }
        few.append(recipient)
        if few.count > RecipientSet.threshold {
            many = Set(few)
            few = []
        }
        return true
    }
}
