public import CensusStore
import Foundation

/// Where the store is and how to open it (`--store`, `--store-password-file`), for the jobs
/// that open it themselves, when their checks before it have passed.
public struct StoreAccess: Sendable {
    /// A SQLite file's path or a PostgreSQL location.
    public var location: String
    /// A file holding the PostgreSQL store's password.
    public var passwordFile: String?

    public init(location: String, passwordFile: String? = nil) {
        self.location = location
        self.passwordFile = passwordFile
    }

    private var isMissingFile: Bool {
        !Stores.isPostgres(location) && !FileManager.default.fileExists(atPath: location)
    }

    private var missing: JobError {
        JobError(.usage, "no store at \(location): run `mailcensus ingest LOG…` first, or name one with --store")
    }

    /// Opens the store when there is one: nil for a SQLite file that does not exist yet, which a
    /// job that changes nothing must not create.
    public func openIfPresent() throws -> (any Store)? {
        if isMissingFile { return nil }
        return try Stores.open(location, passwordFile: passwordFile)
    }

    /// Opens the store; with `mustExist`, refuses to create an empty SQLite file.
    ///
    /// - Throws: `JobError` (usage) when `mustExist` and there is no SQLite file; the store's errors.
    public func open(mustExist: Bool) throws -> any Store {
        if mustExist && isMissingFile { throw missing }
        return try Stores.open(location, passwordFile: passwordFile)
    }

    /// Opens an existing store only to read it: a SQLite file this user may not write will do,
    /// and its schema is not upgraded.
    public func openForReading() throws -> any Store {
        if isMissingFile { throw missing }
        return try Stores.open(location, passwordFile: passwordFile, readOnly: true)
    }
}
