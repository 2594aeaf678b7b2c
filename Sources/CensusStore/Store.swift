public import Census
public import Foundation
public import MailLog
public import Provisioning
public import Relay

/// A mail server whose logs are ingested: its figures are kept apart in the store, so that
/// reports can show one server or all of them merged, and a national store can add provinces up.
/// A source is known by its province and its name: two provinces may both have a `portal`.
public struct IngestSource: Sendable, Hashable {
    /// A short name: `portal`, `giaoduc`, `xuantruong`.
    public var name: String
    /// The province it belongs to (the policy's `province`).
    public var province: String

    /// The source of a store fed by one mail server.
    public static let defaultName = "default"

    public init(name: String, province: String) {
        self.name = name
        self.province = province
    }

    /// Whether `name` can name a source: 1 to 64 of a–z, 0–9, `.`, `_` and `-`.
    public static func isValid(name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy {
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || "._-".utf8.contains($0)
            }
    }
}

/// Which sources a read covers: those of `province` (nil: of every province), all of them or
/// those named. A store made before sources has one source of no province, which belongs to
/// every province.
public struct SourceSelection: Sendable, Equatable, ExpressibleByArrayLiteral {
    public var province: String?
    /// nil: all of the province's.
    public var names: [String]?

    public init(province: String? = nil, names: [String]? = nil) {
        self.province = province
        self.names = names
    }

    /// The sources named, of any province.
    public init(arrayLiteral names: String...) {
        province = nil
        self.names = names
    }

    /// Every source of every province.
    public static let all = SourceSelection(province: nil, names: nil)
}

/// What one source holds: for `ingest`'s summary and the sources listing.
public struct StoredSource: Sendable, Equatable {
    public var name: String
    public var province: String
    public var statistics: IngestStatistics
    /// The days it has data for.
    public var coverage: ClosedRange<Int>?
}

/// Why a run holds a store for itself.
public enum StorePurpose: Sendable, Hashable {
    /// An ingest of one source: two ingests of the same source must not overlap.
    case ingest(IngestSource)
    /// A provisioning apply: two must not create the same accounts.
    case provisioning
    /// Sending the outbox: two senders would send the same notices twice.
    case relay
}

extension StorePurpose {
    /// Why a hold for this purpose is refused.
    var busy: String {
        switch self {
        case .ingest(let source): "another mailcensus run is ingesting the source \(source.name) into this store"
        case .provisioning: "another mailcensus run is provisioning from this store"
        case .relay: "another mailcensus run is sending this store's notices (they stay queued for it or the next run)"
        }
    }
}

/// The store: everything an ingest writes, and everything the census, provisioning and the relay
/// read and write. Two implementations, with the same schema and behaviour: `SQLiteStore` (a
/// file, the default) and `PostgresStore` (a shared server that several mail servers report into).
/// Both run the same SQL (`SQLStore`); only migrations, holds and the bulk commit of daily rows
/// are each one's own.
public protocol Store: AnyObject, Sendable, Outbox, ProvisioningJournal {
    /// Where it is, for messages: a path, or `postgres://HOST:PORT/DATABASE`.
    var location: String { get }

    /// The sink an ingest of `source`'s logs commits into (its checkpoints and open messages
    /// are its own).
    func sink(for source: IngestSource) throws -> any IngestSink

    /// Holds the store for one run that writes it; released when the value goes or the process
    /// ends. Throws `StoreError` with code `.busy` when another run holds it.
    func hold(_ purpose: StorePurpose) throws -> AnyObject

    /// The sources, by name.
    func sources() throws -> [StoredSource]

    /// Totals of every ingest into the sources chosen.
    func statistics(sources: SourceSelection) throws -> IngestStatistics

    /// The UTC offset the store's days were counted in, once anything was ingested.
    func utcOffset() throws -> Int?

    /// Activity per address over the days `from...through` (day numbers; nil for no bound), of
    /// the sources chosen, merged.
    ///
    /// - Parameter classifier: sorts correspondents into official, webmail and other.
    func activity(from: Int?, through: Int?, classifier: AddressClassifier, sources: SourceSelection) throws
        -> [AddressActivity]

