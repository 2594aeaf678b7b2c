import Basics
import Foundation

/// A Vietnamese full name, split and folded for addresses and matching.
///
/// "Nguyễn Văn An": family `nguyen`, middle `[van]`, given `an`. Folding strips tones and
/// vowel marks (ư → u, ơ → o, ă/â → a, ê → e, ô → o), maps đ/Đ to d, lowers case, and ignores
/// extra spaces; NFC and NFD input fold alike.
public struct VietnameseName: Sendable, Equatable {
    public var family: String
    public var middle: [String]
    public var given: String

    /// Splits a full name (family name first, given name last); nil when it has no letters.
    public init?(_ fullName: String) {
        let parts = VietnameseName.fold(fullName).unicodeScalars.split(separator: " ").map(String.init)
        guard let first = parts.first, let last = parts.last else { return nil }
        family = parts.count > 1 ? first : ""
        given = last
        middle = parts.count > 2 ? Array(parts[1..<(parts.count - 1)]) : []
    }

    /// The name folded to lower-case ASCII letters and single spaces (`NameFolding.fold`).
    public static func fold(_ text: String) -> String {
        NameFolding.fold(text)
    }

    /// Initials of the family and middle names: "Nguyễn Văn An" → "nv".
    public var initials: String {
        var initials = String.UnicodeScalarView()
        for part in [family] + middle { if let first = part.unicodeScalars.first { initials.append(first) } }
        return String(initials)
    }
}

extension VietnameseName {
    /// Why a roster's `full_name` cannot be used: one sentence naming the character and what to do.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A full name as HR typed it, checked and put in its one form; the name HR's roster must give.
    ///
    /// A name is letters (Unicode letters and combining marks: Vietnamese, and the scripts of the
    /// province's minorities) in words separated by spaces; inside a word, an apostrophe (`'`,
    /// `’`) or a hyphen joins letters (`H'Hen`, `Nguyễn-Trần`). Every Unicode space (tab, line
    /// break, no-break space, U+2000–U+200A, U+3000, …) becomes one space, runs of them one, and
    /// the ends are trimmed; `Ð`/`ð` (U+00D0/U+00F0, Icelandic eth, which Windows-1258 text read
    /// as Latin-1 gives for `Đ`/`đ`) become `Đ`/`đ`; the result is NFC.
    ///
    /// - Throws: `Problem` for anything else: a digit (`Đỗ Văn Quyết 2`), `?` or U+FFFD (letters a
    ///   legacy program lost), `@` or `.` (an address typed in the name column), a control or
    ///   invisible formatting character, an apostrophe or hyphen without a letter on each side.
    public static func normalize(_ fullName: String) throws(Problem) -> String {
        var spaced = SpacedText()
        for scalar in fullName.unicodeScalars {
            if !Self.isASCIILetter(scalar) && scalar.properties.isWhitespace {
                spaced.space()
                continue
            }
            switch scalar.value {
            case 0x00D0: spaced.append("\u{0110}")
            case 0x00F0: spaced.append("\u{0111}")
            default: spaced.append(scalar)
            }
        }
        let name = NameFolding.composed(spaced.text)
        guard !name.isEmpty else { throw Problem(message: "no full_name") }
        for word in name.unicodeScalars.split(separator: " ") {
            var previous: Unicode.Scalar?
            for scalar in word {
                if isASCIILetter(scalar) {
                    previous = scalar
                    continue
                }
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                    break
                case .nonspacingMark, .spacingMark, .enclosingMark:
                    guard let previous, !joiners.contains(previous) else {
                        throw Problem(
                            message: "full_name has a combining mark \(shown(scalar)) with no letter before it")
                    }
                default:
                    if joiners.contains(scalar) {
                        guard let previous, !joiners.contains(previous) else {
                            throw Problem(
                                message: "full_name has \(shown(scalar)) with no letter before it; an apostrophe or "
                                    + "hyphen only joins letters")
                        }
                    } else {
                        throw Problem(message: "full_name has \(shown(scalar)): \(advice(scalar))")
                    }
                }
                previous = scalar
            }
            if let previous, joiners.contains(previous) {
                throw Problem(
                    message: "full_name has \(shown(previous)) with no letter after it; an apostrophe or hyphen "
                        + "only joins letters")
            }
        }
        return name
    }

    /// `a`–`z`, `A`–`Z`: most of a name's letters, told apart without Unicode's tables.
    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (0x61...0x7A).contains(scalar.value | 0x20)
    }

    /// The apostrophes and hyphens that may join letters inside a word.
    static let joiners: Set<Unicode.Scalar> = ["'", "\u{2019}", "-", "\u{2010}"]

    /// A character as an error shows it: visible ones quoted, all with their code point.
    static func shown(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(format: "%04X", scalar.value)
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return code
        default:
            return "\"\(scalar)\" (\(code))"
        }
    }

    /// What a character that is no letter says about the roster, and what to do.
    static func advice(_ scalar: Unicode.Scalar) -> String {
        let fix = "a name is letters separated by spaces, apostrophes or hyphens"
        switch scalar {
        case "?", "\u{FFFD}":
            return "Vietnamese letters were lost when the roster went through a program that is not Unicode; "
                + "export it again from the original as CSV UTF-8"
        case "@", ".":
            return "an address typed in the name column? \(fix); addresses go in official_address or "
                + "personal_addresses"
        default:
            break
        }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber:
            return "\(fix), without numbers (two people of the same name need none: their addresses are numbered)"
        case .control:
            return "a control character; \(fix)"
        case .format:
            return "an invisible formatting character; \(fix)"
        default:
            return fix
        }
    }
}
