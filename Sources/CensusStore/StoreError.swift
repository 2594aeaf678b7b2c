public import Basics

/// An error of the store: what went wrong and what to do; SQL arguments (addresses) stay out.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The location names no store: a URL that does not parse, a file that is not a store
        /// (bad input, exit status 2).
        case badLocation
        case cannotOpen
        /// The store's schema is older than this mailcensus's, and it was opened only to read.
        case needsUpgrade
        /// Another process holds the store for an ingest.
        case busy
        case query
        case corruptState
        /// A report asked for a source (a mail server) the store does not have.
        case unknownSource
    }

    public var code: Code
    /// The store's location: a path, or a URL without its password.
    public var location: String
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, location: String, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.location = location
        self.message = message
        self.cause = cause
    }

    public var description: String {
        let reason = cause.map { " (\(String(describing: $0)))" } ?? ""
        return "store \(location): \(message)\(reason)"
    }
}

extension StoreError: CommandFailure {
    /// A location that names no store, or a source the store does not have; any other store
    /// error is a failure of the work.
    public var isBadInput: Bool { code == .badLocation || code == .unknownSource }
}
