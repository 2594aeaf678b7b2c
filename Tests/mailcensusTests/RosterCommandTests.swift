import Foundation
import TestSupport
import Testing

@Suite("mailcensus roster check")
struct RosterCommandTests {
    let folder = TemporaryFolder()
    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date\n"

    @Test("a clean roster: exit 0 and a count")
    func clean() throws {
        let path = folder.write("roster.csv", Self.header + "E1,Nguyễn Văn An,STTTT,Sở TT&TT,province,,,,active,,\n")
        let result = try CLI.run(["roster", "check", path])
        #expect(result.status == 0)
        #expect(result.output.contains("1 staff read, 0 error(s)"))
    }

    @Test("problems: one line each with file and line, exit 2")
    func problems() throws {
        let path = folder.write(
            "roster.csv", Self.header + "E1,Nguyễn Văn An,STTTT,,,,,,active,,\nE1,Lê Hoa,STTTT,,,,,,gone,,\n")
        let result = try CLI.run(["roster", "check", path])
        #expect(result.status == 2)
        #expect(result.error.contains("\(path):3: error: employee_id E1 is also on line 2"))
        #expect(result.error.contains("\(path):3: error: status \"gone\" is neither active nor left"))
        #expect(try CLI.run(["roster", "check", folder.path("none.csv")]).status == 2)
    }

    @Test("old Mac line ends are read; a roster with no staff, a column twice, an unclosed quote: exit 2")
    func emptyOrBroken() throws {
        let row = "E1,Nguyễn Văn An,STTTT,,,,,,active,,"
        let mac = folder.write(
            "mac.csv",
            Self.header.replacingOccurrences(of: "\n", with: "\r") + row + "\r"
                + row.replacingOccurrences(of: "E1", with: "E2") + "\r")
        let read = try CLI.run(["roster", "check", mac])
        #expect(read.status == 0, "\(read.error)")
        #expect(read.output.contains("2 staff read, 0 error(s)"))

        let headerOnly = folder.write("header.csv", Self.header)
        let empty = try CLI.run(["roster", "check", headerOnly])
        #expect(empty.status == 2)
        #expect(empty.error.contains("\(headerOnly):1: error: no staff: the roster has no rows"))
        #expect(empty.output.contains("0 staff read, 1 error(s)"))

        let twice = folder.write(
            "twice.csv", Self.header.replacingOccurrences(of: "\n", with: ",status\n") + row + ",left\n")
        let duplicate = try CLI.run(["roster", "check", twice])
        #expect(duplicate.status == 2)
        #expect(duplicate.error.contains("\(twice):1: error: column \"status\" appears twice (columns 9 and 12)"))

        let quote = folder.write(
            "quote.csv", Self.header + row + "\nE2,\"Lê Thị Hoa,STTTT,,,,,,active,,\n" + row + "\n")
        let unclosed = try CLI.run(["roster", "check", quote])
        #expect(unclosed.status == 2)
        #expect(
            unclosed.error.contains(
                "\(quote):3: error: a quote opened here is never closed; the rest of the file was read as one field"))
        #expect(unclosed.output.contains("1 staff read, 1 error(s)"))
    }
}
