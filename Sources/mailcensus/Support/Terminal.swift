import Census
import Foundation
import Jobs
import Synchronization

/// Writing to the terminal: results to stdout, everything else to stderr.
///
/// A write that fails (stdout redirected to a full disk, a closed pipe) never stops the
/// program on the spot: a failed result is remembered (`outputFailure`), and the run ends with
/// an error saying so and status 1 (`Entry`); a failed message to stderr has nowhere to go.
enum Terminal {
    static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    /// Why writing a result to stdout failed, the first time it did. Unguarded: results are
    /// written by the command's own task, one after another, never from worker threads.
    nonisolated(unsafe) static var outputFailure: String?

    /// Whether a progress line is on the terminal, to clear before a message.
    private static let statusShown = Mutex(false)

    /// One line to stderr: a CR, LF or other control character in `message` (from a roster,
    /// a policy, a log) is shown escaped (`\r\n`), so that every error is one line.
    static func error(_ message: String) {
        clearStatus()
        errorBlock(ErrorText.oneLine(message))
    }

    /// The jobs' log: each line to stderr (`error`).
    static let log = JobLog { Terminal.error($0) }

    /// Text of several lines to stderr as it is (ArgumentParser's usage).
    static func errorBlock(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    static func output(_ text: String) {
        guard outputFailure == nil else { return }
        var text = text
        do {
            // The string's own bytes, not a copy: a big report is megabytes.
            try text.withUTF8 { try FileHandle.standardOutput.write(contentsOf: UnsafeRawBufferPointer($0)) }
        } catch {
            outputFailure = ErrorText.reason(error)
        }
    }

    /// Rewrites the current stderr line (progress), on a terminal only.
    static func status(_ line: String) {
        guard standardErrorIsTerminal else { return }
        statusShown.withLock { $0 = !line.isEmpty }
        try? FileHandle.standardError.write(contentsOf: Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Clears the progress line, when one is shown.
    static func clearStatus() {
        guard statusShown.withLock({ $0 }) else { return }
        status("")
    }
}
