import Foundation
import MailLogTesting
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
}
