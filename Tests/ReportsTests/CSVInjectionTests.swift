import Census
import Foundation
import Reports
import Testing

/// A spreadsheet starts a formula at the start of any physical line of a CSV file, quoted or
/// not: no line mailcensus writes may begin with one.
@Suite("CSV: formula injection through line breaks")
struct CSVInjectionTests {
    /// The attack's name: CR LF is one `Character` in Swift, equal to neither "\r" nor "\n".
    static let name = "Trần Long\r\n=cmd|' /C calc'!A0"

    /// The physical lines of `text`, split at CR and LF as a spreadsheet does.
    static func physicalLines(_ text: String) -> [String] {
        text.unicodeScalars.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).map {
            String(String.UnicodeScalarView($0))
        }
    }

    @Test(
        "a cell with a line break is quoted, and no line in it starts a formula",
        arguments: [
            name, "a\r\n=1+1", "a\n=1+1", "a\r=1+1", "a\r\n+1", "a\n-1", "a\n@SUM(A1)", "a\n\t=1", "\r\n=1",
            "a\u{2028}b", "=1\r\n=2\n=3\r=4",
        ])
    func cell(_ value: String) {
        let cell = CSVWriter.cell(value)
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            #expect(cell.hasPrefix("\"") && cell.hasSuffix("\""), "\(cell.debugDescription)")
        }
        for line in Self.physicalLines(String(cell.dropFirst())) {
            #expect(!"=+-@\t".contains(line.first ?? " "), "\(cell.debugDescription)")
        }
    }

    @Test("the people report: the name stays in its cell, the next line is no formula")
    func row() {
        var csv = CSVWriter()
        csv.row(["E10", Self.name, "SNV"])
        csv.row(["E11", "Đỗ Thị Oanh", "SNV"])
        #expect(csv.text == "E10,\"Trần Long\r\n'=cmd|' /C calc'!A0\",SNV\r\nE11,Đỗ Thị Oanh,SNV\r\n")
        for line in Self.physicalLines(csv.text) {
            #expect(!"=+-@\t".contains(line.first ?? " "), "\(line)")
        }
    }

    @Test("numbers stay numbers; a cell's first character is neutralised as before")
    func numbers() {
        #expect(CSVWriter.cell("-3.5") == "-3.5")
        #expect(CSVWriter.cell("12") == "12")
        #expect(CSVWriter.cell("-x") == "'-x")
        #expect(CSVWriter.cell("=A1,B1") == "\"'=A1,B1\"")
        #expect(CSVWriter.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVCell.escape("=secret\r\n", neutralisingFormulas: false) == "\"=secret\r\n\"")
    }

    @Test("cells with nothing to quote or neutralise are kept as they are; the others are not")
    func plainCells() {
        for plain in ["", "an@namdinh.gov.vn", "42", "2026-11-03T03:23:39+07:00", "Trần Thu Hạnh", "a'b", "x=1"] {
            #expect(CSVCell.escape(plain) == plain)
        }
        #expect(CSVCell.escape("-3.5") == "-3.5", "a number is no formula")
        #expect(CSVCell.escape("-x") == "'-x")
        #expect(CSVCell.escape("@x") == "'@x")
        #expect(CSVCell.escape("\tx") == "'\tx")
        #expect(CSVCell.escape("=x", neutralisingFormulas: false) == "=x")
        #expect(CSVCell.escape("a,b") == "\"a,b\"")
        #expect(CSVCell.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
