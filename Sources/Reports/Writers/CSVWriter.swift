import Foundation

/// Writes CSV (RFC 4180) that spreadsheets open safely.
///
/// Cells that begin with `=`, `+`, `-`, `@` (or a tab or carriage return) are prefixed with `'`
/// so that Excel and LibreOffice show them as text instead of running them as formulas.
public struct CSVWriter {
    public private(set) var text = ""

    public init() {}

    public mutating func row(_ cells: [String]) {
        text += cells.map(CSVWriter.cell).joined(separator: ",") + "\r\n"
    }

    public static func cell(_ value: String) -> String {
        var value = value
        // A number (`-3.5`) is no formula: it stays a number.
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isNumber(value) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `-12`, `3.5`, `-0.25`: digits with an optional sign and decimal point.
    static func isNumber(_ value: String) -> Bool {
        var digits = Substring(value)
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
