public import Census

/// How notices and reports are sent: `relay:` in the policy, read once, typed.
public struct RelaySettings: Sendable, Equatable {
    /// Whether `nightly` queues and sends.
    public var enabled = false
    /// `smtp://mail.namdinh.gov.vn:587` (STARTTLS required) or `smtps://…:465`.
    public var server: String?
    public var username: String?
    /// A file only its owner can read, holding the SMTP password (else `$MAILCENSUS_SMTP_PASSWORD`).
    public var passwordFile: String?
    /// The sender: `Trung tâm CNTT <baocao@namdinh.gov.vn>`.
    public var from: Mailbox?
    public var replyTo: Mailbox?
    /// A CA bundle for a provincial CA.
    public var caFile: String?
    /// Send without STARTTLS (a relay on the same machine only; warns).
    public var allowPlaintext = false
    /// The folder of the notice templates; nil: `templates` beside the policy.
    public var templates: String?
    /// What is queued: department reports, the province report, welcomes, nudges.
    public var notices: Set<NoticeKind> = [.departmentReport, .provinceReport, .welcome]
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

    /// The policy's `relay:` section; the defaults when it has none.
    ///
    /// - Parameters:
    ///   - section: the section's value.
    ///   - directory: the folder a relative path (`password_file`, `ca_file`, `templates`) is read from.
    /// - Throws: `CensusError` naming the key path at fault (`policy.yaml: relay.notices[1]`).
    public init(section: PolicyValue?, directory: String) throws(CensusError) {
        guard let section else { return }
        let fields = try section.mapping(known: Self.keys)
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
        if let value = fields["from"] {
            let text = try value.sender(Self.keys["from"]!)
            guard let from = Mailbox(parsing: text) else {
                throw value.failure("must be \(Self.keys["from"]!), with a plain address (name@domain)")
            }
            self.from = from
        }
        if let value = fields["reply_to"] { replyTo = Mailbox(address: try value.address()) }
        caFile = try fields["ca_file"]?.path(relativeTo: directory)
        if let flag = fields["allow_plaintext"] { allowPlaintext = try flag.bool() }
        templates = try fields["templates"]?.path(relativeTo: directory)
        if let list = fields["notices"] {
            notices = []
            for item in try list.list() {
                guard let kind = NoticeKind(rawValue: try item.string("a notice kind")) else {
                    throw item.failure(
                        "must be one of \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                notices.insert(kind)
            }
        }
        if let nudges = fields["nudges"] { self.nudges = try NudgeSettings(section: nudges) }
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

    /// The settings of a policy document: its `relay:` section.
    public init(document: PolicyDocument) throws(CensusError) {
        try self.init(section: document["relay"], directory: document.directory)
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
    /// Who is nudged: of the census's categories, dormant and webmail only.
    public var categories: Set<Category> = [.dormant, .webmail]

    /// The categories a nudge may go to.
    public static let nudgeable: [Category] = [.dormant, .webmail]

    public init() {}

    static let keys: [String: String] = [
        "enabled": "true or false", "per_day": "a number of nudges", "to_personal": "true or false",
        "categories": "a list of dormant, webmail",
    ]

    /// `relay.nudges`.
    ///
    /// - Throws: `CensusError` naming the key path at fault.
    public init(section: PolicyValue) throws(CensusError) {
        let fields = try section.mapping(known: Self.keys)
        if let flag = fields["enabled"] { enabled = try flag.bool() }
        if let count = fields["per_day"] { perDay = try count.count(in: 0...100_000) }
        if let flag = fields["to_personal"] { toPersonal = try flag.bool() }
        if let list = fields["categories"] {
            categories = []
            for item in try list.list() {
                guard let category = Category(rawValue: try item.string("dormant or webmail")),
                    Self.nudgeable.contains(category)
                else { throw item.failure("must be dormant or webmail") }
                categories.insert(category)
            }
        }
    }
}
