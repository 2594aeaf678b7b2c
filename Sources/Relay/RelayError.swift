public import Basics
import Census

/// A relay failure: a template or the settings; what went wrong and where.
public struct RelayError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A notice template is missing or wrong.
        case template
        /// The relay settings are incomplete (no server, no sender).
        case settings
        /// A message would carry a broken header or address (a CR, LF or NUL): it is not sent.
        case unsafeMessage
    }

    public var code: Code
    /// The file (and line), the setting or the store concerned.
    public var subject: String
    public var message: String

    public init(_ code: Code, subject: String, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { ErrorText.oneLine("\(subject): \(message)") }
}

extension RelayError: CommandFailure {
    /// A template, the relay settings or a message.
    public var isBadInput: Bool { true }
}
