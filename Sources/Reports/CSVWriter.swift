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
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
