import Census

/// Writes CSV (RFC 4180) that spreadsheets open safely.
///
/// Cells, and lines within cells, that begin with `=`, `+`, `-`, `@` (or a tab or carriage
/// return) are prefixed with `'` so that Excel and LibreOffice show them as text instead of
/// running them as formulas.
public struct CSVWriter {
    public private(set) var text = ""

    /// The UTF-8 byte-order mark (EF BB BF): without it, Excel on Windows reads a CSV file in the
    /// local code page and garbles Vietnamese. The tool's CSV starts with it unless told not to.
    public static let byteOrderMark = "\u{FEFF}"

    /// - Parameter byteOrderMark: start the text with `CSVWriter.byteOrderMark`.
    public init(byteOrderMark: Bool = false) {
        if byteOrderMark { text = CSVWriter.byteOrderMark }
    }

    public mutating func row(_ cells: [String]) {
        text += cells.map(CSVWriter.cell).joined(separator: ",") + "\r\n"
    }

    /// One cell (`CSVCell.escape`): quoted on a comma, a quote, a CR or a LF; a formula start
    /// at the beginning of any line in it neutralised.
    public static func cell(_ value: String) -> String {
        CSVCell.escape(value)
    }

    /// `text` with the byte-order mark before it when `byteOrderMark` is true.
    public static func marked(_ text: String, byteOrderMark: Bool) -> String {
        byteOrderMark ? CSVWriter.byteOrderMark + text : text
    }
}
