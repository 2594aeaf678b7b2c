/// One class of client an address used over some days: its logins and the last of them.
public struct ClientClassUse: Sendable, Equatable {
    /// Logins of people, by the counting rule of `ClientCensus` (0 when the class was only
    /// seen through the webmail's own IMAP logins on a day its login log counts the logins).
    public var logins: Int
    /// The last login of the class, UTC seconds.
    public var lastSeen: Int64
    /// The names the class's IMAP clients gave in `ID`, distinct, in the order first seen.
    public var clientNames: [String] = []

    public init(logins: Int, lastSeen: Int64, clientNames: [String] = []) {
        self.logins = logins
        self.lastSeen = lastSeen
        self.clientNames = clientNames
    }
}

/// How one address reached its mailbox over some days.
public struct ClientUsage: Sendable, Equatable {
    /// Each class it logged in through (successfully), with its logins and last login.
    public var classes: [ClientClass: ClientClassUse] = [:]
    /// Failed attempts (a wrong password), counted once where the webmail's log and its IMAP
    /// login both logged one.
    public var failed = 0

    public init() {}

    /// The classes used, in the report's order.
    public var classesUsed: [ClientClass] { classes.keys.sorted() }

    /// Logins of `clientClass` (0 when not used).
    public func logins(_ clientClass: ClientClass) -> Int { classes[clientClass]?.logins ?? 0 }

    /// The names its IMAP clients gave in `ID`, class by class.
    public var clientNames: [String] { classesUsed.flatMap { classes[$0]!.clientNames } }
}

/// Which evidence of clients the logs held over a period, and what the reports must say of
/// what was missing.
public struct ClientEvidenceSummary: Sendable, Equatable {
    /// Evidence missing over the whole period: what the figures cannot show.
    public enum Missing: String, Sendable, CaseIterable, Codable {
        /// The store holds no client rows and no evidence for the period (a store ingested
        /// before the client census, or logs without logins): no class can be given.
        case noClientData = "no_client_data"
        /// No day with an IMAP client's `ID` (Dovecot's `imap_id_log` unset): IMAP logins are
        /// `unknown`.
        case clientIDs = "no_client_ids"
        /// No day of the webmail's own login log: webmail logins are counted from the IMAP
        /// logins of the policy's `webmail_hosts` (several per person's login).
        case webmailLog = "no_webmail_log"
        /// Neither the webmail's login log nor `webmail_hosts`: webmail is not counted at all
        /// (its IMAP logins are `unknown`).
        case webmail = "no_webmail"
    }

    /// Days of the period, and days for which the store holds client evidence of each kind.
    public var days: Int
    public var clientIDDays = 0
    public var webmailLogDays = 0
    public var webmailHostDays = 0
    /// Days with any client row or evidence.
    public var daysWithData = 0
    /// Whether the policy names the webmail's hosts.
    public var webmailHostsConfigured: Bool
    /// The server's offset from UTC, seconds: the last logins are shown on its clock.
    public var utcOffset: Int

    public init(days: Int, webmailHostsConfigured: Bool, utcOffset: Int) {
        self.days = days
        self.webmailHostsConfigured = webmailHostsConfigured
        self.utcOffset = utcOffset
    }

    /// Whether the period has any client evidence: without, no class figure is a measurement.
    public var isMeasured: Bool { daysWithData > 0 }

    /// What was missing over the whole period, for the reports to say.
    public var missing: [Missing] {
        guard isMeasured else { return [.noClientData] }
        var result: [Missing] = []
        if clientIDDays == 0 { result.append(.clientIDs) }
        if webmailLogDays == 0 { result.append(webmailHostsConfigured ? .webmailLog : .webmail) }
        return result
    }
}

/// The client census: from the store's `ClientData`, per address, the classes of client it
/// logged in through, the logins of each and the last one, and its failed attempts. Pure.
///
/// Each row is folded by its origin: the webmail's login log and the webmail's hosts are
/// `webmail`, POP3 is `pop3`, an IMAP login is classed by the client's name in `ID` through the
/// table (`unknown` without one).
///
/// Counting, per person and day: webmail logins are the lines of the webmail's own log. The
/// IMAP logins of the webmail's hosts (and of clients the table calls webmail) show that the
/// class was used, and when; they add no login and no failed attempt on a day the person has
/// a line in the webmail's log (Roundcube opens an IMAP login for each page it shows, and logs a
/// wrong password both ways), and one login on a day they have none (no webmail log ingested,
/// a log that ends before the day does, a session left open across midnight): never the dozens
/// a day of pages would give.
public struct ClientCensus: Sendable {
    public let data: ClientData
    public let table: ClientClassTable

    public init(data: ClientData, table: ClientClassTable) {
        self.data = data
        self.table = table
    }

    /// The class of one row.
    func clientClass(of row: ClientLogins) -> ClientClass {
        switch row.origin {
        case .webmail, .webmailHost: .webmail
        case .pop3: .pop3
        case .imap: row.clientName.isEmpty ? .unknown : table.classify(name: row.clientName, os: row.clientOS)
        }
    }

    /// An address on a day.
    private struct AddressDay: Hashable {
        var address: Int32
        var day: Int32
    }

