import Foundation
import MailLog

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
        let parts = VietnameseName.fold(fullName).split(separator: " ").map(String.init)
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
        ([family] + middle).compactMap(\.first).map(String.init).joined()
    }
}
