import Census
import Relay
import Testing

@Suite("RelaySettings: the policy's relay section, read by Relay")
struct RelaySettingsTests {
    func settings(_ yaml: String) throws -> RelaySettings {
        try RelaySettings(
            document: try PolicyDocument.parse(yaml: "official_domains: [a.vn]\n" + yaml, location: "p.yaml"))
    }

    @Test("notice kinds, nudge categories and the sender as types")
    func typed() throws {
        let settings = try settings(
            """
            relay:
              from: "Trung tâm CNTT <baocao@a.vn>"
              notices: [nudge, department-report]
              nudges: {categories: [dormant]}
            """)
        #expect(settings.from == Mailbox(name: "Trung tâm CNTT", address: "baocao@a.vn"))
        #expect(settings.notices == [.nudge, .departmentReport])
        #expect(settings.nudges.categories == [.dormant])
    }

    @Test(
        "a wrong value names its key path",
        arguments: [
            (
                "relay: {notices: [welcome, fax]}",
                "p.yaml: relay.notices[1]: must be one of department-report, province-report, welcome, nudge"
            ),
            (
                "relay: {nudges: {categories: [mixed]}}",
                "p.yaml: relay.nudges.categories[0]: must be dormant or webmail"
            ),
            ("relay: {enabled: yes please}", "p.yaml: relay.enabled: must be true or false"),
        ])
    func invalid(_ yaml: String, _ message: String) {
        let error = #expect(throws: CensusError.self) { try settings(yaml) }
        #expect(error?.description == message)
    }
}
