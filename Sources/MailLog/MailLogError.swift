public import Basics

/// An error reading logs: what went wrong, where, and what to do.
public struct MailLogError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case fileNotFound
        case notAFile
        case unreadable
        case truncatedCompression
        case corruptCompression
    }

    public var code: Code
    /// The file concerned.
    public var path: String
    /// What happened, and what to do about it.
    public var message: String
    /// The lower-level error, if any.
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, path: String, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(path): \(message)" }
}

extension MailLogError: CommandFailure {
    /// A log file the user named.
    public var isBadInput: Bool { true }
}
