public import Basics

/// An error in the census inputs (policy, roster): what went wrong, where, and what to do.
public struct CensusError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case policyUnreadable
        case policyInvalid
        case rosterUnreadable
        case rosterInvalid
    }

    public var code: Code
    /// The file, with a key path or line where it helps: `Policies/default.yaml: utc_offset`.
    public var location: String
    public var message: String

    public init(_ code: Code, location: String, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    /// One line: a control character from the file (CR, LF) is shown escaped.
    public var description: String { ErrorText.oneLine("\(location): \(message)") }
}

extension CensusError: CommandFailure {
    /// A policy or roster the user can fix.
    public var isBadInput: Bool { true }
}
