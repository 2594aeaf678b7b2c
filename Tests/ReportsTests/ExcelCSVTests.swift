import Census
import Foundation
import Reports
import TestSupport
import Testing

/// Excel on Windows reads a CSV file without a byte-order mark in the local code page
/// (Windows-1258 in Vietnam), which garbles every Vietnamese letter; with the mark it reads
/// UTF-8. The report's files are read back here as Excel reads them.
@Suite("CSV for Excel: the byte-order mark")
struct ExcelCSVTests {
    let folder = TemporaryFolder()

    /// A name and a position with everything a CSV cell can hold: Vietnamese, a comma, quotes
    /// and a line break.
    static let name = "Nguyễn Văn An, \"Anh Hai\"\nTổ Đổi mới"
    static let position = "Chuyên viên; phòng \"Hành chính, Tổng hợp\""

    /// The fixture's report, its first member renamed with `name` and `position`.
    static var report: CensusReport {
        let roster = ReportFixture.roster.map { member in
            var member = member
            if member.employeeID == "E01" {
                member.fullName = name
                member.position = position
            }
            return member
        }
        return AdoptionCensus(policy: ReportFixture.policy, roster: roster, data: ReportFixture.data)
            .report(period: ReportFixture.november, trendWeeks: 4)
    }

    /// What Excel does with a file that starts with the UTF-8 byte-order mark: drops the mark,
    /// decodes UTF-8, and splits RFC 4180 records (quotes, `""`, line breaks in quoted cells).
    static func readAsExcel(_ bytes: [UInt8]) throws -> [[String]] {
        try #require(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "no UTF-8 byte-order mark: Excel reads the code page")
        let text = try #require(String(validating: bytes.dropFirst(3), as: UTF8.self))
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",":
                record.append(cell)
                cell = ""
            case "\r": break
            case "\n":
                record.append(cell)
                records.append(record)
                record = []
                cell = ""
            default: cell.unicodeScalars.append(scalar)
            }
        }
        #expect(!quoted && record.isEmpty && cell.isEmpty, "the file ends inside a record")
        return records
    }

    @Test("report.csv and report-people.csv start with the mark; every cell comes back intact")
    func reportFiles() throws {
        let report = Self.report
        var tables: [String: [[String]]] = [:]
        for file in ReportFormat.csv.render(report, language: .vi, generatedAt: nil, byteOrderMark: true) {
            let path = ReportFiles.path(folder.path("report.csv"), suffix: file.suffix)
            try ReportFiles.write(file.text, to: path)
            tables[file.suffix] = try Self.readAsExcel(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        let departments = try #require(tables[""])
        #expect(departments.first == CensusCSV.departmentHeader)
        #expect(departments.allSatisfy { $0.count == CensusCSV.departmentHeader.count })
        #expect(departments.contains { $0[0] == "STTTT" && $0[1] == "Sở Thông tin và Truyền thông" })
        #expect(departments.contains { $0[0] == "UBVUBAN" && $0[1] == "UBND huyện Vụ Bản" })
        let people = try #require(tables["-people"])
        #expect(people.first == CensusCSV.peopleHeader)
        #expect(people.allSatisfy { $0.count == CensusCSV.peopleHeader.count })
        let an = try #require(people.first { $0.first == "E01" })
        #expect(an[1] == Self.name)
        #expect(an[3] == Self.position)
        #expect(people.contains { $0[1] == "Hoàng Thị Ánh Nguyệt" && $0[2] == "STTTT" })
    }

    @Test("without the mark (scripts) the text is the same, byte for byte, after it")
    func withoutMark() {
        let report = Self.report
        let marked = ReportFormat.csv.render(report, language: .en, generatedAt: nil, byteOrderMark: true)
        let plain = ReportFormat.csv.render(report, language: .en, generatedAt: nil, byteOrderMark: false)
        #expect(marked.count == 2 && plain.count == 2)
        for (marked, plain) in zip(marked, plain) {
            #expect(!plain.text.unicodeScalars.contains("\u{FEFF}"))
            #expect(Array(marked.text.utf8) == [0xEF, 0xBB, 0xBF] + Array(plain.text.utf8))
        }
        // HTML, JSON and Markdown never get one.
        for format in [ReportFormat.html, .json, .md] {
            let text = format.render(report, language: .en, generatedAt: nil, byteOrderMark: true)[0].text
            #expect(text.utf8.first != 0xEF)
        }
    }

    @Test("the candidates file with its mark, filled in by IT, is read back as the attributions file")
    func candidatesRoundTrip() throws {
        let report = Self.report
        let path = folder.path("candidates.csv")
        try ReportFiles.write(CensusCSV.candidates(report, language: .vi, byteOrderMark: true), to: path)
        let rows = try Self.readAsExcel(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(rows.first == Confirmations.columns)
        let candidate = try #require(rows.dropFirst().first, "the fixture's report has candidates")
        // IT says yes in Excel and saves as "CSV UTF-8", which keeps the mark.
        var filled = "\u{FEFF}" + Confirmations.columns.joined(separator: ",") + "\r\n"
        filled += candidate.dropLast().map(CSVWriter.cell).joined(separator: ",") + ",có\r\n"
        let decisions = folder.write("decisions.csv", filled)
        let employees = Set(ReportFixture.roster.map(\.employeeID))
        let confirmations = try Confirmations.load(path: decisions, employees: employees)
        #expect(confirmations.problems.isEmpty, "\(confirmations.problems)")
        #expect(confirmations.confirmed[candidate[0].lowercased()] == candidate[1])
    }
}
