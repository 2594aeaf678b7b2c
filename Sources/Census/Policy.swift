import Foundation
import Yams

/// A province's rules for the census: which domains are official, which are public webmail,
/// and the server's clock.
public struct Policy: Sendable, Equatable {
    /// The province's name, for reports.
    public var province: String
    /// Official domains; their subdomains are official too.
    public var officialDomains: [String]
    /// Public webmail domains; an entry `*.vnn.vn` also covers every subdomain of `vnn.vn`.
    public var webmailDomains: [String]
    /// The mail server's offset from UTC, seconds, for log stamps without a zone.
    public var utcOffset: Int
    /// The domain added to bare login names when the server logs `annv` for `annv@…`.
    public var loginDomain: String?
    /// The rule for new official addresses (placeholders `{given}`, `{family}`, `{middle}`,
    /// `{initials}`, `{family_initial}`); checked where it is used.
    public var namingRule = "{given}{initials}"
    /// Mailbox quota in MB by position; positions not listed get the domain's default.
    public var quotaByPosition: [String: Int] = [:]
    /// The share of accounts one provisioning run may disable without `--allow-mass-disable`.
    public var massDisableShare = 0.05

    /// DESIGN.md's list of public webmail domains.
    public static let defaultWebmailDomains = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "rocketmail.com", "hotmail.com",
        "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "zoho.com", "yandex.com", "proton.me",
        "protonmail.com", "gmx.com", "vnn.vn", "*.vnn.vn", "fpt.vn",
    ]

    public init(
        province: String, officialDomains: [String], webmailDomains: [String] = Policy.defaultWebmailDomains,
        utcOffset: Int = 7 * 3600, loginDomain: String? = nil
    ) {
        self.province = province
        self.officialDomains = officialDomains.map { $0.lowercased() }
        self.webmailDomains = webmailDomains.map { $0.lowercased() }
        self.utcOffset = utcOffset
        self.loginDomain = loginDomain?.lowercased()
    }

    /// The keys a policy file may hold, each with what it is.
    static let keys: [String: String] = [
        "province": "the province's name",
        "official_domains": "a list of official mail domains",
        "webmail_domains": "a list of public webmail domains",
        "utc_offset": "the mail server's UTC offset, like \"+07:00\"",
        "login_domain": "the domain of bare login names",
        "naming_rule": "the rule for new addresses, like \"{given}{initials}\"",
        "quota_by_position": "a mapping of positions to mailbox quotas in MB",
        "mass_disable_limit": "the share of accounts one run may disable, like \"5%\"",
    ]

    /// Reads a policy file.
    ///
    /// - Throws: `CensusError` naming the file and the key at fault.
    public static func load(path: String) throws(CensusError) -> Policy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CensusError(
                .policyUnreadable, location: path, "cannot read the policy (\(error.localizedDescription))")
        }
        return try parse(yaml: text, location: path)
    }

    /// Reads a policy from YAML text; `location` names it in errors.
    public static func parse(yaml text: String, location: String) throws(CensusError) -> Policy {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw CensusError(.policyInvalid, location: location, "is not valid YAML (\(error))")
        }
        guard let root = loaded as? [String: Any] else {
            throw CensusError(.policyInvalid, location: location, "must be a mapping of keys to values")
        }
        for key in root.keys.sorted() where keys[key] == nil {
            throw CensusError(
                .policyInvalid, location: "\(location): \(key)",
                "unknown key; known keys are \(keys.keys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws(CensusError) -> String? {
            guard let value = root[key] else { return nil }
            guard let text = value as? String, !text.isEmpty else {
                throw CensusError(.policyInvalid, location: "\(location): \(key)", "must be \(keys[key]!)")
            }
            return text
        }
        func domains(_ key: String) throws(CensusError) -> [String]? {
            guard let value = root[key] else { return nil }
            guard let list = value as? [Any], !list.isEmpty else {
                throw CensusError(.policyInvalid, location: "\(location): \(key)", "must be \(keys[key]!)")
            }
            var result: [String] = []
            for (index, item) in list.enumerated() {
                guard let domain = item as? String, isDomain(domain) else {
                    throw CensusError(
                        .policyInvalid, location: "\(location): \(key)[\(index)]", "is not a domain name: \(item)")
                }
                result.append(domain.lowercased())
            }
            return result
        }
        guard let official = try domains("official_domains") else {
            throw CensusError(.policyInvalid, location: "\(location): official_domains", "is required")
        }
        var offset = 7 * 3600
        if let text = try string("utc_offset") {
            guard let parsed = parseOffset(text) else {
                throw CensusError(
                    .policyInvalid, location: "\(location): utc_offset", "must look like \"+07:00\", not \"\(text)\"")
            }
            offset = parsed
        }
        if let login = try string("login_domain"), !isDomain(login) {
            throw CensusError(.policyInvalid, location: "\(location): login_domain", "is not a domain name: \(login)")
        }
        var policy = Policy(
            province: try string("province") ?? "", officialDomains: official,
            webmailDomains: try domains("webmail_domains") ?? defaultWebmailDomains, utcOffset: offset,
            loginDomain: try string("login_domain"))
        if let rule = try string("naming_rule") { policy.namingRule = rule }
        if let value = root["quota_by_position"] {
            guard let mapping = value as? [String: Any] else {
                throw CensusError(
                    .policyInvalid, location: "\(location): quota_by_position", "must be \(keys["quota_by_position"]!)")
            }
            for (position, quota) in mapping {
                guard let megabytes = Int("\(quota)"), megabytes > 0 else {
                    throw CensusError(
                        .policyInvalid, location: "\(location): quota_by_position.\(position)",
                        "must be a whole number of MB, not \(quota)")
                }
                policy.quotaByPosition[position] = megabytes
            }
        }
        if let limit = try string("mass_disable_limit") {
            guard limit.hasSuffix("%"), let percent = Double(limit.dropLast()), (0...100).contains(percent) else {
                throw CensusError(
                    .policyInvalid, location: "\(location): mass_disable_limit",
                    "must look like \"5%\", not \"\(limit)\"")
            }
            policy.massDisableShare = percent / 100
        }
        return policy
    }

    static func isDomain(_ text: String) -> Bool {
        let name = text.hasPrefix("*.") ? String(text.dropFirst(2)) : text
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    /// `+07:00`, `+0700`, `-05:30`, `Z` as seconds.
    static func parseOffset(_ text: String) -> Int? {
        if text == "Z" || text == "UTC" { return 0 }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard let sign = text.first, sign == "+" || sign == "-", digits.count == 4, let value = Int(digits) else {
            return nil
        }
        let hours = value / 100
        let minutes = value % 100
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
