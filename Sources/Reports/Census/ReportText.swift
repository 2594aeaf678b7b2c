import Census

/// The figures of the adoption report as text in one language, shared by the HTML and
/// Markdown reports so that both say the same thing.
struct ReportText {
    let report: CensusReport
    let strings: ReportStrings
    /// The words of the part on how staff reach their mailbox.
    let clients: ClientStrings

    init(_ report: CensusReport, language: ReportLanguage) {
        self.report = report
        strings = language.strings
        clients = language.clientStrings
    }

    var provinceName: String { strings.province(report.province) }

    var periodLine: String {
        strings.period(
            strings.date(report.period.from), strings.date(report.period.through), strings.count(report.period.days))
    }

    /// A count as people read it: `1.863`.
    func count(_ value: Int) -> String { strings.count(value) }

    var coverageLine: String {
        guard let coverage = report.coverage, report.period.overlaps(coverage) else { return strings.noCoverage }
        return strings.coverage(strings.date(coverage.lowerBound), strings.date(coverage.upperBound))
    }

    /// What the suppression marker reads: `<5`.
    var suppressed: String { "<\(report.minimumGroup)" }

    func headcount(_ figures: DepartmentFigures) -> String {
        figures.shown.headcount.map(count) ?? suppressed
    }

    /// `1.024 (53,9%)` for accounts; `—` where privacy hides it (`DepartmentFigures.shown`).
    func accounts(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return shown.accounts.map { "\(count($0)) (\(strings.percent(shown.accountsPercent)))" } ?? "—"
    }

    /// A category hidden on its own reads as the marker, one hidden with its department as `—`.
    func category(_ figures: DepartmentFigures, _ category: Category) -> String {
        let shown = figures.shown
        return shown.count(category).map { "\(count($0)) (\(strings.percent(shown.percent(category))))" }
            ?? (figures.isSuppressed ? "—" : suppressed)
    }

    func officialActivePercent(_ figures: DepartmentFigures) -> String {
        strings.percent(figures.shown.officialActivePercent)
    }

    func officialActive(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return shown.officialActive.map { "\(count($0)) (\(strings.percent(shown.officialActivePercent)))" } ?? "—"
    }

    func officialActiveChange(_ figures: DepartmentFigures) -> String {
        strings.change(figures.shown.officialActiveChange)
    }

    func officialShare(_ figures: DepartmentFigures) -> String {
        strings.percent(figures.shown.officialSharePercent)
    }

    func officialShareChange(_ figures: DepartmentFigures) -> String {
        strings.change(figures.shown.officialShareChange)
    }

    /// The last day the person used the official mailbox; without one, why: no mailbox, or
    /// none of its use in the logs (which says nothing of the person's webmail).
    func lastActivity(_ person: StaffFigures) -> String {
        person.lastActiveDay.map(strings.date) ?? (person.officialAddress == nil ? strings.noMailbox : strings.notSeen)
    }

    /// The order in which a department head should call people: those on webmail only first,
    /// then those who do not use their mailbox, those without one, those using both, those
    /// using official mail only, and those nothing can be said of.
    static let callOrder: [Category] = [.webmail, .dormant, .noAccount, .mixed, .official, .unknown]

    /// `people` in the order to call them: by category (`callOrder`), then the most messages on
    /// webmail first, then by name as Vietnamese lists sort it (given name, family name, middle
    /// names), then by employee id.
    static func callFirst(_ people: [StaffFigures]) -> [StaffFigures] {
        let rank = Dictionary(uniqueKeysWithValues: callOrder.enumerated().map { ($1, $0) })
        func nameKey(_ name: String) -> [String] {
            guard let parts = VietnameseName(name) else { return [] }
            return [parts.given, parts.family] + parts.middle
        }
        let keyed = people.map { (person: $0, name: nameKey($0.name)) }
        return keyed.sorted { left, right in
            let (a, b) = (left.person, right.person)
            if a.category != b.category {
                return rank[a.category, default: callOrder.count] < rank[b.category, default: callOrder.count]
            }
            if a.webmailMessages != b.webmailMessages { return a.webmailMessages > b.webmailMessages }
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            if a.name != b.name { return a.name < b.name }
            return a.employeeID < b.employeeID
        }.map(\.person)
    }

    /// How many of `people` are in each category, in the order to call them, those with none
    /// left out: `Chỉ dùng thư cá nhân: 12 · Có hộp thư, không dùng: 5 · …`.
    func categoryCounts(_ people: [StaffFigures]) -> [(category: Category, text: String)] {
        var counts: [Category: Int] = [:]
        for person in people { counts[person.category, default: 0] += 1 }
        return Self.callOrder.compactMap { category in
            counts[category].map { (category, "\(strings.categoryName(category)): \(count($0))") }
        }
    }

    /// A person's messages on webmail in the period, when there are any.
    func webmailMessages(_ person: StaffFigures) -> String? {
        person.webmailMessages > 0 ? strings.webmailMessages(count(person.webmailMessages)) : nil
    }

    /// `x@gmail.com (inferred from the name …)`, one per attribution.
    func webmail(_ attribution: Attribution) -> (address: String, note: String) {
        var note = strings.kindName(attribution.kind)
        switch attribution.kind {
        case .inferred:
            note = strings.evidenceInferred + ": " + evidence(attribution.evidence, numbers: count)
        case .forwarding:
            note += ": " + strings.evidenceForwarded(count(attribution.forwardedMessages))
        case .declared, .policy:
            break
        }
        return (attribution.address, note)
    }

    /// The evidence of a tie or candidate, in parts joined by `; `.
    ///
    /// - Parameter numbers: how counts are written: plain by default, as in the candidates file
    ///   a spreadsheet reads; `count` for people.
    func evidence(_ evidence: Evidence, numbers: (Int) -> String = { String($0) }) -> String {
        var parts: [String] = []
        if let shape = evidence.nameShape { parts.append(strings.evidenceShape(strings.shapeName(shape))) }
        if evidence.displayNameMessages > 0 {
            parts.append(strings.evidenceDisplayName(numbers(evidence.displayNameMessages)))
        }
        if evidence.shortDisplayNameMessages > 0 {
            parts.append(strings.evidenceShortDisplayName(numbers(evidence.shortDisplayNameMessages)))
        }
        if evidence.selfMessages > 0 { parts.append(strings.evidenceSelf(numbers(evidence.selfMessages))) }
        parts.append(
            strings.evidenceDepartment(numbers(evidence.departmentMessages), numbers(evidence.officialMessages)))
        return parts.joined(separator: "; ")
    }

    func unopened(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return strings.unopenedValue(
            shown.unopenedMessages.map(count) ?? "—", shown.unopenedMailboxes.map(count) ?? "—")
    }

    func unattributedNote(_ item: UnattributedAddress) -> String {
        item.matchingStaff > 1 ? strings.matchesStaff(count(item.matchingStaff)) : ""
    }

    func level(_ figures: DepartmentFigures) -> String {
        figures.level.map(strings.levelName) ?? ""
    }
}
