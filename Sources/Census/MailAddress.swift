/// The one check of a mail address, wherever one enters: the roster, the policy, a plan.
///
/// An address is an RFC 5321 mailbox in its plainest form, as a mail server's envelope takes it:
/// a dot-atom local part (letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots only between them),
/// `@`, and a domain of at least two LDH labels (letters, digits, hyphens not at either end, at
/// most 63 characters each). The local part is at most 64 characters, the whole at most 254. A
/// quoted local part, an address literal, a space, `<`, `>`, a control character (CR, LF, NUL)
/// or a non-ASCII character is refused: such an address could break a header or an SMTP command.
public enum MailAddress {
    /// The characters of a dot-atom besides letters and digits (RFC 5322 `atext`).
    static let atomSpecials = Set("!#$%&'*+/=?^_`{|}~-".utf8)

    /// Whether `text` is an address mailcensus will write into a header or an SMTP envelope.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        return isDotAtom(local) && isDomain(domain)
    }

    /// `annv`, `an.nv`, `an+tag`: atoms joined by single dots, at most 64 characters.
    static func isDotAtom(_ local: ArraySlice<UInt8>) -> Bool {
        guard !local.isEmpty, local.count <= 64 else { return false }
        return local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { isLetterOrDigit($0) || atomSpecials.contains($0) }
        }
    }

    /// `namdinh.gov.vn`: two or more labels of letters, digits and inner hyphens.
    static func isDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-")
                    && label.last != UInt8(ascii: "-")
                    && label.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
            }
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
