/// Reads CSV as Excel and LibreOffice export it: UTF-8 with or without a byte-order mark,
/// comma or semicolon separated (told from the header line), quoted fields with `""` and line
/// breaks inside them, CRLF, LF or a lone CR (old Mac exports) as line ends.
///
/// It reads the text's UTF-8 bytes: every byte it looks for (quote, separator, CR, LF) is ASCII,
/// and no byte of a multi-byte character is ASCII.
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
        var text = text
        (separator, records, unclosedQuoteLine) = text.withUTF8 { bytes in
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            let header = body.prefix { $0 != CSVReader.lf && $0 != CSVReader.cr }
            let (semicolon, comma) = (UInt8(ascii: ";"), UInt8(ascii: ","))
            let separator = header.count { $0 == semicolon } > header.count { $0 == comma } ? semicolon : comma
            let (records, unclosed) = CSVReader.parse(body, separator: separator)
            return (Character(Unicode.Scalar(separator)), records, unclosed)
        }
    }

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let quote = UInt8(ascii: "\"")

    static func parse(_ text: Slice<UnsafeBufferPointer<UInt8>>, separator: UInt8) -> (
        records: [Record], unclosedQuoteLine: Int?
    ) {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var quoteLine = 1
        var line = 1
        var recordLine = 1
        var index = text.startIndex
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        // The end of a line at `index` (CR, LF, or CR LF as one): its length, 0 for none.
        func lineEnd(at index: Int) -> Int {
            switch text[index] {
            case lf: 1
            case cr: index + 1 < text.endIndex && text[index + 1] == lf ? 2 : 1
            default: 0
            }
        }
        while index < text.endIndex {
            let byte = text[index]
            if quoted {
                if byte == quote {
                    if index + 1 < text.endIndex && text[index + 1] == quote {
                        field.append(quote)
                        index += 2
                    } else {
                        quoted = false
                        index += 1
                    }
                } else {
                    let end = lineEnd(at: index)
                    if end > 0 { line += 1 }
                    field.append(contentsOf: text[index..<index + max(end, 1)])
                    index += max(end, 1)
                }
                continue
            }
            if byte == quote && field.isEmpty {
                quoted = true
                quoteLine = line
                index += 1
            } else if byte == separator {
                endField()
                index += 1
            } else if case let end = lineEnd(at: index), end > 0 {
                endRecord()
                line += 1
                recordLine = line
                index += end
            } else {
                field.append(byte)
                index += 1
            }
        }
        if quoted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return (records, quoted ? quoteLine : nil)
    }
}
