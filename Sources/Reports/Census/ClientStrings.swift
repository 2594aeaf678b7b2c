import Census

/// The words of the report's part on how staff reach their mailbox (the client census), in
/// one language.
struct ClientStrings: Sendable {
    var section: String
    var intro: String
    var chart: String
    /// A class's name in legends and tables, and its short name in column heads on a phone.
    var className: @Sendable (ClientClass) -> String
    var classShort: @Sendable (ClientClass) -> String
    var failedOnly: String
    var failedOnlyNote: String
    var failedOnlyNone: String
    var staffByClass: String
    var loginsByClass: String
    var access: String
    /// `3 lần, lần cuối 02/12/2026 09:05`: the count as a number and as written.
    var use: @Sendable (_ logins: Int, _ text: String, _ last: String) -> String
    /// A class seen only through the webmail's own IMAP logins: used, no login counted.
    var seenOnly: @Sendable (_ last: String) -> String
    var noLogin: String
    var failedAttempts: @Sendable (_ count: Int, _ text: String) -> String
    var coverage: @Sendable (_ days: String, _ of: String) -> String
    var missing: @Sendable (ClientEvidenceSummary.Missing) -> String
    var notMeasured: String
    var definition: String

    static let vietnamese = ClientStrings(
        section: "Cách truy cập hộp thư công vụ",
        intro:
            "Số cán bộ dùng thư công vụ theo cách truy cập hộp thư trong kỳ: một người dùng nhiều cách được tính ở mỗi cách.",
        chart: "Cán bộ dùng thư công vụ theo cách truy cập, theo đơn vị",
        className: { clientClass in
            switch clientClass {
            case .webmail: "Webmail công vụ"
            case .desktop: "Phần mềm trên máy tính"
            case .phone: "Điện thoại, máy tính bảng"
            case .other: "Ứng dụng khác"
            case .pop3: "POP3 (tải thư về máy)"
            case .unknown: "Chưa rõ"
            }
        },
        classShort: { clientClass in
            switch clientClass {
            case .webmail: "Webmail"
            case .desktop: "Máy tính"
            case .phone: "Điện thoại"
            case .other: "Khác"
            case .pop3: "POP3"
            case .unknown: "Chưa rõ"
            }
        },
        failedOnly: "Đăng nhập không được",
        failedOnlyNote:
            "Đã thử đăng nhập hộp thư công vụ trong kỳ nhưng lần nào cũng sai mật khẩu hoặc bị từ chối: cần liên hệ hỗ trợ.",
        failedOnlyNone: "Không có ai.",
        staffByClass: "Số cán bộ theo cách truy cập",
        loginsByClass: "Lượt đăng nhập",
        access: "Cách truy cập",
        use: { "\($1) lần, lần cuối \($2)" },
        seenOnly: { "lần cuối \($0)" },
        noLogin: "không đăng nhập",
        failedAttempts: { "\($1) lần đăng nhập thất bại" },
        coverage: { "Có dữ liệu về cách truy cập cho \($0)/\($1) ngày của kỳ." },
        missing: { missing in
            switch missing {
            case .noClientData:
                "Kho dữ liệu chưa có thông tin về cách truy cập cho kỳ này (nhật ký nạp trước khi có tính năng này, hoặc không có lần đăng nhập nào): chưa thể cho số liệu theo cách truy cập."
            case .clientIDs:
                "Dovecot không ghi tên ứng dụng thư (imap_id_log): các lần đăng nhập IMAP là \"chưa rõ\", không phân biệt được máy tính, điện thoại hay ứng dụng khác."
            case .webmailLog:
                "Không có nhật ký đăng nhập của webmail (userlogins.log của Roundcube): lượt đăng nhập webmail được đếm từ các lần webmail mở hộp thư (webmail_hosts), mỗi lần người dùng đăng nhập thành nhiều lượt."
            case .webmail:
                "Không có nhật ký đăng nhập của webmail và chính sách không khai báo webmail_hosts: webmail không được tính (các lần webmail mở hộp thư là IMAP \"chưa rõ\")."
            }
        },
        notMeasured: "không có dữ liệu",
        definition:
            "Cách truy cập: webmail công vụ (nhật ký đăng nhập của webmail, hoặc các lần đăng nhập từ máy chủ webmail), phần mềm trên máy tính, điện thoại hay ứng dụng khác (theo tên ứng dụng gửi trong lệnh ID của IMAP), POP3; \"chưa rõ\" là đăng nhập IMAP không cho biết ứng dụng. Mỗi lần đăng nhập webmail chỉ tính một lần."
    )

    static let english = ClientStrings(
        section: "How staff reach their official mailbox",
        intro:
            "Staff using official mail, by the way they reached their mailbox in the period: a person using several ways counts in each.",
        chart: "Staff using official mail by way of access, per department",
        className: { clientClass in
            switch clientClass {
            case .webmail: "Official webmail"
            case .desktop: "Desktop program"
            case .phone: "Phone or tablet"
            case .other: "Other program"
            case .pop3: "POP3 (downloads)"
            case .unknown: "Unknown"
            }
        },
        classShort: { clientClass in
            switch clientClass {
            case .webmail: "Webmail"
            case .desktop: "Desktop"
            case .phone: "Phone"
            case .other: "Other"
            case .pop3: "POP3"
            case .unknown: "Unknown"
            }
        },
        failedOnly: "Tried and could not log in",
        failedOnlyNote:
            "Tried to log in to the official mailbox in the period and failed every time (wrong password, refused): a support call to make.",
        failedOnlyNone: "Nobody.",
        staffByClass: "Staff by way of access",
        loginsByClass: "Logins",
        access: "Access",
        use: { "\($1) \($0 == 1 ? "login" : "logins"), last \($2)" },
        seenOnly: { "last \($0)" },
        noLogin: "no login",
        failedAttempts: { "\($1) failed \($0 == 1 ? "login" : "logins")" },
        coverage: { "Client evidence for \($0) of the period's \($1) days." },
        missing: { missing in
            switch missing {
            case .noClientData:
                "The store holds no client evidence for this period (logs ingested before the client census, or no login at all): no figure by way of access can be given."
            case .clientIDs:
                "Dovecot logged no client IDs (imap_id_log): IMAP logins are 'unknown'; desktop, phone and other programs cannot be told apart."
            case .webmailLog:
                "No webmail login log (Roundcube's userlogins.log): webmail logins are counted from the webmail's own IMAP logins (webmail_hosts), several per person's login."
            case .webmail:
                "Neither the webmail's login log nor webmail_hosts in the policy: webmail is not counted (its IMAP logins are 'unknown')."
            }
        },
        notMeasured: "no evidence",
        definition:
            "Way of access: official webmail (the webmail's login log, or logins from the webmail's hosts), desktop program, phone or other program (by the name the client gives in IMAP's ID command), POP3; 'unknown' is an IMAP login that names no client. A webmail login counts once."
    )
}

extension ReportLanguage {
    var clientStrings: ClientStrings { self == .vi ? .vietnamese : .english }
}
