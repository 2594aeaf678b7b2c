/// Where a job reports what the person running it should read besides its result: problems,
/// warnings, the lines of a bad roster. The command line writes each to stderr, one line; a
/// test collects them.
public struct JobLog: Sendable {
    private let write: @Sendable (String) -> Void

    /// - Parameter write: called with each line, without its newline.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Reports one line.
    public func callAsFunction(_ line: String) {
        write(line)
    }

    /// A log that drops every line.
    public static let discarding = JobLog { _ in }
}
