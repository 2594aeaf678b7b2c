import Census
import Provisioning
import Testing

@Suite("ProvisioningSettings: the naming rule, quotas and disable limit, read by Provisioning")
struct ProvisioningSettingsTests {
    func settings(_ yaml: String) throws -> ProvisioningSettings {
        try ProvisioningSettings(
            document: try PolicyDocument.parse(yaml: "official_domains: [a.vn]\n" + yaml, location: "p.yaml"))
    }

    @Test("the defaults, and each key read")
    func typed() throws {
        let defaults = try settings("")
        #expect(defaults.template == (try AddressTemplate("{given}{initials}")))
        #expect(defaults.quotaByPosition.isEmpty && defaults.massDisableShare == 0.05)
        let given = try settings(
            "naming_rule: \"{family}.{given}\"\nquota_by_position: {Giám đốc: 4096}\nmass_disable_limit: \"2%\"")
        #expect(given.template == (try AddressTemplate("{family}.{given}")))
        #expect(given.quotaByPosition == ["Giám đốc": 4096] && given.quotaPositions == ["Giám đốc"])
        #expect(given.massDisableShare == 0.02)
    }

    @Test(
        "a wrong value names its key path",
        arguments: [
            ("naming_rule: \"{given}{nick}\"", "p.yaml: naming_rule: unknown placeholder {nick}"),
            (
                "quota_by_position: {Giám đốc: 0}",
                "p.yaml: quota_by_position.Giám đốc: must be a whole number of MB, not 0"
            ),
            ("mass_disable_limit: \"200%\"", "p.yaml: mass_disable_limit: must look like \"5%\", not \"200%\""),
        ])
    func invalid(_ yaml: String, _ message: String) {
        let error = #expect(throws: CensusError.self) { try settings(yaml) }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }
}
