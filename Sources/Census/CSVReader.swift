/// Reads CSV as Excel and LibreOffice export it: UTF-8 with or without a byte-order mark,
/// comma or semicolon separated (told from the header line), quoted fields with `""` and line
/// breaks inside them, CRLF or LF.
public struct CSVReader: Sendable {
    /// One record and the line it starts on (1-based).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    public let separator: Character
    public let records: [Record]

    public init(text: String) {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let header = body.prefix { $0 != "\n" && $0 != "\r\n" }
        separator = header.filter { $0 == ";" }.count > header.filter { $0 == "," }.count ? ";" : ","
        records = CSVReader.parse(body, separator: separator)
    }

    static func parse(_ text: Substring, separator: Character) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
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
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                quoted = true
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
