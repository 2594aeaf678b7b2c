import Census

/// Writes CSV (RFC 4180) that spreadsheets open safely.
///
/// Cells, and lines within cells, that begin with `=`, `+`, `-`, `@` (or a tab or carriage
/// return) are prefixed with `'` so that Excel and LibreOffice show them as text instead of
/// running them as formulas.
public struct CSVWriter {
    public private(set) var text = ""

    public init() {}

    public mutating func row(_ cells: [String]) {
        text += cells.map(CSVWriter.cell).joined(separator: ",") + "\r\n"
    }

    /// One cell (`CSVCell.escape`): quoted on a comma, a quote, a CR or a LF; a formula start
    /// at the beginning of any line in it neutralised.
    public static func cell(_ value: String) -> String {
        CSVCell.escape(value)
    }
}
