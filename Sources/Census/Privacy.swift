extension CensusReport {
    /// The report as it may be published: no names or addresses, and no group smaller than
    /// `minimumGroup` people shown on its own.
    ///
    /// People, attributions and unattributed webmail addresses are left out; a department with
    /// fewer staff than `minimumGroup` keeps only its name (its people still count in the
    /// province's total); a category with some but fewer than `minimumGroup` people in a
    /// department, or in the province, is marked suppressed, with one more when a single one
    /// could be worked out from the headcount; the official-active figure, the sum of two
    /// categories, is hidden with either of them; the province's categories are hidden when the
    /// departments not shown hold fewer than `minimumGroup` people together. Shares of correspondence are kept:
    /// they name nobody.
    public func redacted(minimumGroup: Int) -> CensusReport {
        var result = self
        result.isPrivate = true
        result.minimumGroup = minimumGroup
        result.attributions = []
        result.candidates = []
        func redact(_ figures: inout DepartmentFigures) {
            figures.staff = []
            figures.topUnattributed = []
            if figures.headcount > 0 && figures.headcount < minimumGroup {
                figures.isSuppressed = true
            }
            var hidden = Set(
                Category.allCases.filter { category in
                    let count = figures.categories[category] ?? 0
                    return count > 0 && count < minimumGroup
                })
            // One hidden cell could be read back from the headcount and the others: hide the
            // smallest other one too.
            if hidden.count == 1,
                let next = Category.allCases.filter({ !hidden.contains($0) && (figures.categories[$0] ?? 0) > 0 })
                    .min(by: { (figures.categories[$0] ?? 0) < (figures.categories[$1] ?? 0) })
            {
                hidden.insert(next)
            }
            figures.suppressedCategories = hidden
            // Client classes overlap (a person may use several): each is hidden on its own.
            if var clients = figures.clients {
                clients.suppressed = Set(
                    ClientClass.allCases.filter { clientClass in
                        let count = clients.staff[clientClass] ?? 0
                        return count > 0 && count < minimumGroup
                    })
                clients.isFailedOnlySuppressed = clients.failedOnly > 0 && clients.failedOnly < minimumGroup
                figures.clients = clients
            }
        }
        for index in result.departments.indices { redact(&result.departments[index]) }
        redact(&result.total)
        // The province's counts less the departments shown give those not shown: when these
        // hold fewer than `minimumGroup` people together, the province's categories are hidden.
        let unshown = result.departments.filter(\.isSuppressed).map(\.headcount).reduce(0, +)
        if unshown > 0 && unshown < minimumGroup {
            result.total.suppressedCategories = Set(
                Category.allCases.filter { (result.total.categories[$0] ?? 0) > 0 })
            if var clients = result.total.clients {
                clients.suppressed = Set(ClientClass.allCases.filter { (clients.staff[$0] ?? 0) > 0 })
                clients.isFailedOnlySuppressed = clients.failedOnly > 0
                result.total.clients = clients
            }
        }
        // The same for each client class (and the failed-only staff) on its own: the province's
        // figure less the departments' shown gives the sum of those hidden.
        if var clients = result.total.clients {
            func hiddenSum(_ count: (ClientFigures) -> Int, hidden: (ClientFigures) -> Bool) -> Int {
                result.departments.compactMap { department in
                    department.clients.flatMap { department.isSuppressed || hidden($0) ? count($0) : nil }
                }.reduce(0, +)
            }
            for clientClass in ClientClass.allCases {
                let sum = hiddenSum({ $0.staff[clientClass] ?? 0 }, hidden: { $0.suppressed.contains(clientClass) })
                if sum > 0 && sum < minimumGroup { clients.suppressed.insert(clientClass) }
            }
            let failed = hiddenSum({ $0.failedOnly }, hidden: \.isFailedOnlySuppressed)
            if failed > 0 && failed < minimumGroup { clients.isFailedOnlySuppressed = true }
            result.total.clients = clients
        }
        return result
    }
}

extension DepartmentFigures {
    /// Under privacy: the official-active figure would reveal a suppressed category.
    public var isOfficialActiveSuppressed: Bool {
        isSuppressed || suppressedCategories.contains(.official) || suppressedCategories.contains(.mixed)
    }

    /// The figures as a report may show them: nil for each one privacy hides. Every renderer
    /// reads these, so that none shows what another hides.
    public var shown: Shown { Shown(self) }

    public struct Shown: Sendable {
        private let figures: DepartmentFigures
        private var all: Bool { !figures.isSuppressed }
        private var active: Bool { !figures.isOfficialActiveSuppressed }

        init(_ figures: DepartmentFigures) { self.figures = figures }

        public var headcount: Int? { all ? figures.headcount : nil }
        public var accounts: Int? { all ? figures.accounts : nil }
        public var accountsPercent: Double? { all ? figures.accountsPercent : nil }

        /// People in `category`, and their share of the headcount.
        public func count(_ category: Category) -> Int? {
            all && !figures.suppressedCategories.contains(category) ? figures.categories[category] ?? 0 : nil
        }

        public func percent(_ category: Category) -> Double? { count(category).flatMap(figures.percent) }

        public var officialActive: Int? { active ? figures.officialActive : nil }
        public var officialActivePercent: Double? { active ? figures.officialActivePercent : nil }
        public var previousOfficialActivePercent: Double? { active ? figures.previous?.officialActivePercent : nil }
        public var officialActiveChange: Double? { active ? figures.officialActiveChange : nil }
        public var officialSharePercent: Double? { all ? figures.officialSharePercent : nil }
        public var previousOfficialSharePercent: Double? { all ? figures.previous?.officialSharePercent : nil }
        public var officialShareChange: Double? { all ? figures.officialShareChange : nil }
        public var officialMessages: Int? { all ? figures.officialMessages : nil }
        public var webmailMessages: Int? { all ? figures.webmailMessages : nil }
        public var unopenedMessages: Int? { all ? figures.unopenedMessages : nil }
        /// A count of people's mailboxes: hidden with the official-active figure it complements.
        public var unopenedMailboxes: Int? { active ? figures.unopenedMailboxes : nil }
    }
}

extension CensusReport {
    /// The report as one department's head receives it: every department's figures (for the
    /// league table), but the people, unattributed addresses and attributions of `code` only.
    public func only(department code: String) -> CensusReport {
        var result = self
        var kept: Set<String> = []
        for index in result.departments.indices where result.departments[index].code != code {
            result.departments[index].staff = []
            result.departments[index].topUnattributed = []
        }
        for department in result.departments where department.code == code {
            kept = Set(department.staff.map(\.employeeID))
        }
        result.total.topUnattributed = []
        result.attributions = attributions.filter { kept.contains($0.employeeID) }
        result.candidates = []
        return result
    }
}
