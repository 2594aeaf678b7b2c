import Basics
public import Census
import Foundation
public import Reports

/// A message to one recipient, with the key that makes it unique: queuing the same key twice
/// queues it once, so a rerun of `nightly` never sends a notice twice.
public struct Notice: Sendable, Equatable {
    public var key: String
    public var kind: NoticeKind
    public var recipient: Mailbox
    public var message: MailMessage

    public init(key: String, kind: NoticeKind, recipient: Mailbox, message: MailMessage) {
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.message = message
    }
}

/// What every notice needs besides its data: the sender, the language, the templates, the
/// policy's words for new account holders, and the time.
public struct NoticeContext: Sendable {
    public var from: Mailbox
    public var replyTo: Mailbox?
    public var language: ReportLanguage
    public var templates: [NoticeKind: NoticeTemplate]
    public var relay: RelaySettings
    /// Who receives the province report (the policy's `report.leadership`).
    public var leadership: [String]
    public var province: String
    public var utcOffset: Int
    /// UTC seconds.
    public var now: Int64

    public init(
        from: Mailbox, replyTo: Mailbox? = nil, language: ReportLanguage, templates: [NoticeKind: NoticeTemplate],
        relay: RelaySettings, leadership: [String] = [], province: String, utcOffset: Int, now: Int64
    ) {
        self.from = from
        self.replyTo = replyTo
        self.language = language
        self.templates = templates
        self.relay = relay
        self.leadership = leadership
        self.province = province
        self.utcOffset = utcOffset
        self.now = now
    }

