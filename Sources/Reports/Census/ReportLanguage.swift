import Basics
public import Census
import Foundation

/// The languages of the adoption report, with every text the report shows.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    var strings: ReportStrings { self == .vi ? .vietnamese : .english }

    /// `23,5%` (vi) or `23.5%` (en), always one decimal (`50,0%`); `—` for nil.
    public func percent(_ value: Double?) -> String { strings.percent(value) }

    /// A change in percentage points without its unit, `+2,5` or `−1.0`; `—` for nil.
    public func points(_ value: Double?) -> String { strings.points(value) }

    /// A change in percentage points with its unit, `+2,5 điểm` or `−1.0 pts`; `—` for nil.
    public func change(_ value: Double?) -> String { strings.change(value) }

    /// A count with its thousands grouped: `1.863` (vi) or `1,863` (en).
    public func count(_ value: Int) -> String { strings.count(value) }

    /// When a report was made, as a reader writes it: `Lập lúc 10:42 ngày 02/12/2026`.
    public func issued(_ time: ReportTime) -> String { strings.issued(time) }

    /// A day as the language writes it: `30/11/2026` or `2026-11-30`.
    public func date(_ day: Int) -> String { strings.date(day) }

    /// `01/11/2026 – 30/11/2026`.
    public func period(_ days: DayRange) -> String { "\(date(days.from)) – \(date(days.through))" }

    public func name(of category: Category) -> String { strings.categoryName(category) }
}

/// The report's words in one language.
struct ReportStrings: Sendable {
    var title: String
    var province: @Sendable (String) -> String
    var period: @Sendable (_ from: String, _ through: String, _ days: String) -> String
    var coverage: @Sendable (_ from: String, _ through: String) -> String
    var noCoverage: String
    /// `Lập lúc 10:42 ngày 02/12/2026`.
    var issued: @Sendable (ReportTime) -> String
    var publicEdition: @Sendable (Int) -> String
    var summary: String
    var headcount: String
    var accounts: String
    var officialActive: String
    var officialShare: String
    /// Column heads of the league table on a phone.
    var accountsShort: String
    var officialShareShort: String
    var change: String
    var changeShort: String
    var league: String
    var rank: String
    var department: String
    var trend: String
    var trendNote: String
    var weekOf: String
    var categoriesChart: String
    var unattributed: String
    var unattributedAddress: String
    var messages: String
    var messageCount: @Sendable (String) -> String
    var emptyDepartment: String
    var matchesStaff: @Sendable (String) -> String
    var people: String
    /// Under the heading of a department's people: the order they are listed in.
    var peopleOrder: String
    /// A person's messages on webmail in the period, shown with the addresses.
    var webmailMessages: @Sendable (String) -> String
    var name: String
    var position: String
    var officialAddress: String
    var category: String
    /// The last day the official mailbox was used (a login or a message sent).
    var lastActivity: String
    var webmail: String
    /// No use of the official mailbox in the logs (the person may well write from webmail).
    var notSeen: String
    var noMailbox: String
    var forwards: String
    var suppressedDepartment: @Sendable (Int) -> String
    var contents: String
    var definitions: String
    var definitionTexts: [String]
    var unopened: String
    var unopenedValue: @Sendable (_ messages: String, _ mailboxes: String) -> String
    /// One line under each headline figure: what it counts.
    var headlineMeanings: [String]
    /// An inferred tie's evidence, in parts joined by `; `.
    var evidenceInferred: String
    var evidenceShape: @Sendable (String) -> String
    var evidenceDisplayName: @Sendable (String) -> String
    var evidenceShortDisplayName: @Sendable (String) -> String
    var evidenceSelf: @Sendable (String) -> String
    var evidenceDepartment: @Sendable (_ department: String, _ official: String) -> String
    /// A name shape (`NameShapes`: `family-middle-given`, …) as the language names it.
    var shapeName: @Sendable (String) -> String
    var evidenceForwarded: @Sendable (String) -> String
    var categoryName: @Sendable (Category) -> String
    var kindName: @Sendable (Attribution.Kind) -> String
    var levelName: @Sendable (StaffMember.Level) -> String
    var decimalSeparator: String
    var thousandsSeparator: String
    /// The unit of a change in percentage points.
    var pointsUnit: String

    /// `2026-11-30` as the language writes a date, and without the year (chart labels).
    var date: @Sendable (Int) -> String
    var shortDate: @Sendable (Int) -> String

