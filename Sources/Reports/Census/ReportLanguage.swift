public import Census
import Foundation
import MailLog

/// The languages of the adoption report, with every text the report shows.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    var strings: ReportStrings { self == .vi ? .vietnamese : .english }

    /// The policy's `report.language` (checked when the policy was read).
    public init(policy: Policy) {
        self = ReportLanguage(rawValue: policy.report.language) ?? .vi
    }

    /// `23,5%` (vi) or `23.5%` (en); `—` for nil.
    public func percent(_ value: Double?) -> String { strings.percent(value) }

    /// A change in percentage points, `+2,5` or `−1.0`; `—` for nil.
    public func points(_ value: Double?) -> String { strings.points(value) }

    /// A day as the language writes it: `30/11/2026` or `2026-11-30`.
    public func date(_ day: Int) -> String { strings.date(day) }

    /// `01/11/2026 – 30/11/2026`.
    public func period(_ days: DayRange) -> String { "\(date(days.from)) – \(date(days.through))" }

    public func name(of category: Category) -> String { strings.categoryNames[category] ?? category.rawValue }
}

/// The report's words in one language.
struct ReportStrings: Sendable {
    var title: String
    var province: @Sendable (String) -> String
    var period: @Sendable (_ from: String, _ through: String, _ days: Int) -> String
    var coverage: @Sendable (_ from: String, _ through: String) -> String
    var noCoverage: String
    var generated: String
    var publicEdition: @Sendable (Int) -> String
    var summary: String
    var headcount: String
    var accounts: String
    var officialActive: String
    var officialShare: String
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
    var messageCount: @Sendable (Int) -> String
    var emptyDepartment: String
    var matchesStaff: @Sendable (Int) -> String
    var people: String
    var name: String
    var position: String
    var officialAddress: String
    var category: String
    var lastActivity: String
    var webmail: String
    var never: String
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
    var evidenceDisplayName: @Sendable (Int) -> String
    var evidenceShortDisplayName: @Sendable (Int) -> String
    var evidenceSelf: @Sendable (Int) -> String
    var evidenceDepartment: @Sendable (_ department: Int, _ official: Int) -> String
    var shapeNames: [String: String]
    var evidenceForwarded: @Sendable (Int) -> String
    var categoryNames: [Category: String]
    var kindNames: [Attribution.Kind: String]
    var levelNames: [StaffMember.Level: String]
    var decimalSeparator: String

    /// `2026-11-30` as the language writes a date, and without the year (chart labels).
    var date: @Sendable (Int) -> String
    var shortDate: @Sendable (Int) -> String

    static let vietnamese = ReportStrings(
        title: "Báo cáo sử dụng thư điện tử công vụ",
        province: { "Tỉnh \($0)" },
        period: { "Kỳ báo cáo: \($0) – \($1) (\($2) ngày)" },
        coverage: { "Nhật ký máy chủ thư có từ \($0) đến \($1)." },
        noCoverage: "Chưa có nhật ký máy chủ thư cho kỳ này: không thể đánh giá.",
        generated: "Lập lúc",
        publicEdition: { "Bản công bố: không nêu tên, địa chỉ; nhóm dưới \($0) người không hiển thị riêng." },
        summary: "Toàn tỉnh",
        headcount: "Số cán bộ",
        accounts: "Đã cấp hộp thư",
        officialActive: "Dùng thư công vụ",
        officialShare: "Tỷ lệ thư qua hộp thư công vụ",
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
        name: "Họ và tên",
        position: "Chức vụ",
        officialAddress: "Hộp thư công vụ",
        category: "Phân loại",
        lastActivity: "Hoạt động gần nhất",
        webmail: "Thư cá nhân",
        never: "chưa có",
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
        shapeNames: [
            "family-middle-given": "họ-đệm-tên", "given-middle-family": "tên-đệm-họ",
            "given-family-middle": "tên-họ-đệm",
            "given-family": "tên-họ", "family-given": "họ-tên", "middle-given": "đệm-tên",
            "last-middle-given": "đệm cuối-tên", "given-initials": "tên-chữ đầu họ đệm",
            "initials-given": "chữ đầu họ đệm-tên",
        ],
        evidenceForwarded: { "nhận \($0) thư chuyển tiếp" },
        categoryNames: [
            .official: "Chỉ dùng thư công vụ", .mixed: "Dùng cả hai", .webmail: "Chỉ dùng thư cá nhân",
            .dormant: "Có hộp thư, không dùng", .noAccount: "Chưa có hộp thư", .unknown: "Không xác định",
        ],
        kindNames: [
            .declared: "khai báo", .policy: "theo chính sách", .forwarding: "chuyển tiếp", .inferred: "suy luận",
        ],
        levelNames: [.province: "cấp tỉnh", .district: "cấp huyện", .commune: "cấp xã"],
        decimalSeparator: ",",
        date: { day in
            let date = CivilTime.date(days: day)
            return String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
        },
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
        generated: "Generated",
        publicEdition: {
            "Published edition: no names or addresses; groups under \($0) people are not shown on their own."
        },
        summary: "Province",
        headcount: "Staff",
        accounts: "Accounts issued",
        officialActive: "Using official mail",
        officialShare: "Official share of correspondence",
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
        messageCount: { $0 == 1 ? "1 message" : "\($0) messages" },
        emptyDepartment: "The roster has nobody in this department.",
        matchesStaff: { "matches \($0) staff names" },
        people: "Staff",
        name: "Name",
        position: "Position",
        officialAddress: "Official mailbox",
        category: "Category",
        lastActivity: "Last activity",
        webmail: "Webmail",
        never: "never",
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
        shapeNames: [:],
        evidenceForwarded: { "receives \($0) forwarded message(s)" },
        categoryNames: [
            .official: "Official only", .mixed: "Both", .webmail: "Webmail only", .dormant: "Dormant",
            .noAccount: "No account", .unknown: "Unknown",
        ],
        kindNames: [.declared: "declared", .policy: "by policy", .forwarding: "forwarding", .inferred: "inferred"],
        levelNames: [.province: "province", .district: "district", .commune: "commune"],
        decimalSeparator: ".",
        date: { CivilTime.isoDate(days: $0) },
        shortDate: { day in
            let date = CivilTime.date(days: day)
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(months[date.month - 1]) \(date.day)"
        })

    /// A percentage with one decimal: `23,5 %` in Vietnamese, `23.5%` in English; `—` for nil.
    func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        let text = JSONWriter.decimal(value, decimals: 1).replacingOccurrences(of: ".", with: decimalSeparator)
        return text + "%"
    }

    /// A change in percentage points: `+2,5` or `−1.0`; `—` for nil.
    func points(_ value: Double?) -> String {
        guard let value else { return "—" }
        let text = JSONWriter.decimal(abs(value), decimals: 1).replacingOccurrences(of: ".", with: decimalSeparator)
        return text == "0" ? "0" : (value < 0 ? "−" : "+") + text
    }
}
