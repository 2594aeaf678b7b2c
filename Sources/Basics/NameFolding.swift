import Foundation

/// Folds personal names for matching: the only form in which mailcensus keeps a name.
///
/// Folding strips tones and vowel marks (ư → u, ơ → o, ă/â → a, ê → e, ô → o), maps đ/Đ to d,
/// lowers case, keeps ASCII letters and digits, turns spaces and `-` into single spaces and
/// drops everything else; NFC and NFD input fold alike. "Lê Công Quân" folds to "le cong quan".
public enum NameFolding {
    /// `text` folded to lower-case ASCII letters, digits and single spaces; empty when nothing is left.
    ///
    /// - Parameter keeping: ASCII characters kept as they are (`?`: what Postfix logs for each
    ///   byte of UTF-8 when `smtputf8_enable = no`, so that `Nguy???n` can still be compared).
    public static func fold(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        let decomposed = text.decomposedStringWithCanonicalMapping
        var result = ""
        var pendingSpace = false
        for scalar in decomposed.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F:
                continue  // tones and vowel marks
            case 0x0110, 0x0111:
                appendLetter("d")
            default:
                if scalar.properties.isWhitespace || scalar == "-" {
                    pendingSpace = !result.isEmpty
                } else if keeping.contains(scalar) {
                    appendLetter(String(scalar))
                } else if scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                    appendLetter(Character(scalar).lowercased())
                }
            }
        }
        func appendLetter(_ letter: String) {
            if pendingSpace {
                result += " "
                pendingSpace = false
            }
            result += letter
        }
        return result
    }

    /// A name as Postfix logs it with `smtputf8_enable = no` (each byte of UTF-8 as `?`), lower
    /// case: "Nguyễn Văn An" → "nguy???n v??n an", to compare with a folded display name that
    /// kept its `?`.
    public static func asMangled(_ text: String) -> String {
        var result = ""
        for character in text.precomposedStringWithCanonicalMapping.lowercased() {
            if character.isWhitespace {
                if !result.isEmpty && result.last != " " { result += " " }
            } else if character.isASCII {
                result += String(character)
            } else {
                result += String(repeating: "?", count: String(character).utf8.count)
            }
        }
        return result.hasSuffix(" ") ? String(result.dropLast()) : result
    }
}