    /// The context the policy describes, its templates read from `relay.templates` (default
    /// `templates` beside the policy).
    ///
    /// - Parameters:
    ///   - relay: the policy's `relay:` settings.
    ///   - leadership: who receives the province report (`report.leadership`).
    /// - Throws: `RelayError` when the sender is missing or a template cannot be read.
    public init(
        policy: Policy, relay: RelaySettings, leadership: [String] = [], policyPath: String, language: ReportLanguage,
        now: Int64
    ) throws(RelayError) {
        guard let from = relay.from else {
            throw RelayError(
                .settings, subject: "\(policyPath): relay.from",
                "names no sender; give one, like \"Trung tâm CNTT <baocao@namdinh.gov.vn>\"")
        }
        let folder =
            relay.templates
            ?? ((policyPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("templates")
        var templates: [NoticeKind: NoticeTemplate] = [:]
        for kind in NoticeKind.allCases {
            templates[kind] = try NoticeTemplate.load(folder: folder, kind: kind, language: language.rawValue)
        }
        self.init(
            from: from, replyTo: relay.replyTo, language: language, templates: templates, relay: relay,
            leadership: leadership, province: policy.province, utcOffset: policy.utcOffset, now: now)
    }

    /// A message from the template of `kind` filled with `values`, to `recipient`.
    func message(
        _ kind: NoticeKind, to recipient: Mailbox, _ values: [String: String], table: [(String, String)] = [],
        attachments: [Attachment] = [], unsubscribe: String? = nil
    ) -> MailMessage {
        let text = templates[kind]?.render(values) ?? (subject: kind.rawValue, body: "")
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        return MailMessage(
            from: from, to: [recipient], replyTo: replyTo, subject: text.subject, text: text.body,
            html: Self.html(text.body, table: table, language: language), attachments: attachments,
            messageID: MailMessage.makeMessageID(domain: domain), date: now, utcOffset: utcOffset,
            listUnsubscribe: unsubscribe)
    }

    /// The body as HTML: its paragraphs, and a table of figures after the first two.
    static func html(_ body: String, table: [(String, String)], language: ReportLanguage) -> String {
        // Each line of a paragraph escaped, the lines joined by breaks.
        let paragraphs = body.components(separatedBy: "\n\n").map { paragraph -> HTML in
            "<p>\(paragraph.components(separatedBy: "\n").map(HTML.init(text:)).joined(separator: "<br>\n"))</p>"
        }
        var rows = HTML()
        if !table.isEmpty {
            let cells = table.map { label, value -> HTML in
                "<tr><th style=\"text-align:left;padding:3px 12px 3px 0;font-weight:normal;color:#5f6b7a\">"
                    + "\(label)</th><td style=\"padding:3px 0;text-align:right\"><b>\(value)</b></td></tr>"
            }
            rows = "<table style=\"border-collapse:collapse;margin:8px 0\">\(cells.joined())</table>"
        }
        let head = paragraphs.prefix(2).joined(separator: "\n")
        let tail = paragraphs.dropFirst(2).joined(separator: "\n")
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8"></head>
            <body style="font-family:Arial,sans-serif;color:#1f2933;line-height:1.45">
            \(head)
            \(rows)
            \(tail)
            </body></html>
            """
        return page.markup
    }
}

/// The notices of a report, of new accounts, and the nudges.
public enum Notices {
    /// The department reports to each department's heads, and the province report to the
    /// leadership, each with the report attached (a head's copy names the people of that
    /// department only).
    public static func reports(_ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext)
        -> [Notice]
    {
        let language = context.language
        let names = Dictionary(
            roster.compactMap { member in member.officialAddress.map { ($0, member.fullName) } },
            uniquingKeysWith: { first, _ in first })
        let through = CivilTime.isoDate(days: report.period.through)
        let ranked = rank(report)
        var notices: [Notice] = []
        for department in policy.departments where !department.heads.isEmpty {
            guard let figures = report.departments.first(where: { $0.code == department.code }) else { continue }
            var values = figureValues(figures, report: report, context: context)
            values["department"] = figures.name
            values["rank"] = ranked[figures.code].map(String.init) ?? "—"
            let attachment = Attachment(
                filename: "\(language == .vi ? "bao-cao" : "report")-\(department.code)-\(through).html",
                contentType: "text/html; charset=utf-8",
                data: Array(CensusHTML.render(report.only(department: department.code), language: language).utf8))
            for head in department.heads {
                values["recipient"] = names[head] ?? head
                let recipient = Mailbox(name: names[head], address: head)
                notices.append(
                    Notice(
                        key: "department-report:\(through):\(department.code):\(head)", kind: .departmentReport,
                        recipient: recipient,
                        message: context.message(
                            .departmentReport, to: recipient, values, table: table(figures, language: language),
                            attachments: [attachment])))
            }
        }
        if !context.leadership.isEmpty {
            var values = figureValues(report.total, report: report, context: context)
            let order = report.departments.filter { ranked[$0.code] != nil }.sorted {
                ranked[$0.code]! < ranked[$1.code]!
            }
            values["best"] = order.first.map(\.name) ?? "—"
            values["worst"] = order.last.map(\.name) ?? "—"
            let attachment = Attachment(
                filename: "\(language == .vi ? "bao-cao" : "report")-\(through).html",
                contentType: "text/html; charset=utf-8", data: Array(CensusHTML.render(report, language: language).utf8)
            )
            for address in context.leadership {
                values["recipient"] = names[address] ?? address
                let recipient = Mailbox(name: names[address], address: address)
                notices.append(
                    Notice(
                        key: "province-report:\(through):\(address)", kind: .provinceReport, recipient: recipient,
                        message: context.message(
                            .provinceReport, to: recipient, values, table: table(report.total, language: language),
                            attachments: [attachment])))
            }
        }
        return notices
    }

    /// The welcome to a new mailbox: where to log in, how to set up a phone; never the password.
    public static func welcome(address: String, name: String, context: NoticeContext) -> Notice {
        let recipient = Mailbox(name: name, address: address)
        let relay = context.relay
        let host = address.split(separator: "@").last.map { "mail.\($0)" } ?? "mail"
        let values = [
            "name": name, "address": address, "province": context.province,
            "webmail_url": relay.webmailURL ?? "https://\(host)", "imap_host": relay.imapHost ?? host,
            "smtp_host": relay.smtpHost ?? host, "helpdesk": relay.helpdesk ?? context.from.address,
        ]
        return Notice(
            key: "welcome:\(address)", kind: .welcome, recipient: recipient,
            message: context.message(.welcome, to: recipient, values))
    }

    /// Nudges to the staff in the policy's nudge categories, in roster order by department: to
    /// the official address, or to a declared personal one for staff with none when the policy
    /// allows. One a person a month at most (the key names the month). They go one at a time to
    /// `each` (a province's worth need not be held at once), which says whether it took the
    /// nudge (a nudge already queued this month is not taken); at most `limit` are taken.
    public static func nudges(
        _ report: CensusReport, context: NoticeContext, limit: Int, each: (Notice) throws -> Bool
    ) rethrows {
        let settings = context.relay.nudges
        guard settings.enabled, limit > 0, !report.isPrivate else { return }
        let month = String(CivilTime.isoDate(days: report.period.through).prefix(7))
        let english = context.language == .en
        var count = 0
        for department in report.departments {
            for person in department.staff where settings.categories.contains(person.category) {
                guard count < limit else { return }
                let personal = person.webmail.first { $0.kind == .declared }?.address
                guard let address = person.officialAddress ?? (settings.toPersonal ? personal : nil) else { continue }
                let situation =
                    person.category == .dormant
                    ? (english ? "no login and no message sent" : "không có lần đăng nhập hay gửi thư nào")
                    : (english
                        ? "your work mail goes through a personal address"
                        : "thư công việc của anh/chị đi qua địa chỉ cá nhân")
                let recipient = Mailbox(name: person.name, address: address)
                let values = [
                    "name": person.name, "address": person.officialAddress ?? address, "province": context.province,
                    "period": context.language.period(report.period), "situation": situation,
                    "webmail_url": context.relay.webmailURL ?? "—", "helpdesk": context.relay.helpdesk ?? "—",
                ]
                let taken = try each(
                    Notice(
                        key: "nudge:\(month):\(person.employeeID)", kind: .nudge, recipient: recipient,
                        message: context.message(.nudge, to: recipient, values, unsubscribe: context.relay.unsubscribe))
                )
                if taken { count += 1 }
            }
        }
    }

    /// The template values of a department's (or the province's) figures.
    static func figureValues(_ figures: DepartmentFigures, report: CensusReport, context: NoticeContext)
        -> [String: String]
    {
        let language = context.language
        return [
            "province": context.province, "period": language.period(report.period),
            "headcount": String(figures.headcount), "accounts": String(figures.accounts),
            "official_active": String(figures.officialActive),
            "official_active_pct": language.percent(figures.officialActivePercent),
            "official_active_change": language.points(figures.officialActiveChange),
            "official_share": language.percent(figures.officialSharePercent),
            "official_share_change": language.points(figures.officialShareChange),
            "webmail": String(figures.categories[.webmail] ?? 0), "dormant": String(figures.categories[.dormant] ?? 0),
            "no_account": String(figures.categories[.noAccount] ?? 0), "departments": String(report.departments.count),
        ]
    }

    /// The figures shown as a table in the HTML part.
    static func table(_ figures: DepartmentFigures, language: ReportLanguage) -> [(String, String)] {
        var rows = [
            (language == .vi ? "Số cán bộ" : "Staff", String(figures.headcount)),
            (
                language == .vi ? "Dùng thư công vụ" : "Using official mail",
                language.percent(figures.officialActivePercent)
            ),
            (
                language == .vi ? "Tỷ lệ thư qua hộp thư công vụ" : "Official share of correspondence",
                language.percent(figures.officialSharePercent)
            ),
        ]
        for category in Category.allCases where category != .unknown {
            rows.append((language.name(of: category), String(figures.categories[category] ?? 0)))
        }
        return rows
    }

    /// Each department's place in the league table (1 = first), for those with a figure.
    static func rank(_ report: CensusReport) -> [String: Int] {
        let ranked = report.league.filter { $0.officialActivePercent != nil && !$0.isOfficialActiveSuppressed }
        return Dictionary(
            ranked.enumerated().map { ($0.element.code, $0.offset + 1) }, uniquingKeysWith: { first, _ in first })
    }
}
