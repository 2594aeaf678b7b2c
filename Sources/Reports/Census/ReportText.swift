import Census
import MailLog

/// The figures of the adoption report as text in one language, shared by the HTML and
/// Markdown reports so that both say the same thing.
struct ReportText {
    let report: CensusReport
    let strings: ReportStrings

    init(_ report: CensusReport, language: ReportLanguage) {
        self.report = report
        strings = language.strings
    }

    var provinceName: String { strings.province(report.province) }

    var periodLine: String {
        strings.period(strings.date(report.period.from), strings.date(report.period.through), report.period.days)
    }

    var coverageLine: String {
        guard let coverage = report.coverage, report.period.overlaps(coverage) else { return strings.noCoverage }
        return strings.coverage(strings.date(coverage.lowerBound), strings.date(coverage.upperBound))
    }

    /// What the suppression marker reads: `<5`.
    var suppressed: String { "<\(report.minimumGroup)" }

    func headcount(_ figures: DepartmentFigures) -> String {
        figures.shown.headcount.map(String.init) ?? suppressed
    }

    /// `1.024 (53,9%)` for accounts; `—` where privacy hides it (`DepartmentFigures.shown`).
    func accounts(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return shown.accounts.map { "\($0) (\(strings.percent(shown.accountsPercent)))" } ?? "—"
    }

    /// A category hidden on its own reads as the marker, one hidden with its department as `—`.
    func category(_ figures: DepartmentFigures, _ category: Category) -> String {
        let shown = figures.shown
        return shown.count(category).map { "\($0) (\(strings.percent(shown.percent(category))))" }
            ?? (figures.isSuppressed ? "—" : suppressed)
    }

    func officialActivePercent(_ figures: DepartmentFigures) -> String {
        strings.percent(figures.shown.officialActivePercent)
    }

    func officialActive(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return shown.officialActive.map { "\($0) (\(strings.percent(shown.officialActivePercent)))" } ?? "—"
    }

    func officialActiveChange(_ figures: DepartmentFigures) -> String {
        strings.points(figures.shown.officialActiveChange)
    }

    func officialShare(_ figures: DepartmentFigures) -> String {
        strings.percent(figures.shown.officialSharePercent)
    }

    func officialShareChange(_ figures: DepartmentFigures) -> String {
        strings.points(figures.shown.officialShareChange)
    }

    func lastActivity(_ person: StaffFigures) -> String {
        person.lastActiveDay.map(strings.date) ?? strings.never
    }

    /// `x@gmail.com (inferred from the name …)`, one per attribution.
    func webmail(_ attribution: Attribution) -> (address: String, note: String) {
        var note = strings.kindNames[attribution.kind] ?? attribution.kind.rawValue
        switch attribution.kind {
        case .inferred:
            note = strings.evidenceInferred + ": " + evidence(attribution.evidence)
        case .forwarding:
            note += ": " + strings.evidenceForwarded(attribution.forwardedMessages)
        case .declared, .policy:
            break
        }
        return (attribution.address, note)
    }

    /// The evidence of a tie or candidate, in parts joined by `; `.
    func evidence(_ evidence: Evidence) -> String {
        var parts: [String] = []
        if let shape = evidence.nameShape { parts.append(strings.evidenceShape(strings.shapeNames[shape] ?? shape)) }
        if evidence.displayNameMessages > 0 { parts.append(strings.evidenceDisplayName(evidence.displayNameMessages)) }
        if evidence.shortDisplayNameMessages > 0 {
            parts.append(strings.evidenceShortDisplayName(evidence.shortDisplayNameMessages))
        }
        if evidence.selfMessages > 0 { parts.append(strings.evidenceSelf(evidence.selfMessages)) }
        parts.append(strings.evidenceDepartment(evidence.departmentMessages, evidence.officialMessages))
        return parts.joined(separator: "; ")
    }

    func unopened(_ figures: DepartmentFigures) -> String {
        let shown = figures.shown
        return strings.unopenedValue(
            shown.unopenedMessages.map(String.init) ?? "—", shown.unopenedMailboxes.map(String.init) ?? "—")
    }

    func unattributedNote(_ item: UnattributedAddress) -> String {
        item.matchingStaff > 1 ? strings.matchesStaff(item.matchingStaff) : ""
    }

    func level(_ figures: DepartmentFigures) -> String {
        figures.level.flatMap { strings.levelNames[$0] } ?? ""
    }
}
