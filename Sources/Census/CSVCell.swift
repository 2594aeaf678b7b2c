import Foundation

/// One cell of a CSV file (RFC 4180) that spreadsheets open safely, for every CSV mailcensus
/// writes: reports, activity, audits, HR's password file.
public enum CSVCell {
    /// The characters that make a spreadsheet read a cell, or a line of one, as a formula
    /// (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    /// Their bytes.
    static let formulaStartBytes: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

    /// `value` as a CSV cell: quoted when it holds a comma, a quote, a CR or a LF (looked for
    /// among its Unicode scalars: Swift sees CR LF as one `Character`, equal to neither), and,
    /// when `neutralisingFormulas`, with a `'` before a formula start at the beginning of the
    /// cell and of every line within it, so that no line of the file starts a live formula.
    /// A plain number (`-3.5`) is no formula and stays as it is.
    public static func escape(_ value: String, neutralisingFormulas: Bool = true) -> String {
        // Most cells (numbers, addresses, times) need neither: kept as they are.
        let bytes = value.utf8
        let startsFormula = bytes.first.map { formulaStartBytes.contains($0) } ?? false
        if !bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
            && !(neutralisingFormulas && startsFormula)
        {
            return value
        }
        var text = ""
        if neutralisingFormulas && !isNumber(value) {
            var atLineStart = true
            let scalars = Array(value.unicodeScalars)
            for (index, scalar) in scalars.enumerated() {
                if atLineStart && formulaStarts.contains(scalar) { text.unicodeScalars.append("'") }
                text.unicodeScalars.append(scalar)
                atLineStart =
                    scalar == "\n" || (scalar == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n"))
            }
        } else {
            text = value
        }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `-12`, `3.5`, `-0.25`: digits with an optional sign and decimal point.
    public static func isNumber(_ value: String) -> Bool {
        var digits = Substring(value)
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2
            && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
    }
}
