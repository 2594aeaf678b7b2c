public import Census

/// Provisioning's settings in the policy, read once, typed: the naming rule
/// (`naming_rule`), the quota by position (`quota_by_position`) and the share of accounts one
/// run may disable (`mass_disable_limit`).
public struct ProvisioningSettings: Sendable, Equatable {
    /// The rule for new official addresses.
    public var template: AddressTemplate
    /// Mailbox quota in MB by position, as the policy spells the positions; positions not
    /// listed get the domain's default.
    public var quotaByPosition: [String: Int]
    /// The share of accounts one provisioning run may disable without `--allow-mass-disable`.
    public var massDisableShare: Double

    /// The rule when the policy gives none.
    public static let defaultNamingRule = "{given}{initials}"

    public init(template: AddressTemplate, quotaByPosition: [String: Int] = [:], massDisableShare: Double = 0.05) {
        self.template = template
        self.quotaByPosition = quotaByPosition
        self.massDisableShare = massDisableShare
    }

    /// The settings of a policy document; the defaults for the keys it does not give.
    ///
    /// - Throws: `CensusError` naming the key path at fault (`policy.yaml: quota_by_position.Giám đốc`).
    public init(document: PolicyDocument) throws(CensusError) {
        let rule = document["naming_rule"]
        do {
            template = try AddressTemplate(
                try rule?.string("the rule for new addresses, like \"{given}{initials}\"") ?? Self.defaultNamingRule)
        } catch let error as AddressTemplate.InvalidTemplate {
            throw rule?.failure(error.reason)
                ?? CensusError(.policyInvalid, location: "\(document.file): naming_rule", error.reason)
        } catch let error as CensusError {
            throw error
        } catch {
            throw CensusError(.policyInvalid, location: "\(document.file): naming_rule", "\(error)")
        }
        quotaByPosition = [:]
        for (position, quota) in try document["quota_by_position"]?.freeMapping() ?? [] {
            guard let megabytes = Int(try quota.string("a whole number of MB")), megabytes > 0 else {
                throw quota.failure("must be a whole number of MB, not \(quota.value)")
            }
            quotaByPosition[position] = megabytes
        }
        massDisableShare = 0.05
        if let value = document["mass_disable_limit"] {
            let limit = try value.string("the share of accounts one run may disable, like \"5%\"")
            guard limit.hasSuffix("%"), let percent = Double(limit.dropLast()), (0...100).contains(percent) else {
                throw value.failure("must look like \"5%\", not \"\(limit)\"")
            }
            massDisableShare = percent / 100
        }
    }

    /// The positions with a quota rule, for the roster's check.
    public var quotaPositions: Set<String> { Set(quotaByPosition.keys) }
}
