import Foundation

/// Values shown in error messages.
public enum ErrorText {
    /// `text` on one line, for an error message: each control character (CR, LF, NUL, tab…),
    /// line separator and bidirectional override shown as an escape (`\r`, `\n`, `\0`, `\t`,
    /// `\u{1B}`, `\u{202E}`), so that no value can add a line to an error, forge one, or turn
    /// its text around.
    public static func oneLine(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            case _
            where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}"
                || scalar == "\u{2029}" || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Why a file operation failed, as the system says it (`No space left on device`): the
    /// POSIX error under Foundation's, else the error's own text.
    public static func reason(_ error: any Error) -> String {
        var current = error as NSError
        while current.domain != NSPOSIXErrorDomain, let below = current.userInfo[NSUnderlyingErrorKey] as? NSError {
            current = below
        }
        return current.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(current.code))) : "\(error)"
    }
}
