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
    /// The province's departments and districts, in report order; empty: taken from the roster.
    public var departments: [Department] = []

    /// The census window: a staff member is official-active with a submission or a login in
    /// the last this many days.
    public var activityWindowDays = 30

    /// Webmail addresses tied to staff by the policy (address → employee id), or to nobody
    /// (nil: never inferred, e.g. a family address).
    public var attributions: [String: String?] = [:]
    /// IT's decisions on attribution candidates (`Confirmations`), a CSV; relative paths are
    /// read from the policy's folder.
    public var attributionsFile: String?
    /// Place codes people put before or after their name in a mailbox name (`nguyenquan.nd`).
    public var placeCodes = NameShapes.defaultPlaceCodes
    /// The addresses Dovecot logs as `rip=` for the webmail's own IMAP logins (Roundcube on the
    /// mail server: `127.0.0.1`, `::1`), as the policy's `webmail_hosts` gives them, IPv6
    /// written as Dovecot writes it; empty: none.
    public var webmailHosts: [String] = []
    /// The policy's `client_classes`: rules tried before `ClientClassTable.defaultRules`.
    public var clientClassRules: [ClientClassTable.Rule] = []

    /// The table the client census folds logins with: the policy's rules first, then the
    /// built-in ones, with the policy's webmail hosts.
    public var clientClasses: ClientClassTable {
        ClientClassTable.standard.extended(with: clientClassRules, webmailHosts: webmailHosts)
    }

    /// The department codes a roster may use; empty when the policy lists none (any code).
    public var departmentCodes: Set<String> { Set(departments.map(\.code)) }

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

    /// The keys a policy file may hold, each with what it is: the census's own, and those the
    /// other modules read (`report`, `nightly`, `relay`; provisioning's `naming_rule`,
    /// `quota_by_position`, `mass_disable_limit`), whose values those modules check.
    static let keys: [String: String] = [
        "province": "the province's name",
        "official_domains": "a list of official mail domains",
        "webmail_domains": "a list of public webmail domains",
        "utc_offset": "the mail server's UTC offset, like \"+07:00\"",
        "login_domain": "the domain of bare login names",
        "naming_rule": "the rule for new addresses, like \"{given}{initials}\"",
        "quota_by_position": "a mapping of positions to mailbox quotas in MB",
        "mass_disable_limit": "the share of accounts one run may disable, like \"5%\"",
        "departments": "the list of departments",
        "attributions": "a mapping of webmail addresses to employee ids (or none)",
        "attributions_file": "the path of IT's confirmations CSV",
        "place_codes": "a list of place codes, like [nd, hn]",
        "activity_window": "a number of days, like \"30d\" or \"4w\"",
        "webmail_hosts": "a list of the IP addresses the webmail's IMAP logins come from",
        "client_classes": "a list of client rules, like {name: \"Foo Mail*\", os: iOS, class: phone}",
        "report": "the report settings",
        "nightly": "what the nightly run reads",
        "relay": "how notices and reports are sent",
    ]

    /// Reads a policy file's census settings (`PolicyDocument.load` for the other modules' too).
    ///
    /// - Throws: `CensusError` naming the file and the key at fault.
    public static func load(path: String) throws(CensusError) -> Policy {
        try PolicyDocument.load(path: path).policy
    }

    /// Reads a policy's census settings from YAML text; `location` names it in errors.
    public static func parse(yaml text: String, location: String) throws(CensusError) -> Policy {
        try PolicyDocument.parse(yaml: text, location: location).policy
    }

    /// Reads a policy file.
    ///
    /// - Throws: `CensusError` naming the file and the key at fault.
    static func document(path: String) throws(CensusError) -> PolicyDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CensusError(
                .policyUnreadable, location: path, "cannot read the policy (no such file, or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CensusError(.policyInvalid, location: path, "is not UTF-8 text; save the policy as UTF-8")
        }
        return try document(yaml: text, location: path)
    }

    /// The most YAML nodes a policy may hold: a province's policy has a few thousand.
    static let maximumNodes = 200_000

    /// Reads a policy from YAML text; `location` names it in errors.
    ///
    /// Anchors and aliases (`&a`, `*a`) are refused before any value is built: a few hundred
    /// bytes of aliases to aliases expand to gigabytes (the "billion laughs").
    static func document(yaml text: String, location: String) throws(CensusError) -> PolicyDocument {
        let loaded: Any?
        do {
            let parser = try Parser(yaml: text)
            let root = try parser.singleRoot()
            // A node's anchor is held weakly, by the parser: it must live while the tree is read.
            try withExtendedLifetime(parser) { () throws(CensusError) in
                if let root { try refuseAliases(root, location: location) }
            }
            loaded = root?.any
        } catch let error as CensusError {
            throw error
        } catch let error as YamlError {
            throw CensusError(.policyInvalid, location: location, "is not valid YAML (\(describe(error)))")
        } catch {
            throw CensusError(.policyInvalid, location: location, "is not valid YAML (\(error))")
        }
        let root = try PolicyValue(value: loaded ?? [String: Any](), file: location, path: "").mapping(known: keys)
        func string(_ key: String) throws(CensusError) -> String? {
            try root[key]?.string(keys[key]!)
        }
        guard let official = try root["official_domains"]?.domains() else {
            throw CensusError(.policyInvalid, location: "\(location): official_domains", "is required")
        }
        var offset = 7 * 3600
        if let text = try string("utc_offset") {
            guard let parsed = parseOffset(text) else {
                throw root["utc_offset"]!.failure("must look like \"+07:00\", not \"\(text)\"")
            }
            offset = parsed
        }
        var policy = Policy(
            province: try string("province") ?? "", officialDomains: official,
            webmailDomains: try root["webmail_domains"]?.domains() ?? defaultWebmailDomains, utcOffset: offset,
            loginDomain: try root["login_domain"]?.domain())
        if let departments = root["departments"] {
            policy.departments = try Department.list(departments)
        }
        if let window = root["activity_window"] {
            policy.activityWindowDays = try window.days()
        }
        let directory = (location as NSString).deletingLastPathComponent
        for (address, owner) in try root["attributions"]?.freeMapping() ?? [] {
            guard MailAddress.isValid(address.lowercased()) else { throw owner.failure("is not a mail address") }
            let id = owner.value is NSNull ? "none" : try owner.string("an employee id, or none")
            policy.attributions[address.lowercased()] = id.lowercased() == "none" ? .some(nil) : id
        }
        if let file = try string("attributions_file") {
            policy.attributionsFile = file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
        }
        if let codes = root["place_codes"] {
            let extra = try codes.list().map { item throws(CensusError) in
                let code = try item.string("a place code").lowercased()
                guard !code.isEmpty, code.count <= 4, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    throw item.failure("must be 1 to 4 letters, like nd, not \"\(code)\"")
                }
                return code
            }
            policy.placeCodes = Array(Set(NameShapes.defaultPlaceCodes + extra)).sorted()
        }
        if let hosts = root["webmail_hosts"] {
            policy.webmailHosts = try hosts.list().map { item throws(CensusError) in
                let text = try item.string("an IP address, like 127.0.0.1")
                guard let address = ClientClassTable.canonicalIP(text) else {
                    throw item.failure("is not an IP address (like 127.0.0.1 or ::1): \"\(ErrorText.oneLine(text))\"")
                }
                return address
            }
        }
        if let rules = root["client_classes"] {
            policy.clientClassRules = try ClientClassTable.rules(rules)
        }
        return PolicyDocument(policy: policy, file: location, directory: directory, root: root)
    }

    /// Throws when `root` uses an anchor or an alias anywhere, or holds more than
    /// `maximumNodes` nodes; walks the tree without building anything (an alias is the very
    /// node it names, shared, so the walk stops at the first anchored node).
    static func refuseAliases(_ root: Node, location: String) throws(CensusError) {
        var pending = [root]
        var count = 0
        while let node = pending.popLast() {
            count += 1
            guard count <= maximumNodes else {
                throw CensusError(
                    .policyInvalid, location: location,
                    "holds more than \(maximumNodes) YAML values, which a policy may not; is it the right file?")
            }
            let anchored: Bool
            switch node {
            case .scalar(let scalar): anchored = scalar.anchor != nil
            case .sequence(let sequence):
                anchored = sequence.anchor != nil
                pending.append(contentsOf: sequence.reversed())
            case .mapping(let mapping):
                anchored = mapping.anchor != nil
                for pair in mapping.reversed() { pending += [pair.value, pair.key] }
            case .alias: anchored = true
            }
            if anchored {
                throw CensusError(
                    .policyInvalid, location: location,
                    "uses YAML anchors or aliases (&, *), which a policy may not; write each value out")
            }
        }
    }

    /// Yams' error on one line: the problem and where.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, let offset, _, _):
            return problem + (offset.map { " at byte \($0)" } ?? "")
        default:
            return ErrorText.oneLine("\(error)")
        }
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

    /// `30`, `30d`, `4w` as a number of days; nil for anything else.
    public static func days(_ text: String) -> Int? {
        let lower = text.lowercased()
        if let days = Int(lower) { return days }
        guard let unit = lower.last, let number = Int(lower.dropLast()) else { return nil }
        switch unit {
        case "d": return number
        case "w": return number * 7
        default: return nil
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

/// A department (or district, or commune) as the policy names it.
public struct Department: Sendable, Equatable {
    /// The roster's `department_code`.
    public var code: String
    public var name: String
    public var level: StaffMember.Level?
    /// The department's distribution list on the mail server, kept to its active staff by
    /// provisioning; nil: none.
    public var alias: String?
    /// Who receives the department's report (its head, deputies).
    public var heads: [String]
    /// The department's shared mailboxes (`vanthu.stttt@…`): their mail counts for the
    /// department's official share, and for nobody's category.
    public var shared: [String]

    public init(
        code: String, name: String, level: StaffMember.Level? = nil, alias: String? = nil, heads: [String] = [],
        shared: [String] = []
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.alias = alias?.lowercased()
        self.heads = heads.map { $0.lowercased() }
        self.shared = shared.map { $0.lowercased() }
    }

    static let keys: [String: String] = [
        "code": "the roster's department_code",
        "name": "the department's name",
        "level": "province, district or commune",
        "alias": "the department's distribution list address",
        "heads": "the addresses that receive the department's report",
        "shared": "the department's shared mailboxes",
    ]

    static func list(_ value: PolicyValue) throws(CensusError) -> [Department] {
        var result: [Department] = []
        var codes: [String: String] = [:]
        for item in try value.list() {
            let fields = try item.mapping(known: keys)
            guard let codeValue = fields["code"] else { throw item.failure("needs a code") }
            let code = try codeValue.string(keys["code"]!)
            if let first = codes[code] {
                throw codeValue.failure("department code \(code) is already used at \(first)")
            }
            codes[code] = item.path
            var level: StaffMember.Level?
            if let levelValue = fields["level"] {
                let text = try levelValue.string(keys["level"]!)
                guard let parsed = StaffMember.Level(rawValue: text.lowercased()) else {
                    throw levelValue.failure("must be province, district or commune, not \"\(text)\"")
                }
                level = parsed
            }
            result.append(
                Department(
                    code: code, name: try fields["name"]?.string(keys["name"]!) ?? code, level: level,
                    alias: try fields["alias"]?.address(), heads: try fields["heads"]?.addresses() ?? [],
                    shared: try fields["shared"]?.addresses() ?? []))
        }
        return result
    }
}

/// A policy file read: the census's settings, and the values of the keys other modules own,
/// with their key paths, for each module to read its own settings from (`report` by Reports,
/// `relay` by Relay, `naming_rule`, `quota_by_position` and `mass_disable_limit` by
/// Provisioning, `nightly` by Jobs).
public struct PolicyDocument {
    /// The census's settings.
    public let policy: Policy
    /// The policy file's path, for messages.
    public let file: String
    /// The folder a relative path in the policy is read from.
    public let directory: String
    /// The top-level values, each key among the known ones.
    public let root: [String: PolicyValue]

    /// The value of the top-level `key`; nil when the policy does not give it.
    public subscript(key: String) -> PolicyValue? { root[key] }

    /// Reads a policy file.
    ///
    /// - Throws: `CensusError` naming the file and the key at fault.
    public static func load(path: String) throws(CensusError) -> PolicyDocument {
        try Policy.document(path: path)
    }

    /// Reads a policy from YAML text; `location` names it in errors.
    ///
    /// Anchors and aliases (`&a`, `*a`) are refused before any value is built: a few hundred
    /// bytes of aliases to aliases expand to gigabytes (the "billion laughs").
    public static func parse(yaml text: String, location: String) throws(CensusError) -> PolicyDocument {
        try Policy.document(yaml: text, location: location)
    }
}