    /// Per address (its number in `data.addresses`), how it reached its mailbox on `days`, by
    /// the counting rule; addresses without a row those days are left out.
    public func usage(over days: DayRange) -> [Int32: ClientUsage] {
        let rows = data.logins.filter { days.contains(Int($0.day)) }
        // Who has a line of the webmail's own log on which day.
        let logged = Set(rows.filter { $0.origin == .webmail }.map { AddressDay(address: $0.address, day: $0.day) })
        // Who has had the one login a day of the webmail's IMAP logins counted.
        var counted = Set<AddressDay>()
        var result: [Int32: ClientUsage] = [:]
        for row in rows {
            let clientClass = clientClass(of: row)
            var logins = Int(row.logins)
            var failed = Int(row.failed)
            if clientClass == .webmail && row.origin != .webmail {
                let key = AddressDay(address: row.address, day: row.day)
                if logged.contains(key) {
                    (logins, failed) = (0, 0)
                } else {
                    logins = logins > 0 && counted.insert(key).inserted ? 1 : 0
                }
            }
            var usage = result[row.address] ?? ClientUsage()
            usage.failed += failed
            if row.logins > 0 {
                var use = usage.classes[clientClass] ?? ClientClassUse(logins: 0, lastSeen: row.lastSeen)
                use.logins += logins
                use.lastSeen = max(use.lastSeen, row.lastSeen)
                if !row.clientName.isEmpty && !use.clientNames.contains(row.clientName) {
                    use.clientNames.append(row.clientName)
                }
                usage.classes[clientClass] = use
            }
            result[row.address] = usage
        }
        return result
    }

    /// The same, by address (lower case, as the store gives it).
    public func usageByAddress(over days: DayRange) -> [String: ClientUsage] {
        var result: [String: ClientUsage] = [:]
        for (index, usage) in usage(over: days) where index >= 0 && Int(index) < data.addresses.count {
            result[data.addresses[Int(index)]] = usage
        }
        return result
    }

    /// The evidence the store holds for `days`.
    public func evidence(over days: DayRange, utcOffset: Int) -> ClientEvidenceSummary {
        var summary = ClientEvidenceSummary(
            days: days.days, webmailHostsConfigured: !table.webmailHosts.isEmpty, utcOffset: utcOffset)
        var withData = Set<Int32>()
        for (day, evidence) in data.evidence where days.contains(Int(day)) {
            withData.insert(day)
            if evidence.contains(.clientIDs) { summary.clientIDDays += 1 }
            if evidence.contains(.webmailLog) { summary.webmailLogDays += 1 }
            if evidence.contains(.webmailHosts) { summary.webmailHostDays += 1 }
        }
        for row in data.logins where days.contains(Int(row.day)) { withData.insert(row.day) }
        summary.daysWithData = withData.count
        return summary
    }
}

/// How the staff of a department (or of the province) reached their mailbox in a period.
public struct ClientFigures: Sendable, Equatable {
    /// Official-active staff who logged in through each class (a person may be in several).
    public var staff: [ClientClass: Int] = Dictionary(uniqueKeysWithValues: ClientClass.allCases.map { ($0, 0) })
    /// Logins of each class by the staff's official addresses (all staff, by the counting rule).
    public var logins: [ClientClass: Int] = Dictionary(uniqueKeysWithValues: ClientClass.allCases.map { ($0, 0) })
    /// Staff who tried to log in and never could.
    public var failedOnly = 0
    /// Under privacy: classes with fewer people than the minimum group (but some).
    public var suppressed: Set<ClientClass> = []
    /// Under privacy: fewer failed-only staff than the minimum group (but some).
    public var isFailedOnlySuppressed = false

    public init() {}

    mutating func add(_ person: StaffFigures) {
        guard let usage = person.clients else { return }
        if person.officialActive {
            for clientClass in usage.classes.keys { staff[clientClass, default: 0] += 1 }
        }
        for (clientClass, use) in usage.classes { logins[clientClass, default: 0] += use.logins }
        if person.failedOnly { failedOnly += 1 }
    }
}

extension ClientEvidenceSummary {
    /// Whether the period's evidence can show `clientClass` at all: nothing without client
    /// data; desktop, phone and other not without client IDs; webmail not without the
    /// webmail's log or hosts.
    public func measures(_ clientClass: ClientClass) -> Bool {
        guard isMeasured else { return false }
        switch clientClass {
        case .desktop, .phone, .other: return clientIDDays > 0
        case .webmail: return webmailLogDays > 0 || webmailHostsConfigured || webmailHostDays > 0
        case .pop3, .unknown: return true
        }
    }
}

extension CensusReport {
    /// Official-active staff of `figures` who used `clientClass`, as a report may show it: nil
    /// without the client census, when the evidence cannot show the class, or when privacy
    /// hides it.
    public func clientStaff(_ figures: DepartmentFigures, _ clientClass: ClientClass) -> Int? {
        guard let evidence = clientEvidence, evidence.measures(clientClass), let clients = figures.clients,
            !figures.isSuppressed, !clients.suppressed.contains(clientClass)
        else { return nil }
        return clients.staff[clientClass] ?? 0
    }

    /// Logins of `clientClass` by the staff of `figures`, under the same conditions.
    public func clientLogins(_ figures: DepartmentFigures, _ clientClass: ClientClass) -> Int? {
        guard clientStaff(figures, clientClass) != nil else { return nil }
        return figures.clients?.logins[clientClass] ?? 0
    }

    /// Staff of `figures` who tried to log in and never could, as a report may show it.
    public func failedOnly(_ figures: DepartmentFigures) -> Int? {
        guard clientEvidence != nil, let clients = figures.clients, !figures.isSuppressed,
            !clients.isFailedOnlySuppressed
        else { return nil }
        return clients.failedOnly
    }
}
