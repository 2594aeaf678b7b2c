import Foundation

/// Folds personal names for matching: the only form in which mailcensus keeps a name.
///
/// Folding strips tones and vowel marks (ư → u, ơ → o, ă/â → a, ê → e, ô → o), maps đ/Đ to d,
/// lowers case, keeps ASCII letters and digits, turns spaces and `-` into single spaces and
/// drops everything else; NFC and NFD input fold alike. "Lê Công Quân" folds to "le cong quan".
public enum NameFolding {
    /// `text` folded to lower-case ASCII letters, digits and single spaces; empty when nothing is left.
    ///
    /// Each character is folded by its canonical decomposition (NFD), which for the letters of
    /// Vietnamese and the other Latin scripts is looked up in a table made once.
    ///
    /// - Parameter keeping: ASCII characters kept as they are (`?`: what Postfix logs for each
    ///   byte of UTF-8 when `smtputf8_enable = no`, so that `Nguy???n` can still be compared).
    public static func fold(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        var result = SpacedText()
        func append(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x0300...0x036F:
                return  // tones and vowel marks
            case 0x0110, 0x0111:
                result.append("d")
            case 0x41...0x5A:  // ASCII letters, lower-cased
                result.append(Unicode.Scalar(UInt8(scalar.value) + 0x20))
            case 0x61...0x7A, 0x30...0x39:  // and digits
                result.append(scalar)
            default:
                if scalar.properties.isWhitespace || scalar == "-" {
                    result.space()
                } else if keeping.contains(scalar) {
                    result.append(scalar)
                }
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                append(scalar)
            } else if let decomposition = latinDecomposition(scalar) {
                decomposition.forEach(append)
            } else {
                String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.forEach(append)
            }
        }
        return result.text
    }

    /// A name as Postfix logs it with `smtputf8_enable = no` (each byte of UTF-8 as `?`), lower
    /// case: "Nguyễn Văn An" → "nguy???n v??n an", to compare with a folded display name that
    /// kept its `?`.
    public static func asMangled(_ text: String) -> String {
        var result = SpacedText()
        for character in composed(text).lowercased() {
            if character.isWhitespace {
                result.space()
            } else if character.isASCII {
                character.unicodeScalars.forEach { result.append($0) }
            } else {
                for _ in 0..<character.utf8.count { result.append("?") }
            }
        }
        return result.text
    }

    /// `text` in Unicode's composed form (NFC). Text of ASCII and precomposed Latin letters
    /// only, as nearly every name is, is NFC already and is returned as it is.
    public static func composed(_ text: String) -> String {
        text.unicodeScalars.allSatisfy { $0.isASCII || latinDecomposition($0) != nil }
            ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The blocks of precomposed Latin letters: Latin-1 Supplement's letters, Latin Extended-A
    /// and -B, and Latin Extended Additional (Vietnamese's letters with tones). None of them is
    /// a combining mark, and none composes with a neighbour that is not one.
    static let latinBlocks: [ClosedRange<UInt32>] = [0x00C0...0x024F, 0x1E00...0x1EFF]

    /// The canonical decomposition of `scalar` when it is in `latinBlocks` and NFC as it is; nil
    /// otherwise.
    static func latinDecomposition(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        var offset = 0
        for block in latinBlocks {
            if block.contains(scalar.value) {
                let decomposition = latinDecompositions[offset + Int(scalar.value - block.lowerBound)]
                return decomposition.isEmpty ? nil : decomposition
            }
            offset += block.count
        }
        return nil
    }

    /// The canonical decomposition of each code point of `latinBlocks`, in order; empty for one
    /// that is not NFC as it is.
    private static let latinDecompositions: [[Unicode.Scalar]] = latinBlocks.joined().map { value in
        guard let scalar = Unicode.Scalar(value) else { return [] }
        let text = String(scalar)
        // Compared scalar by scalar: String's == holds for any two canonically equivalent forms.
        guard text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar]) else { return [] }
        return Array(text.decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}

/// Text built scalar by scalar in which each run of spaces becomes one space, and none is left at
/// either end: a space is written only before the next scalar that is not one.
public struct SpacedText {
    private var scalars = String.UnicodeScalarView()
    private var pendingSpace = false

    public init() {}

    /// A space (or a run of them) here, unless nothing has been written yet.
    public mutating func space() {
        pendingSpace = !scalars.isEmpty
    }

    public mutating func append(_ scalar: Unicode.Scalar) {
        if pendingSpace {
            scalars.append(" ")
            pendingSpace = false
        }
        scalars.append(scalar)
    }

    public var text: String { String(scalars) }
}
