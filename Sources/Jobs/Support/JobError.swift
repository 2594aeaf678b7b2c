public import Basics

/// Why a job stopped: the one error type of `Jobs`.
///
/// Its `description` is the whole message (the command line prints it after `mailcensus: `);
/// `code` says whether the user's input or usage was at fault, for the exit status.
public struct JobError: Error, Sendable, CustomStringConvertible, CommandFailure {
    public enum Code: Sendable, Equatable {
        /// Bad usage of the command (its options): the command line answers with its usage, status 2.
        case usage
        /// Bad input (a roster, a policy, a file named): status 2.
        case badInput
        /// The work failed: status 1.
        case failed
        /// The job has reported its problems through its log already; nothing more to say, only
        /// the status.
        case stopped(FailureStatus)
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public var isBadInput: Bool {
        switch code {
        case .usage, .badInput: true
        case .failed: false
        case .stopped(let status): status == .badInput
        }
    }
}