    /// What the census needs of the days `from...through`: activity, exchanges and forwards per
    /// day, the last active day of each address up to `through`, and the days covered; of the
    /// sources chosen, merged.
    func censusData(from: Int, through: Int, sources: SourceSelection) throws -> CensusData

    /// The client evidence of the days `from` through `through` (nil: unbounded) of the
    /// sources chosen, merged: logins per address, day, origin and client, and each day's evidence.
    func clientData(from: Int?, through: Int?, sources: SourceSelection) throws -> ClientData

    /// The first and last day the sources chosen hold log data for; nil when none.
    func coverage(sources: SourceSelection) throws -> ClosedRange<Int>?

    /// The last day each address logged in or submitted mail, on any source (day numbers).
    func lastActiveDays() throws -> [String: Int]

    /// The domains of the store's own mailboxes (addresses that logged in or submitted mail on
    /// any day) of the sources chosen, sorted.
    func mailboxDomains(sources: SourceSelection) throws -> [String]
}

extension Store {
    public func statistics() throws -> IngestStatistics { try statistics(sources: .all) }

    public func activity(from: Int?, through: Int?, classifier: AddressClassifier) throws -> [AddressActivity] {
        try activity(from: from, through: through, classifier: classifier, sources: .all)
    }

    public func censusData(from: Int, through: Int) throws -> CensusData {
        try censusData(from: from, through: through, sources: .all)
    }

    public func coverage() throws -> ClosedRange<Int>? { try coverage(sources: .all) }
}

/// Opens stores by location.
public enum Stores {
    /// The environment variable that holds a PostgreSQL store's password.
    public static let passwordVariable = "MAILCENSUS_STORE_PASSWORD"

    /// Whether `location` names a PostgreSQL store rather than a SQLite file: a URI
    /// (`postgresql://`, `postgres://`) or a libpq keyword string (its first word a keyword
    /// followed by `=`: `service=census`, `host=db.namdinh.gov.vn dbname=census`).
    public static func isPostgres(_ location: String) -> Bool { PostgresLocation.isLocation(location) }

    /// Opens (creating if needed) the store at `location`: a SQLite file, or a PostgreSQL
    /// database named as libpq reads it (a URI or keywords, with the `PG…` environment,
    /// `pg_service.conf` and `~/.pgpass`), its password from `$MAILCENSUS_STORE_PASSWORD` or
    /// `passwordFile` if given, never from the location. See `PostgresLocation`.
    ///
    /// - Parameter readOnly: only to read (reports, activity): a SQLite file is opened without
    ///   write access and not migrated (`SQLiteStore.init(path:readOnly:)`); a PostgreSQL store
    ///   is opened as usual.
    public static func open(
        _ location: String, passwordFile: String? = nil, readOnly: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) -> any Store {
        guard isPostgres(location) else { return try SQLiteStore(path: location, readOnly: readOnly) }
        let address = try PostgresLocation(location)
        return try PostgresStore(
            address, password: try address.password(file: passwordFile, environment: environment),
            environment: environment)
    }
}

/// A store that keeps each source's checkpoints, open messages and daily rows apart
/// (`IngestSQL`; the commit is each backend's own).
protocol SourceWriting: Sendable {
    func checkpoints(lineHash: String, source: Int64) throws -> [FileCheckpoint]
    func correlatorState(source: Int64) throws -> Correlator.State?
    func commit(_ batch: IngestBatch, source: Int64) throws
    /// Stores the addresses a later commit will name (`IngestSink.prepare(addresses:)`).
    func prepare(addresses: [String]) throws
}

/// What an ingest of one source reads and commits.
struct SourceSink<Writer: SourceWriting>: IngestSink {
    let store: Writer
    let source: Int64

    func checkpoints(lineHash: String) throws -> [FileCheckpoint] {
        try store.checkpoints(lineHash: lineHash, source: source)
    }

    func correlatorState() throws -> Correlator.State? { try store.correlatorState(source: source) }

    func commit(_ batch: IngestBatch) throws { try store.commit(batch, source: source) }

    func prepare(addresses: [String]) throws { try store.prepare(addresses: addresses) }
}
