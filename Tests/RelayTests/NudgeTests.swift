import Basics
import Census
import Foundation
import Relay
import Reports
import TestSupport
import Testing

@Suite("Nudges: at most per_day a day, none twice a month")
struct NudgeTests {
    @Test("the next day queues the next people, not the ones already nudged this month")
    func perDay() throws {
        let firstDay = CivilTime.days(year: 2026, month: 11, day: 1)
        var policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"])
        policy.departments = [Department(code: "STTTT", name: "Sở Thông tin và Truyền thông")]
        var relay = RelaySettings()
        relay.from = Mailbox(name: "Trung tâm CNTT", address: "baocao@namdinh.gov.vn")
        relay.notices = [.nudge]
        relay.nudges.enabled = true
        relay.nudges.perDay = 2
        let header =
            "employee_id,full_name,department_code,department_name,level,position,official_address,"
            + "personal_addresses,status,start_date,end_date\n"
        let givens = ["An", "Bình", "Cường", "Dung", "Hà"]
        let rows = (1...5).map {
            "E\($0),Nguyễn Văn \(givens[$0 - 1]),STTTT,,province,,nv\($0)@namdinh.gov.vn,,active,,"
        }
        let roster = Roster(csv: header + rows.joined(separator: "\n") + "\n", departments: policy.departmentCodes)
        try #require(!roster.hasFatalProblems, "\(roster.problems)")
        // Nobody logs in: all five are dormant.
        let data = CensusDataBuilder(firstDay: firstDay, coverage: firstDay...(firstDay + 29)).data
        let report = AdoptionCensus(policy: policy, roster: roster.members, data: data)
            .report(period: DayRange(from: firstDay, through: firstDay + 29))
        let outbox = MemoryOutbox()
        let policyPath = TestServers.root.appendingPathComponent("Policies/default.yaml").path
        let day = Int64(firstDay + 30) * 86_400
        var queued: [Int] = []
        for night in 0..<4 {
            let context = try NoticeContext(
                policy: policy, relay: relay, policyPath: policyPath, language: .vi, now: day + Int64(night) * 86_400)
            let result = try RelayQueue.enqueueReport(
                report, roster: roster.members, policy: policy, context: context, into: outbox)
            queued.append(result.queued)
        }
        #expect(queued == [2, 2, 1, 0], "two a day, then the last one, then nobody twice")
        let keys = try outbox.entries(status: nil).map(\.key)
        #expect(keys == (1...5).map { "nudge:2026-11:E\($0)" })
    }
}