    static let vietnamese = ReportStrings(
        title: "Báo cáo sử dụng thư điện tử công vụ",
        province: { "Tỉnh \($0)" },
        period: { "Kỳ báo cáo: \($0) – \($1) (\($2) ngày)" },
        coverage: { "Nhật ký máy chủ thư có từ \($0) đến \($1)." },
        noCoverage: "Chưa có nhật ký máy chủ thư cho kỳ này: không thể đánh giá.",
        issued: { time in
            let local = time.local
            return "Lập lúc " + twoDigits(local.hour) + ":" + twoDigits(local.minute) + " ngày "
                + vietnameseDate(local.day)
        },
        publicEdition: { "Bản công bố: không nêu tên, địa chỉ; nhóm dưới \($0) người không hiển thị riêng." },
        summary: "Toàn tỉnh",
        headcount: "Số cán bộ",
        accounts: "Đã cấp hộp thư",
        officialActive: "Dùng thư công vụ",
        officialShare: "Tỷ lệ thư qua hộp thư công vụ",
        accountsShort: "Có hộp thư",
        officialShareShort: "Tỷ lệ thư công vụ",
        change: "Thay đổi so với kỳ trước",
        changeShort: "± kỳ trước",
        league: "Bảng xếp hạng các đơn vị",
        rank: "Hạng",
        department: "Đơn vị",
        trend: "Xu hướng theo tuần",
        trendNote: "Mỗi điểm là một tuần: tỷ lệ thư qua hộp thư công vụ, và tỷ lệ cán bộ dùng thư công vụ trong tuần.",
        weekOf: "Tuần",
        categoriesChart: "Phân loại cán bộ theo đơn vị",
        unattributed: "Địa chỉ thư cá nhân chưa rõ chủ, thường liên lạc với đơn vị",
        unattributedAddress: "Địa chỉ",
        messages: "Số thư",
        messageCount: { "\($0) thư" },
        emptyDepartment: "Danh sách cán bộ không có ai thuộc đơn vị này.",
        matchesStaff: { "trùng tên \($0) cán bộ" },
        people: "Danh sách cán bộ",
        peopleOrder:
            "Người nên liên hệ trước đứng đầu: chỉ dùng thư cá nhân, có hộp thư mà không dùng, chưa có hộp thư, dùng cả hai, rồi chỉ dùng thư công vụ; trong mỗi nhóm, ai trao đổi nhiều thư cá nhân hơn đứng trước.",
        webmailMessages: { "\($0) thư cá nhân trong kỳ" },
        name: "Họ và tên",
        position: "Chức vụ",
        officialAddress: "Hộp thư công vụ",
        category: "Phân loại",
        lastActivity: "Lần cuối dùng hộp thư công vụ",
        webmail: "Thư cá nhân",
        notSeen: "không thấy trong nhật ký",
        noMailbox: "chưa có hộp thư",
        forwards: "chuyển tiếp sang thư cá nhân",
        suppressedDepartment: { "dưới \($0) người: gộp vào số liệu toàn tỉnh" },
        contents: "Mục lục",
        definitions: "Cách tính",
        definitionTexts: [
            "Dùng thư công vụ: trong kỳ có ít nhất một lần gửi thư hoặc đăng nhập hộp thư công vụ (thư chỉ đến không tính).",
            "Dùng thư cá nhân: một địa chỉ Gmail, Yahoo… của cán bộ có trao đổi thư với địa chỉ công vụ trong kỳ, hoặc hộp thư công vụ chuyển tiếp sang đó.",
            "Địa chỉ cá nhân của cán bộ: do cán bộ khai báo, theo chính sách hoặc bộ phận CNTT xác nhận, nhận thư chuyển tiếp, hoặc suy luận khi bằng chứng chỉ rõ một người: tên hiển thị của người gửi, dạng họ tên trong địa chỉ, thư qua lại với chính hộp thư công vụ của người đó, thư với đơn vị của người đó (tính theo thư). Địa chỉ khớp nhiều người mà bằng chứng không phân biệt được thì không gán cho ai.",
            "Tỷ lệ thư qua hộp thư công vụ: số thư gửi, nhận trên hộp thư công vụ của những cán bộ có dùng hộp thư trong kỳ, chia cho số thư đó cộng với toàn bộ thư của cán bộ qua thư cá nhân.",
            "Thư đến hộp thư không ai mở: thư được chuyển vào hộp thư công vụ của cán bộ không đăng nhập, không gửi thư trong kỳ (kể cả thư báo lỗi gửi); không tính là sử dụng.",
        ],
        unopened: "Thư đến hộp thư không ai mở",
        unopenedValue: { "\($0) thư, \($1) hộp thư" },
        headlineMeanings: [
            "Số cán bộ: cán bộ đang công tác theo danh sách nhân sự (không tính người đã nghỉ).",
            "Đã cấp hộp thư: số cán bộ có địa chỉ thư công vụ, và tỷ lệ trên số cán bộ.",
            "Dùng thư công vụ: số cán bộ có gửi thư hoặc đăng nhập hộp thư công vụ trong kỳ.",
            "Tỷ lệ thư qua hộp thư công vụ: thư trên hộp thư công vụ đang được dùng, trên tổng số thư của cán bộ kể cả thư cá nhân.",
            "Thư đến hộp thư không ai mở: thư vào hộp thư mà chủ hộp thư không mở trong kỳ; không tính là sử dụng.",
        ],
        evidenceInferred: "suy luận",
        evidenceShape: { "địa chỉ có dạng \($0)" },
        evidenceDisplayName: { "tên hiển thị đúng họ tên trong \($0) thư" },
        evidenceShortDisplayName: { "tên hiển thị là họ và tên gọi trong \($0) thư" },
        evidenceSelf: { "\($0) thư qua lại với hộp thư công vụ của chính cán bộ" },
        evidenceDepartment: { "\($0)/\($1) thư với địa chỉ công vụ là với đơn vị" },
        shapeName: { vietnameseShapes[$0] ?? "họ tên viết liền" },
        evidenceForwarded: { "nhận \($0) thư chuyển tiếp" },
        categoryName: { category in
            switch category {
            case .official: "Chỉ dùng thư công vụ"
            case .mixed: "Dùng cả hai"
            case .webmail: "Chỉ dùng thư cá nhân"
            case .dormant: "Có hộp thư, không dùng"
            case .noAccount: "Chưa có hộp thư"
            case .unknown: "Không xác định"
            }
        },
        kindName: { kind in
            switch kind {
            case .declared: "khai báo"
            case .policy: "theo chính sách"
            case .forwarding: "chuyển tiếp"
            case .inferred: "suy luận"
            }
        },
        levelName: { level in
            switch level {
            case .province: "cấp tỉnh"
            case .district: "cấp huyện"
            case .commune: "cấp xã"
            }
        },
        decimalSeparator: ",",
        thousandsSeparator: ".",
        pointsUnit: "điểm",
        date: vietnameseDate,
        shortDate: { day in
            let date = CivilTime.date(days: day)
            return String(format: "%02d/%02d", date.day, date.month)
        })

