/// How a person reached the official mailbox, for one login.
public enum ClientClass: String, Sendable, CaseIterable, Codable, Comparable {
    /// The province's webmail (Roundcube): its own login log, or an IMAP login from one of the
    /// policy's `webmail_hosts`.
    case webmail
    /// A mail program on a computer: Outlook, Thunderbird, Apple Mail on macOS, …
    case desktop
    /// A mail app on a phone or tablet: iOS Mail, Gmail, Outlook, Samsung Email, K-9, …
    case phone
    /// A program that named itself, but is none of the above (a migration tool, an unknown app).
    case other
    /// POP3: whatever the program, it downloads the mail (often to one computer only).
    case pop3
    /// An IMAP login that says nothing of its client: no `ID` command, or a server without
    /// `imap_id_log`.
    case unknown

    /// The report's order: webmail, desktop, phone, other, pop3, unknown.
    public static func < (lhs: ClientClass, rhs: ClientClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Folds a login into a `ClientClass`: by where it came from (the webmail's hosts), by its
/// protocol (POP3), and by the name (and system) the client gave in IMAP's `ID` command.
///
/// The table is a list of rules, tried in order; the first that matches decides. A rule
/// matches a client's `name` (compared without regard to case) exactly, or, written with a
/// trailing `*`, by its beginning; it may also require the `os` to begin with a given text.
/// `ClientClassTable.defaultRules` is the table below; a policy puts its own rules first
/// (`extended(with:)`), so a province can add a client or move one to another class.
///
/// | name | os | class | what it is |
/// |---|---|---|---|
/// | `Roundcube`, `SnappyMail`, `RainLoop`, `SOGo`, `Horde*` | | webmail | webmails that send `ID` (Roundcube only with `imap_debug`) |
/// | `iPhone Mail`, `iPad Mail`, `com.apple.email.maild`, `com.apple.mobilemail` | | phone | iOS and iPadOS Mail (`com.apple.email.maild` since iOS 18) |
/// | `Mac OS X Mail`, `macOS Mail`, `Apple Mail` | | desktop | Apple Mail on macOS |
/// | `com.google.android.gm*` | | phone | Gmail for Android with an IMAP account |
/// | `com.samsung.android.email*` | | phone | Samsung Email |
/// | `com.android.email`, `com.microsoft.office.outlook`, `com.yahoo.mobile.client.android.mail` | | phone | other Android mail apps (AOSP Email, Outlook, Yahoo) |
/// | `K-9 Mail`, `Thunderbird for Android`, `FairEmail`, `Nine*`, `BlueMail`, `Spark*`, `Aqua Mail` | | phone | Android (and iOS) mail apps |
/// | `Microsoft Outlook`, `Microsoft Outlook for Mac`, `Outlook`, `Windows Mail`, `Mail` (os `Windows`) | | desktop | Outlook on Windows and macOS, Windows' Mail app |
/// | `Thunderbird`, `Mozilla Thunderbird`, `Betterbird`, `eM Client`, `Evolution`, `KMail`, `Claws Mail`, `Postbox`, `Mailbird`, `The Bat!`, `Geary` | | desktop | desktop mail programs |
/// | any other name | `iOS`, `iPadOS`, `android` | phone | an app on a phone that the table does not know |
/// | any other name | | other | |
public struct ClientClassTable: Sendable, Equatable {
    /// One line of the table.
    public struct Rule: Sendable, Equatable {
        /// The client's name, lower-cased; a trailing `*` matches any name that begins with the rest.
        public var name: String
        /// If set, the client's `os` must begin with it (lower-cased).
        public var os: String?
        public var clientClass: ClientClass

        public init(name: String, os: String? = nil, clientClass: ClientClass) {
            self.name = name.lowercased()
            self.os = os?.lowercased()
            self.clientClass = clientClass
        }

        func matches(name candidate: String, os candidateOS: String) -> Bool {
            if let os, !candidateOS.hasPrefix(os) { return false }
            if name == "*" { return true }
            if name.hasSuffix("*") { return candidate.hasPrefix(name.dropLast()) }
            return candidate == name
        }
    }

    /// The rules, tried in order.
    public var rules: [Rule]
    /// The addresses Dovecot logs as `rip=` for the webmail's own IMAP logins (Roundcube on the
    /// mail server: `127.0.0.1`, `::1`).
    public var webmailHosts: Set<String>

    public init(rules: [Rule] = ClientClassTable.defaultRules, webmailHosts: Set<String> = []) {
        self.rules = rules
        self.webmailHosts = webmailHosts
    }

    /// This table with `rules` tried first (a policy's `client_classes`) and `hosts` added to
    /// the webmail's hosts (a policy's `webmail_hosts`).
    public func extended(with rules: [Rule], webmailHosts hosts: [String] = []) -> ClientClassTable {
        ClientClassTable(rules: rules + self.rules, webmailHosts: webmailHosts.union(hosts))
    }

    /// The class of a client that named itself `name` (and `os`) in its `ID` command; `unknown`
    /// without a name.
    public func classify(name: String?, os: String? = nil) -> ClientClass {
        guard let name, !name.isEmpty else { return .unknown }
        let lowered = name.lowercased()
        let loweredOS = (os ?? "").lowercased()
        for rule in rules where rule.matches(name: lowered, os: loweredOS) {
            return rule.clientClass
        }
        for prefix in ClientClassTable.phoneSystems where loweredOS.hasPrefix(prefix) {
            return .phone
        }
        return .other
    }

    /// The class of one successful login: webmail when it came from a webmail host
    /// (`remoteIP`), pop3 for POP3, else by the client the connection's `ID` named
    /// (`clientName`, `os`; `unknown` without one).
    public func classify(remoteIP: String?, pop3: Bool, clientName: String?, os: String? = nil) -> ClientClass {
        if let remoteIP, webmailHosts.contains(remoteIP) { return .webmail }
        if pop3 { return .pop3 }
        guard let clientName else { return .unknown }
        return classify(name: clientName, os: os)
    }

    /// Systems whose unknown clients are phones.
    static let phoneSystems = ["ios", "ipados", "android"]

    /// The default table (see the type's documentation); sources in README.md, "Client evidence".
    public static let defaultRules: [Rule] = {
        var rules: [Rule] = []
        func add(_ names: [String], _ clientClass: ClientClass, os: String? = nil) {
            rules += names.map { Rule(name: $0, os: os, clientClass: clientClass) }
        }
        add(["Roundcube", "SnappyMail", "RainLoop", "SOGo", "Horde*"], .webmail)
        add(["iPhone Mail", "iPad Mail", "com.apple.email.maild", "com.apple.mobilemail"], .phone)
        add(["Mac OS X Mail", "macOS Mail", "Apple Mail"], .desktop)
        add(["com.google.android.gm*", "com.samsung.android.email*", "com.android.email"], .phone)
        add(["com.microsoft.office.outlook", "com.yahoo.mobile.client.android.mail"], .phone)
        add(["K-9 Mail", "Thunderbird for Android", "FairEmail", "Nine*", "BlueMail", "Spark*", "Aqua Mail"], .phone)
        add(["Microsoft Outlook", "Microsoft Outlook for Mac", "Outlook", "Windows Mail"], .desktop)
        add(["Mail"], .desktop, os: "windows")
        add(
            [
                "Thunderbird", "Mozilla Thunderbird", "Betterbird", "eM Client", "Evolution", "KMail", "Claws Mail",
                "Postbox", "Mailbird", "The Bat!", "Geary",
            ], .desktop)
        return rules
    }()

    /// The default table, with no webmail host.
    public static let standard = ClientClassTable()
}
