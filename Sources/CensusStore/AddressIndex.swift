/// The store's address table, numbered densely in id order, so that reads add rows up in
/// arrays rather than in dictionaries: `names[index]`, and the index of each id.
///
/// SQLite's ids are dense; PostgreSQL's sequence may leave gaps. Ids up to a few times the
/// number of addresses are looked up in an array, larger ones in a dictionary.
struct AddressIndex {
    /// Each address, by index; "" for an id that rows name but the table lacks.
    private(set) var names: [String] = []
    /// Index + 1 of each id below `dense.count`; 0 for none.
    private var dense: [Int32] = []
    private var sparse: [Int64: Int32] = [:]

    /// Every address of the store, in id order; with `names` false, only their ids (for a read
    /// that looks indexes up, in the same snapshot as one that has the names: it answers only
    /// `index(_:)`).
    static func read(_ query: any SQLExecutor, names readNames: Bool = true) throws -> AddressIndex {
        var ids: [Int64] = []
        var names: [String] = []
        try query.forEach("SELECT id\(readNames ? ", address" : "") FROM address ORDER BY id", []) { row in
            ids.append(try row.int64(0))
            if readNames { names.append(try row.text(1) ?? "") }
        }
        var index = AddressIndex()
        index.names = names
        let limit = 4 * Int64(ids.count) + 65_536
        index.dense = [Int32](repeating: 0, count: Int(min(ids.max().map { $0 + 1 } ?? 0, limit)))
        for (position, id) in ids.enumerated() {
            if id >= 0 && id < Int64(index.dense.count) {
                if index.dense[Int(id)] == 0 { index.dense[Int(id)] = Int32(position + 1) }
            } else if index.sparse[id] == nil {
                index.sparse[id] = Int32(position)
            }
        }
        return index
    }

    var count: Int { names.count }

    /// The index of `id`; nil when the table lacks it.
    func index(_ id: Int64) -> Int32? {
        if id >= 0 && id < Int64(dense.count) {
            let slot = dense[Int(id)]
            return slot == 0 ? nil : slot - 1
        }
        return sparse[id]
    }

    /// The index of `id`, numbering an id the table lacks (with the name "") after the others.
    mutating func intern(_ id: Int64) -> Int32 {
        if let index = index(id) { return index }
        let index = Int32(names.count)
        names.append("")
        if id >= 0 && id < Int64(dense.count) { dense[Int(id)] = index + 1 } else { sparse[id] = index }
        return index
    }
}
