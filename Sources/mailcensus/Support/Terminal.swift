import Census
import Foundation

/// Writing to the terminal: results to stdout, everything else to stderr.
enum Terminal {
    static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    /// One line to stderr: a CR, LF or other control character in `message` (from a roster,
    /// a policy, a log) is shown escaped (`\r\n`), so that every error is one line.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((ErrorText.oneLine(message) + "\n").utf8))
    }

    /// Text of several lines to stderr as it is (ArgumentParser's usage).
    static func errorBlock(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Rewrites the current stderr line (progress), on a terminal only.
    static func status(_ line: String) {
        guard standardErrorIsTerminal else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    static func clearStatus() {
        guard standardErrorIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
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
