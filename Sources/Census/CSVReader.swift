/// Reads CSV as Excel and LibreOffice export it: UTF-8 with or without a byte-order mark,
/// comma or semicolon separated (told from the header line), quoted fields with `""` and line
/// breaks inside them, CRLF, LF or a lone CR (old Mac exports) as line ends.
public struct CSVReader: Sendable {
    /// One record and the line it starts on (1-based).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    public let separator: Character
    public let records: [Record]
    /// The line where a quote opened that is never closed: the rest of the text after it was
    /// read as one field of the last record. Nil when every quote is closed.
    public let unclosedQuoteLine: Int?

    public init(text: String) {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let header = body.prefix { !CSVReader.isLineEnd($0) }
        separator = header.filter { $0 == ";" }.count > header.filter { $0 == "," }.count ? ";" : ","
        (records, unclosedQuoteLine) = CSVReader.parse(body, separator: separator)
    }

    /// LF, CRLF (one `Character`) or a lone CR.
    static func isLineEnd(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n" || character == "\r"
    }

    static func parse(_ text: Substring, separator: Character) -> (records: [Record], unclosedQuoteLine: Int?) {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var quoteLine = 1
        var line = 1
        var recordLine = 1
        var index = text.startIndex
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
        }
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if quoted {
                if character == "\"" {
                    if index < text.endIndex && text[index] == "\"" {
                        field.append("\"")
                        index = text.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    if isLineEnd(character) { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                quoted = true
                quoteLine = line
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if quoted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return (records, quoted ? quoteLine : nil)
    }
}
