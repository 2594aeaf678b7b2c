/// Days `from...through` (day numbers, inclusive) on the mail server's calendar.
public struct DayRange: Sendable, Equatable, Hashable {
    public var from: Int
    public var through: Int

    public init(from: Int, through: Int) {
        self.from = from
        self.through = through
    }

    /// `days` days ending with `through`.
    public init(days: Int, endingOn through: Int) {
        self.init(from: through - days + 1, through: through)
    }

    public var days: Int { through - from + 1 }

    /// The same number of days just before this range.
    public var previous: DayRange { DayRange(days: days, endingOn: from - 1) }

    public func contains(_ day: Int) -> Bool { day >= from && day <= through }

    public func overlaps(_ days: ClosedRange<Int>) -> Bool { from <= days.upperBound && through >= days.lowerBound }
}

/// What a staff member's use of the mail service comes to in a period (DESIGN.md).
public enum Category: String, Sendable, CaseIterable, Codable {
    /// Official-active, no webmail signal.
    case official
    /// Official-active and a webmail signal.
    case mixed
    /// A webmail signal only.
    case webmail
    /// An official account, and neither.
    case dormant
    /// No official address, no signal.
    case noAccount = "no-account"
    /// Nothing can be said: no log data for the period, or an official address outside the
    /// policy's official domains.
    case unknown
}

/// What ties a public webmail address to a staff member, as found in the logs.
public struct Evidence: Sendable, Equatable {
    /// The name shape its local part matched (`family-middle-given`, …), after dropping
    /// digits and a place code; nil when it matched none of the member's.
    public var nameShape: String?
    /// Messages whose From display name was the member's full name (all its parts, in any
    /// order).
    public var displayNameMessages = 0
    /// Messages whose From display name was only the member's family and given name.
    public var shortDisplayNameMessages = 0
    /// Messages between it and the member's own official address, either way.
    public var selfMessages = 0
    /// Messages with official addresses, and of those with the member's department, counted
    /// per message: a message to several mailboxes of one department (its list) counts once.
    public var officialMessages = 0
    public var departmentMessages = 0

    public init() {}
}

/// A public webmail address tied to a staff member, and why.
public struct Attribution: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// In the roster's personal addresses.
        case declared
        /// Named in the policy's `attributions`, or confirmed by IT in its attributions file.
        case policy
        /// The member's official address forwards to it.
        case forwarding
        /// The logs' evidence names the member decisively (`Evidence`).
        case inferred
    }

    public var address: String
    public var employeeID: String
    public var kind: Kind
    /// For `inferred`: what tied it.
    public var evidence = Evidence()
    /// For `forwarding`: messages forwarded to it.
    public var forwardedMessages = 0

    public init(address: String, employeeID: String, kind: Kind) {
        self.address = address
        self.employeeID = employeeID
        self.kind = kind
    }
}

/// A staff member a webmail address may belong to, with the evidence: an inferred tie waiting
/// for IT's confirmation, or one of the rivals of an address left untied.
public struct AttributionCandidate: Sendable, Equatable {
    public var address: String
    public var employeeID: String
    public var evidence: Evidence
    /// Whether the census tied the address to this member (inferred); false: one of several
    /// candidates the evidence could not tell apart.
    public var isTied: Bool

    public init(address: String, employeeID: String, evidence: Evidence, isTied: Bool) {
        self.address = address
        self.employeeID = employeeID
        self.evidence = evidence
        self.isTied = isTied
    }
}

/// A public webmail address that corresponds with a department but is tied to nobody.
public struct UnattributedAddress: Sendable, Equatable {
    public var address: String
    /// Messages with the department's official addresses in the period.
    public var messages: Int
    /// Staff the evidence points to when more than one (why it was not tied).
    public var matchingStaff: Int

    public init(address: String, messages: Int, matchingStaff: Int = 0) {
        self.address = address
        self.messages = messages
        self.matchingStaff = matchingStaff
    }
}

/// One staff member in the period.
public struct StaffFigures: Sendable, Equatable {
    public var employeeID: String
    public var name: String
    public var position: String
    public var officialAddress: String?
    public var category: Category
    /// Submitted at least one message or logged in at least once in the period.
    public var officialActive: Bool
    public var webmailSignal: Bool
    /// The official address forwards to a public webmail address.
    public var forwards: Bool
    /// Messages sent or received on the official address, and on attributed webmail, in the period.
    public var officialMessages: Int
    public var webmailMessages: Int
    public var submitted: Int
    /// Deliveries into the official mailbox in the period, bounce notifications included.
    public var received: Int
    public var logins: Int
    /// The last day the official address submitted mail or logged in, whenever that was.
    public var lastActiveDay: Int?
    public var webmail: [Attribution]
    /// How the person reached the official mailbox in the period (the client census); nil
    /// when the report was made without it.
    public var clients: ClientUsage? = nil
    /// Tried to log in in the period and never could (failed attempts, no successful login of
    /// any kind): a support call to make. Only set by the client census.
    public var failedOnly = false
}

