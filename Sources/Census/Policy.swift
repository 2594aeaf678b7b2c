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
    /// The province's departments and districts, in report order; empty: taken from the roster.
    public var departments: [Department] = []

    /// The census window: a staff member is official-active with a submission or a login in
    /// the last this many days.
    public var activityWindowDays = 30
    /// How reports are made and where they go.
    public var report = ReportSettings()
    /// What `mailcensus nightly` reads.
    public var nightly = NightlySettings()
    /// How notices and reports are sent.
    public var relay = RelaySettings()

    /// Webmail addresses tied to staff by the policy (address → employee id), or to nobody
    /// (nil: never inferred, e.g. a family address).
    public var attributions: [String: String?] = [:]
    /// IT's decisions on attribution candidates (`Confirmations`), a CSV; relative paths are
    /// read from the policy's folder.
    public var attributionsFile: String?
    /// Place codes people put before or after their name in a mailbox name (`nguyenquan.nd`).
    public var placeCodes = NameShapes.defaultPlaceCodes

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
        "departments": "the list of departments",
        "attributions": "a mapping of webmail addresses to employee ids (or none)",
        "attributions_file": "the path of IT's confirmations CSV",
        "place_codes": "a list of place codes, like [nd, hn]",
        "activity_window": "a number of days, like \"30d\" or \"4w\"",
        "report": "the report settings",
        "nightly": "what the nightly run reads",
        "relay": "how notices and reports are sent",
    ]

    /// Reads a policy file.
    ///
    /// - Throws: `CensusError` naming the file and the key at fault.
    public static func load(path: String) throws(CensusError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CensusError(
                .policyUnreadable, location: path, "cannot read the policy (no such file, or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CensusError(.policyInvalid, location: path, "is not UTF-8 text; save the policy as UTF-8")
        }
        return try parse(yaml: text, location: path)
    }

    /// The most YAML nodes a policy may hold: a province's policy has a few thousand.
    static let maximumNodes = 200_000

    /// Reads a policy from YAML text; `location` names it in errors.
    ///
    /// Anchors and aliases (`&a`, `*a`) are refused before any value is built: a few hundred
    /// bytes of aliases to aliases expand to gigabytes (the "billion laughs").
    public static func parse(yaml text: String, location: String) throws(CensusError) -> Policy {
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
        if let rule = try string("naming_rule") { policy.namingRule = rule }
        for (position, quota) in try root["quota_by_position"]?.freeMapping() ?? [] {
            guard let megabytes = Int(try quota.string("a whole number of MB")), megabytes > 0 else {
                throw quota.failure("must be a whole number of MB, not \(quota.value)")
            }
            policy.quotaByPosition[position] = megabytes
        }
        if let limit = try string("mass_disable_limit") {
            guard limit.hasSuffix("%"), let percent = Double(limit.dropLast()), (0...100).contains(percent) else {
                throw root["mass_disable_limit"]!.failure("must look like \"5%\", not \"\(limit)\"")
            }
            policy.massDisableShare = percent / 100
        }
        if let departments = root["departments"] {
            policy.departments = try Department.list(departments)
        }
        if let window = root["activity_window"] {
            policy.activityWindowDays = try window.days()
        }
        let directory = (location as NSString).deletingLastPathComponent
        if let report = root["report"] {
            policy.report = try ReportSettings(report, directory: directory)
        }
        if let nightly = root["nightly"] {
            policy.nightly = try NightlySettings(nightly, directory: directory)
        }
        if let relay = root["relay"] {
            policy.relay = try RelaySettings(relay, directory: directory)
        }
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
        return policy
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

/// How reports are made: `report:` in the policy.
public struct ReportSettings: Sendable, Equatable {
    /// `vi` or `en`.
    public var language = "vi"
    /// What `nightly` renders: any of html, csv, json, md.
    public var formats = ["html", "csv", "json", "md"]
    /// Where `nightly` writes its dated folders; nil: `reports` in the current directory.
    public var folder: String?
    public var trendWeeks = 8
    /// Leave names, addresses and groups under `minimumGroup` out (for published reports).
    public var privacy = false
    public var minimumGroup = 5
    /// Start the CSV files `nightly` writes (the report's, the candidates) with the UTF-8
    /// byte-order mark, so that Excel on Windows reads their Vietnamese right; false for scripts.
    public var csvByteOrderMark = true
    /// Who receives the province summary.
    public var leadership: [String] = []

    public static let languages = ["vi", "en"]
    public static let allFormats = ["html", "csv", "json", "md"]

    public init() {}

    static let keys: [String: String] = [
        "language": "vi or en",
        "formats": "a list of html, csv, json, md",
        "folder": "the folder of the nightly reports",
        "trend_weeks": "a number of weeks",
        "privacy": "true or false",
        "minimum_group": "a number of people",
        "csv_bom": "true or false",
        "leadership": "the addresses that receive the province summary",
    ]

    init(_ value: PolicyValue, directory: String) throws(CensusError) {
        let fields = try value.mapping(known: Self.keys)
        if let language = fields["language"] {
            self.language = try language.string(Self.keys["language"]!).lowercased()
            guard Self.languages.contains(self.language) else { throw language.failure("must be vi or en") }
        }
        if let formats = fields["formats"] {
            var list: [String] = []
            for item in try formats.list() {
                let format = try item.string("a report format").lowercased()
                guard Self.allFormats.contains(format) else { throw item.failure("must be html, csv, json or md") }
                list.append(format)
            }
            self.formats = list
        }
        if let folder = fields["folder"] { self.folder = try folder.path(relativeTo: directory) }
        if let weeks = fields["trend_weeks"] { trendWeeks = try weeks.count(in: 0...104) }
        if let privacy = fields["privacy"] { self.privacy = try privacy.bool() }
        if let group = fields["minimum_group"] { minimumGroup = try group.count(in: 1...1000) }
        if let mark = fields["csv_bom"] { csvByteOrderMark = try mark.bool() }
        if let leadership = fields["leadership"] { self.leadership = try leadership.addresses() }
    }
}

/// What `mailcensus nightly` reads: `nightly:` in the policy.
public struct NightlySettings: Sendable, Equatable {
    /// Log files or glob patterns (`/var/log/mail.log*`), relative to the policy's folder.
    public var logs: [String] = []
    /// HR's roster CSV.
    public var roster: String?

    public init() {}

    static let keys: [String: String] = [
        "logs": "a list of log files or patterns", "roster": "HR's roster CSV",
    ]

    init(_ value: PolicyValue, directory: String) throws(CensusError) {
        let fields = try value.mapping(known: Self.keys)
        for item in try fields["logs"]?.list() ?? [] { logs.append(try item.path(relativeTo: directory)) }
        roster = try fields["roster"]?.path(relativeTo: directory)
    }
}

/// How notices and reports are sent: `relay:` in the policy.
public struct RelaySettings: Sendable, Equatable {
    /// Whether `nightly` queues and sends.
    public var enabled = false
    /// `smtp://mail.namdinh.gov.vn:587` (STARTTLS required) or `smtps://…:465`.
    public var server: String?
    public var username: String?
    /// A file only its owner can read, holding the SMTP password (else `$MAILCENSUS_SMTP_PASSWORD`).
    public var passwordFile: String?
    /// The sender: `Trung tâm CNTT <baocao@namdinh.gov.vn>`.
    public var from: String?
    public var replyTo: String?
    /// A CA bundle for a provincial CA.
    public var caFile: String?
    /// Send without STARTTLS (a relay on the same machine only; warns).
    public var allowPlaintext = false
    /// The folder of the notice templates; nil: `templates` beside the policy.
    public var templates: String?
    /// What `nightly` queues: department-report, province-report, welcome, nudge.
    public var notices = ["department-report", "province-report", "welcome"]
    /// Nudges to dormant and webmail-reliant staff.
    public var nudges = NudgeSettings()
    /// Where people ask to stop nudges (`mailto:` or `https:`), for `List-Unsubscribe`.
    public var unsubscribe: String?
    /// What the welcome notice tells a new account holder.
    public var webmailURL: String?
    public var imapHost: String?
    public var smtpHost: String?
    public var helpdesk: String?
    /// Transient failures before a notice is given up on.
    public var maxAttempts = 8

    public static let allNotices = ["department-report", "province-report", "welcome", "nudge"]

    public init() {}

    static let keys: [String: String] = [
        "enabled": "true or false", "server": "an smtp:// or smtps:// URL", "username": "the SMTP user",
        "password_file": "a file readable only by its owner", "from": "the sender, like \"Name <address>\"",
        "reply_to": "an address", "ca_file": "a CA bundle (PEM)", "allow_plaintext": "true or false",
        "templates": "the folder of the notice templates", "notices": "a list of notice kinds",
        "nudges": "the nudge settings", "unsubscribe": "a mailto: or https: address", "webmail_url": "a URL",
        "imap_host": "a host name", "smtp_host": "a host name", "helpdesk": "who to ask for help",
        "max_attempts": "a number of attempts",
    ]

    init(_ value: PolicyValue, directory: String) throws(CensusError) {
        let fields = try value.mapping(known: Self.keys)
        func text(_ key: String) throws(CensusError) -> String? { try fields[key]?.string(Self.keys[key]!) }
        if let flag = fields["enabled"] { enabled = try flag.bool() }
        if let url = fields["server"] {
            let text = try url.line(Self.keys["server"]!)
            guard text.lowercased().hasPrefix("smtp://") || text.lowercased().hasPrefix("smtps://") else {
                throw url.failure("must be an smtp:// or smtps:// URL, not \"\(text)\"")
            }
            server = text
        }
        username = try fields["username"]?.line(Self.keys["username"]!)
        passwordFile = try fields["password_file"]?.path(relativeTo: directory)
        from = try fields["from"]?.sender(Self.keys["from"]!)
        replyTo = try fields["reply_to"]?.address()
        caFile = try fields["ca_file"]?.path(relativeTo: directory)
        if let flag = fields["allow_plaintext"] { allowPlaintext = try flag.bool() }
        templates = try fields["templates"]?.path(relativeTo: directory)
        if let list = fields["notices"] {
            notices = []
            for item in try list.list() {
                let kind = try item.string("a notice kind")
                guard Self.allNotices.contains(kind) else {
                    throw item.failure("must be one of \(Self.allNotices.joined(separator: ", "))")
                }
                notices.append(kind)
            }
        }
        if let nudges = fields["nudges"] { self.nudges = try NudgeSettings(nudges) }
        unsubscribe = try fields["unsubscribe"]?.line(Self.keys["unsubscribe"]!)
        if let unsubscribe, unsubscribe.contains(where: { $0 == "<" || $0 == ">" || $0 == " " }) {
            throw fields["unsubscribe"]!.failure("must be a mailto: or https: address without <, > or spaces")
        }
        webmailURL = try text("webmail_url")
        imapHost = try text("imap_host")
        smtpHost = try text("smtp_host")
        helpdesk = try text("helpdesk")
        if let attempts = fields["max_attempts"] { maxAttempts = try attempts.count(in: 1...100) }
    }
}

/// Nudges to staff who do not use their official mailbox: `relay.nudges` in the policy.
public struct NudgeSettings: Sendable, Equatable {
    /// Off unless the policy says so.
    public var enabled = false
    /// At most this many nudges are queued a day.
    public var perDay = 50
    /// Whether a nudge may go to a personal (webmail) address, for staff with no official one.
    public var toPersonal = false
    /// Who is nudged: dormant, webmail.
    public var categories = ["dormant", "webmail"]

    public init() {}

    static let keys: [String: String] = [
        "enabled": "true or false", "per_day": "a number of nudges", "to_personal": "true or false",
        "categories": "a list of dormant, webmail",
    ]

    init(_ value: PolicyValue) throws(CensusError) {
        let fields = try value.mapping(known: Self.keys)
        if let flag = fields["enabled"] { enabled = try flag.bool() }
        if let count = fields["per_day"] { perDay = try count.count(in: 0...100_000) }
        if let flag = fields["to_personal"] { toPersonal = try flag.bool() }
        if let list = fields["categories"] {
            categories = []
            for item in try list.list() {
                let name = try item.string("dormant or webmail")
                guard ["dormant", "webmail"].contains(name) else { throw item.failure("must be dormant or webmail") }
                categories.append(name)
            }
        }
    }
}