    static let english = ReportStrings(
        title: "Official mail adoption report",
        province: { "\($0) province" },
        period: { "Period: \($0) – \($1) (\($2) days)" },
        coverage: { "The mail server's logs run from \($0) to \($1)." },
        noCoverage: "No mail server logs cover this period: nothing can be judged.",
        issued: { time in
            let local = time.local
            let date = CivilTime.date(days: local.day)
            return "Generated at " + twoDigits(local.hour) + ":" + twoDigits(local.minute) + " on \(date.day) "
                + englishMonths[date.month - 1] + " \(date.year)"
        },
        publicEdition: {
            "Published edition: no names or addresses; groups under \($0) people are not shown on their own."
        },
        summary: "Province",
        headcount: "Staff",
        accounts: "Accounts issued",
        officialActive: "Using official mail",
        officialShare: "Official share of correspondence",
        accountsShort: "Accounts",
        officialShareShort: "Official share",
        change: "Change since the last period",
        changeShort: "± last period",
        league: "League table",
        rank: "Rank",
        department: "Department",
        trend: "Weekly trend",
        trendNote:
            "One point a week: the official share of correspondence, and the share of staff using official mail that week.",
        weekOf: "Week of",
        categoriesChart: "Staff by category, per department",
        unattributed: "Unattributed webmail addresses corresponding with the department",
        unattributedAddress: "Address",
        messages: "Messages",
        messageCount: { $0 == "1" ? "1 message" : "\($0) messages" },
        emptyDepartment: "The roster has nobody in this department.",
        matchesStaff: { "matches \($0) staff names" },
        people: "Staff",
        peopleOrder:
            "Those to call first come first: webmail only, a mailbox they do not use, no mailbox, both, then official only; within each, those with more webmail messages first.",
        webmailMessages: { $0 == "1" ? "1 webmail message in the period" : "\($0) webmail messages in the period" },
        name: "Name",
        position: "Position",
        officialAddress: "Official mailbox",
        category: "Category",
        lastActivity: "Official mailbox last used",
        webmail: "Webmail",
        notSeen: "not in the logs",
        noMailbox: "no mailbox",
        forwards: "forwards to webmail",
        suppressedDepartment: { "under \($0) people: counted in the province total" },
        contents: "Contents",
        definitions: "Definitions",
        definitionTexts: [
            "Using official mail: at least one message submitted or one login on the official mailbox in the period (mail merely arriving does not count).",
            "Webmail: a Gmail, Yahoo… address of the staff member exchanged mail with an official address in the period, or the official mailbox forwards to one.",
            "A staff member's webmail address is declared to HR, named by the policy or confirmed by IT, receives forwarded mail, or is inferred when the evidence names one person only: the sender's display name, a name shape in the address, mail with the person's own official mailbox, mail with the person's department (counted per message). An address the evidence cannot tell between several people is tied to nobody.",
            "Official share of correspondence: messages sent or received on the official mailboxes of staff who used them in the period, divided by those messages plus all staff messages on webmail.",
            "Delivered to unopened mailboxes: mail delivered into the official mailboxes of staff who neither logged in nor sent in the period (bounce notifications included); never counted as use.",
        ],
        unopened: "Delivered to unopened mailboxes",
        unopenedValue: { "\($0) messages, \($1) mailboxes" },
        headlineMeanings: [
            "Staff: active staff on HR's roster (leavers not counted).",
            "Accounts issued: staff with an official address, and their share of the staff.",
            "Using official mail: staff who sent mail or logged in to their official mailbox in the period.",
            "Official share of correspondence: mail on official mailboxes in use, out of all staff mail, webmail included.",
            "Delivered to unopened mailboxes: mail into mailboxes their owners did not open in the period; not use.",
        ],
        evidenceInferred: "inferred",
        evidenceShape: { "address shaped \($0)" },
        evidenceDisplayName: { "display name is the full name in \($0) message(s)" },
        evidenceShortDisplayName: { "display name is the family and given name in \($0) message(s)" },
        evidenceSelf: { "\($0) message(s) with the person's own official mailbox" },
        evidenceDepartment: { "\($0) of \($1) messages with official addresses were with the department" },
        shapeName: { $0 },
        evidenceForwarded: { "receives \($0) forwarded message(s)" },
        categoryName: { category in
            switch category {
            case .official: "Official only"
            case .mixed: "Both"
            case .webmail: "Webmail only"
            case .dormant: "Dormant"
            case .noAccount: "No account"
            case .unknown: "Unknown"
            }
        },
        kindName: { kind in
            switch kind {
            case .declared: "declared"
            case .policy: "by policy"
            case .forwarding: "forwarding"
            case .inferred: "inferred"
            }
        },
        levelName: { level in
            switch level {
            case .province: "province"
            case .district: "district"
            case .commune: "commune"
            }
        },
        decimalSeparator: ".",
        thousandsSeparator: ",",
        pointsUnit: "pts",
        date: { CivilTime.isoDate(days: $0) },
        shortDate: { day in
            let date = CivilTime.date(days: day)
            return "\(englishMonths[date.month - 1].prefix(3)) \(date.day)"
        })

