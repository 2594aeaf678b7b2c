public import Census

/// Store data for census tests, written as readable rows: days count from `firstDay` (day 1),
/// negative ones before it.
public struct CensusDataBuilder {
    public var data: CensusData
    public let firstDay: Int
    private var ids: [String: Int32] = [:]

    /// - Parameter coverage: the days the logs cover, as day numbers.
    public init(firstDay: Int, coverage: ClosedRange<Int>?) {
        self.firstDay = firstDay
        data = CensusData(coverage: coverage)
    }

    public mutating func id(_ address: String) -> Int32 {
        if let id = ids[address] { return id }
        ids[address] = Int32(data.addresses.count)
        data.addresses.append(address)
        return ids[address]!
    }

    func number(_ day: Int) -> Int32 { Int32(firstDay + day - 1) }

    /// Logins (and submissions) on `day`; the address's last active day follows.
    public mutating func login(_ address: String, day: Int, logins: Int32 = 1, submitted: Int32 = 0) {
        let id = id(address)
        data.activity.append(
            .init(day: number(day), address: id, submitted: submitted, received: 0, logins: logins, failedLogins: 0))
        data.lastActive[id] = max(data.lastActive[id] ?? .min, number(day))
    }

    /// A delivery into the mailbox, which makes nobody active.
    public mutating func received(_ address: String, day: Int, messages: Int32 = 1) {
        data.activity.append(
            .init(day: number(day), address: id(address), submitted: 0, received: messages, logins: 0, failedLogins: 0))
    }

    public mutating func message(_ from: String, _ to: String, _ count: Int = 1, day: Int) {
        data.exchanges.append(.init(day: number(day), from: id(from), to: id(to), messages: Int32(count)))
    }

    /// `messages` From headers of `address` showing `name` (folded as the ingest folds it).
    public mutating func displayName(_ address: String, _ name: String, messages: Int32 = 1) {
        data.displayNames.append(.init(address: id(address), name: VietnameseName.fold(name), messages: messages))
    }

    public mutating func forward(_ from: String, _ to: String, day: Int) {
        data.forwards.append(.init(day: number(day), from: id(from), to: id(to), messages: 1))
    }
}
