/// Values shown in error messages.
public enum ErrorText {
    /// `text` on one line, for an error message: each control character (CR, LF, NUL, tab…)
    /// shown as an escape (`\r`, `\n`, `\0`, `\t`, `\u{1B}`), so that no value can add a line
    /// to an error or forge one.
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
                || scalar == "\u{2029}":
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