    /// The name shapes of `NameShapes`, in Vietnamese: họ (family), đệm (middle), tên (given).
    static let vietnameseShapes = [
        "family-middle-given": "họ-đệm-tên", "given-middle-family": "tên-đệm-họ", "given-family-middle": "tên-họ-đệm",
        "given-family": "tên-họ", "family-given": "họ-tên", "middle-given": "đệm-tên",
        "last-middle-given": "đệm cuối-tên", "given-initials": "tên-chữ đầu họ đệm",
        "initials-given": "chữ đầu họ đệm-tên",
    ]

    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// `30/11/2026`.
    @Sendable static func vietnameseDate(_ day: Int) -> String {
        let date = CivilTime.date(days: day)
        return twoDigits(date.day) + "/" + twoDigits(date.month) + "/" + String(date.year)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// A count with its thousands grouped: `1.863` in Vietnamese, `1,863` in English.
    func count(_ value: Int) -> String {
        (value < 0 ? "−" : "") + grouped(String(value.magnitude))
    }

    /// A percentage with one decimal, however round: `50,0%` in Vietnamese, `50.0%` in English;
    /// `—` for nil. Rounded as the JSON report rounds it.
    func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        let text = oneDecimal(abs(value))
        return (value < 0 && !isZero(text) ? "−" : "") + text + "%"
    }

    /// A change in percentage points, one decimal and its sign: `+2,5` or `−1.0`; `0,0` for a
    /// change that rounds to nothing; `—` for nil.
    func points(_ value: Double?) -> String {
        guard let value else { return "—" }
        let text = oneDecimal(abs(value))
        return isZero(text) ? text : (value < 0 ? "−" : "+") + text
    }

    /// A change with its unit: `+2,5 điểm`, `−1.0 pts`; `—` for nil.
    func change(_ value: Double?) -> String {
        value == nil ? "—" : points(value) + " " + pointsUnit
    }

    /// A number of zero or more with one decimal, its thousands grouped.
    private func oneDecimal(_ value: Double) -> String {
        let plain = JSONWriter.decimal(value, decimals: 1)
        let parts = plain.split(separator: ".", maxSplits: 1)
        return grouped(String(parts[0])) + decimalSeparator + (parts.count > 1 ? String(parts[1]) : "0")
    }

    private func isZero(_ text: String) -> Bool { text.allSatisfy { $0 == "0" || String($0) == decimalSeparator } }

    /// Digits with the thousands separator between each group of three: `1863` → `1.863`.
    private func grouped(_ digits: String) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += thousandsSeparator }
            result.append(digit)
        }
        return result
    }
}