/// Figures of one department (or of the whole province) in one period.
public struct DepartmentFigures: Sendable, Equatable {
    public var code: String
    public var name: String
    public var level: StaffMember.Level?
    /// Active staff (status active, started by the end of the period, not ended before it).
    public var headcount = 0
    /// Staff with an official address.
    public var accounts = 0
    public var categories: [Category: Int] = Dictionary(uniqueKeysWithValues: Category.allCases.map { ($0, 0) })
    /// Messages sent or received on the official addresses of staff who used their mailbox in
    /// the period (official-active), and every staff member's messages on attributed webmail:
    /// the two sides of the official share.
    public var officialMessages = 0
    public var webmailMessages = 0
    /// Mail delivered to staff mailboxes nobody opened in the period (their owners neither
    /// logged in nor sent): messages, and mailboxes. Never counted as use.
    public var unopenedMessages = 0
    public var unopenedMailboxes = 0
    public var staff: [StaffFigures] = []
    public var topUnattributed: [UnattributedAddress] = []
    /// The same figures for the period before, when the logs cover it.
    public var previous: Comparison?
    /// Under privacy: the department has fewer staff than the minimum group, and its figures
    /// are not shown on their own.
    public var isSuppressed = false
    /// Under privacy: categories with fewer people than the minimum group (but some).
    public var suppressedCategories: Set<Category> = []
    /// How the department's staff reached their mailbox (the client census); nil when the
    /// report was made without it.
    public var clients: ClientFigures? = nil

    public struct Comparison: Sendable, Equatable {
        public var officialSharePercent: Double?
        public var officialActivePercent: Double?
    }

    public init(code: String, name: String, level: StaffMember.Level?) {
        self.code = code
        self.name = name
        self.level = level
    }

    /// Official-active staff: categories official and mixed.
    public var officialActive: Int { (categories[.official] ?? 0) + (categories[.mixed] ?? 0) }

    /// Share of staff correspondence on official addresses, in percent; nil without any.
    public var officialSharePercent: Double? {
        let total = officialMessages + webmailMessages
        return total == 0 ? nil : Double(officialMessages) * 100 / Double(total)
    }

    public var accountsPercent: Double? { percent(accounts) }
    public var officialActivePercent: Double? { percent(officialActive) }

    /// `count` as a percentage of the headcount; nil for an empty department.
    public func percent(_ count: Int) -> Double? {
        headcount == 0 ? nil : Double(count) * 100 / Double(headcount)
    }

    /// Change of the official share since the previous period, in percentage points.
    public var officialShareChange: Double? {
        guard let now = officialSharePercent, let before = previous?.officialSharePercent else { return nil }
        return now - before
    }

    /// Change of the official-active percentage since the previous period, in points.
    public var officialActiveChange: Double? {
        guard let now = officialActivePercent, let before = previous?.officialActivePercent else { return nil }
        return now - before
    }
}

/// One week of the trend.
public struct TrendPoint: Sendable, Equatable {
    public var days: DayRange
    public var officialSharePercent: Double?
    public var officialActivePercent: Double?
}

/// The adoption census of a province for one period.
public struct CensusReport: Sendable, Equatable {
    public var province: String
    public var period: DayRange
    /// The days the store holds log data for.
    public var coverage: ClosedRange<Int>?
    public var departments: [DepartmentFigures]
    public var total: DepartmentFigures
    public var trend: [TrendPoint]
    /// Every webmail address tied to staff, by kind, with its evidence.
    public var attributions: [Attribution]
    /// Inferred ties and the rivals of addresses left untied, for IT to confirm or reject.
    public var candidates: [AttributionCandidate] = []
    /// Whether names, addresses and small groups are left out (a published report).
    public var isPrivate = false
    public var minimumGroup = 5
    /// The client evidence of the period (the client census); nil when the report was made
    /// without it, and then the reports show nothing of clients.
    public var clientEvidence: ClientEvidenceSummary? = nil
}

extension CensusReport {
    /// The league table: departments by the share of staff using official mail, best first;
    /// those with no figure (no staff, or suppressed) last; ties in the policy's order.
    public var league: [DepartmentFigures] {
        departments.enumerated().sorted { left, right in
            func key(_ figures: DepartmentFigures) -> Double {
                figures.isOfficialActiveSuppressed ? -2 : figures.officialActivePercent ?? -1
            }
            let (a, b) = (key(left.element), key(right.element))
            return a != b ? a > b : left.offset < right.offset
        }.map(\.element)
    }
}
