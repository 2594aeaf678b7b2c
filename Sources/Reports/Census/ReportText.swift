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
        figures.isSuppressed ? suppressed : String(figures.headcount)
    }

    /// `1.024 (53,9%)` for accounts; suppressed or empty as the figures say.
    func accounts(_ figures: DepartmentFigures) -> String {
        figures.isSuppressed ? "—" : "\(figures.accounts) (\(strings.percent(figures.accountsPercent)))"
    }

    func category(_ figures: DepartmentFigures, _ category: Category) -> String {
        if figures.isSuppressed { return "—" }
        if figures.suppressedCategories.contains(category) { return suppressed }
        let count = figures.categories[category] ?? 0
        return "\(count) (\(strings.percent(figures.percent(count))))"
    }

    func officialActivePercent(_ figures: DepartmentFigures) -> String {
        figures.isOfficialActiveSuppressed ? "—" : strings.percent(figures.officialActivePercent)
    }

    func officialActive(_ figures: DepartmentFigures) -> String {
        figures.isOfficialActiveSuppressed
            ? "—" : "\(figures.officialActive) (\(strings.percent(figures.officialActivePercent)))"
    }

    func officialActiveChange(_ figures: DepartmentFigures) -> String {
        figures.isOfficialActiveSuppressed ? "—" : strings.points(figures.officialActiveChange)
    }

    func officialShare(_ figures: DepartmentFigures) -> String {
        figures.isSuppressed ? "—" : strings.percent(figures.officialSharePercent)
    }

    func officialShareChange(_ figures: DepartmentFigures) -> String {
        figures.isSuppressed ? "—" : strings.points(figures.officialShareChange)
    }

    func lastActivity(_ person: StaffFigures) -> String {
        person.lastActiveDay.map(strings.date) ?? strings.never
    }

    /// `x@gmail.com (inferred from the name …)`, one per attribution.
    func webmail(_ attribution: Attribution) -> (address: String, note: String) {
        var note = strings.kindNames[attribution.kind] ?? attribution.kind.rawValue
        switch attribution.kind {
        case .inferred:
            note = strings.evidenceInferred(
                attribution.nameShape ?? "", attribution.departmentMessages, attribution.officialMessages)
        case .forwarding:
            note += ": " + strings.evidenceForwarded(attribution.forwardedMessages)
        case .declared, .policy:
            break
        }
        return (attribution.address, note)
    }

    func unattributedNote(_ item: UnattributedAddress) -> String {
        item.matchingStaff > 1 ? strings.matchesStaff(item.matchingStaff) : ""
    }

    func level(_ figures: DepartmentFigures) -> String {
        figures.level.flatMap { strings.levelNames[$0] } ?? ""
    }
}
