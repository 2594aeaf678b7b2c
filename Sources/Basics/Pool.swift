import Foundation

/// Things costly to make (a database connection, a parsing thread's memory of the addresses it
/// met), each lent to one holder at a time and kept for the next: as many are made as are ever
/// lent at once.
///
/// `@unchecked Sendable`: `idle` is read and written only under `lock`, and an item lent is used
/// by its holder alone until it is taken back.
public final class Pool<Item, Failure: Error>: @unchecked Sendable {
    private var idle: [Item]
    private let lock = NSLock()
    private let make: () throws(Failure) -> Item

    /// - Parameters:
    ///   - idle: items made already.
    ///   - make: makes another when every item is lent.
    public init(idle: [Item] = [], make: @escaping () throws(Failure) -> Item) {
        self.idle = idle
        self.make = make
    }

    /// An idle item, or a new one; give it back with `takeBack(_:)`.
    public func lend() throws(Failure) -> Item {
        if let item = lock.withLock({ idle.popLast() }) { return item }
        return try make()
    }

    public func takeBack(_ item: Item) {
        lock.withLock { idle.append(item) }
    }
}
