import Basics
public import Census
public import CensusStore
import MailLog
public import Reports

/// `mailcensus activity`: each address's activity from the store. Needs no policy.
public struct ActivityJob: Sendable {
    /// The policy, when there is one; without it every source counts and the official domains
    /// are those of the store's own mailboxes.
    public var policy: Policy?
    public var store: StoreAccess
    /// First and last day, inclusive; nil for no bound.
    public var since: Int?
    public var until: Int?
    /// The mail servers whose activity counts; empty for all.
    public var sources: [String]

    public init(policy: Policy?, store: StoreAccess, since: Int? = nil, until: Int? = nil, sources: [String] = []) {
        self.policy = policy
        self.store = store
        self.since = since
        self.until = until
        self.sources = sources
    }

    /// The addresses' activity, their logins by client class, the store's line counts, and the
    /// offset their times are at.
    public struct Result: Sendable {
        public var activity: [AddressActivity]
        public var clients: ActivityClients
        public var lines: LineTotals
        /// The UTC offset of the times: the store's, else the policy's.
        public var utcOffset: Int

        /// `{"addresses": […], "lines": {…}}`.
        public var json: String {
            ActivityRenderer(utcOffset: utcOffset).json(activity, lines: lines, clients: clients)
        }

        /// One row an address, starting with the byte-order mark when `byteOrderMark`.
        public func csv(byteOrderMark: Bool) -> String {
            CSVWriter.marked(
                ActivityRenderer(utcOffset: utcOffset).csv(activity, clients: clients), byteOrderMark: byteOrderMark)
        }
    }

    public func run() throws -> Result {
        let store = try store.openForReading()
        let filter =
            policy.map { SourceSelection(province: $0.province, names: sources.isEmpty ? nil : sources) }
            ?? SourceSelection(province: nil, names: sources.isEmpty ? nil : sources)
        let classifier = try policy.map(AddressClassifier.init) ?? Self.classifier(store, sources: filter)
        // The client evidence is read while the activity is, on a connection of its own.
        let (read, others) = concurrently(
            { try store.activity(from: since, through: until, classifier: classifier, sources: filter) },
            { [self] in
                let utcOffset = try store.utcOffset() ?? policy?.utcOffset ?? 0
                let clients = ActivityClients(
                    data: try store.clientData(from: since, through: until, sources: filter),
                    table: policy?.clientClasses ?? .standard,
                    days: try days(store, sources: filter), utcOffset: utcOffset)
                return (utcOffset, clients, try store.statistics(sources: filter))
            })
        let activity = try read.get()
        let (utcOffset, clients, stats) = try others.get()
        return Result(
            activity: activity, clients: clients,
            lines: LineTotals(read: stats.linesRead, parsed: stats.linesParsed, skipped: stats.linesSkipped),
            utcOffset: utcOffset)
    }

    /// The days asked for, a missing bound the store's first or last day; nil for all of them.
    func days(_ store: any Store, sources: SourceSelection) throws -> DayRange? {
        guard since != nil || until != nil else { return nil }
        let coverage = try store.coverage(sources: sources)
        guard let from = since ?? coverage?.lowerBound, let through = until ?? coverage?.upperBound else { return nil }
        return DayRange(from: from, through: through)
    }

    /// Without a policy: the official domains are those of the store's own mailboxes (addresses
    /// that logged in or sent authenticated mail), webmail the built-in list.
    static func classifier(_ store: any Store, sources: SourceSelection) throws -> AddressClassifier {
        AddressClassifier(policy: Policy(province: "", officialDomains: try store.mailboxDomains(sources: sources)))
    }
}

/// `mailcensus sources`: the mail servers whose logs are in the store.
public struct SourcesJob: Sendable {
    public var store: StoreAccess

    public init(store: StoreAccess) {
        self.store = store
    }

    public func run() throws -> SourcesList {
        SourcesList(store: store.location, sources: try store.openForReading().sources())
    }
}

/// The sources of a store.
public struct SourcesList: Sendable {
    /// The store's location, for the text.
    public var store: String
    public var sources: [StoredSource]
}
