/// An error that says whether the user's input caused it, for the command line's exit status.
///
/// Each module's error type adopts it; an error that does not is a failure of the work.
public protocol CommandFailure: Error {
    /// Whether the input is at fault (a policy, roster, log, secret, store location or source
    /// that the user names and can fix): exit status 2; otherwise the work failed: 1.
    var isBadInput: Bool { get }
}

/// The exit status of a command that stopped on an error (0 is success, not a failure).
public enum FailureStatus: Int32, Sendable {
    /// The work failed (a server, the store, a file that could not be written).
    case failed = 1
    /// Bad usage or bad input.
    case badInput = 2

    /// The status for `error`: `badInput` when it is a `CommandFailure` that says so, else `failed`.
    public init(of error: any Error) {
        self = (error as? any CommandFailure)?.isBadInput == true ? .badInput : .failed
    }
}
