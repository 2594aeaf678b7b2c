import Census
import Foundation

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

    /// One line to stderr: a CR, LF or other control character in `message` (from a roster,
    /// a policy, a log) is shown escaped (`\r\n`), so that every error is one line.
    static func error(_ message: String) {
        errorBlock(ErrorText.oneLine(message))
    }

    /// Text of several lines to stderr as it is (ArgumentParser's usage).
    static func errorBlock(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    static func output(_ text: String) {
        guard outputFailure == nil else { return }
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            outputFailure = ErrorText.reason(error)
        }
    }

    /// Rewrites the current stderr line (progress), on a terminal only.
    static func status(_ line: String) {
        guard standardErrorIsTerminal else { return }
        try? FileHandle.standardError.write(contentsOf: Data(("\r\u{1B}[K" + line).utf8))
    }

    static func clearStatus() {
        status("")
    }

    /// `1.5 GB`, `312 MB`, `4.0 KB`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}
