import Census

/// The Markdown report's part on how staff reach their mailbox (only with the client census).
extension CensusMarkdown {
    /// The classes the tables show: those the evidence can show, or all when it shows none.
    static func shownClasses(_ report: CensusReport) -> [ClientClass] {
        guard let evidence = report.clientEvidence, evidence.isMeasured else { return ClientClass.allCases }
        return ClientClass.allCases.filter(evidence.measures)
    }

    /// The section: notes on the evidence, a table of departments by class.
    static func clientSection(_ text: ReportText) -> [String] {
        let report = text.report
        guard report.clientEvidence != nil else { return [] }
        let (strings, words) = (text.strings, text.clients)
        let classes = shownClasses(report)
        var lines = ["", "## \(words.section)", "", words.intro]
        for note in text.clientNotes { lines += ["", "*\(note)*"] }
        lines += [
            "",
            "| \(strings.department) | \(strings.officialActive) | "
                + classes.map { words.className($0) + " |" }.joined(separator: " ") + " \(words.failedOnly) |",
            "|---|---:|" + String(repeating: "---:|", count: classes.count + 1),
        ]
        for figures in report.departments + [report.total] {
            let name = figures.code.isEmpty ? "**\(strings.summary)**" : escape(figures.name)
            lines.append(
                "| \(name) | \(figures.shown.officialActive.map(text.count) ?? "—") | "
                    + classes.map { text.clientStaff(figures, $0) + " |" }.joined(separator: " ")
                    + " \(text.failedOnly(figures)) |")
        }
        lines += ["", "**\(words.failedOnly)**: \(words.failedOnlyNote)"]
        return lines
    }

    /// A department's figures by class, and who could not log in.
    static func departmentClients(_ figures: DepartmentFigures, _ text: ReportText) -> [String] {
        let report = text.report
        guard report.clientEvidence != nil else { return [] }
        let words = text.clients
        var lines = [
            "- \(words.staffByClass): "
                + shownClasses(report).map {
                    "\(words.className($0)): \(text.clientStaff(figures, $0)) (\(words.loginsByClass.lowercased()) "
                        + "\(text.clientLogins(figures, $0)))"
                }.joined(separator: "; "),
            "- \(words.failedOnly): \(text.failedOnly(figures))",
        ]
        let failed = text.failedOnlyStaff(figures)
        if !failed.isEmpty {
            lines += ["", "**\(words.failedOnly)**: \(words.failedOnlyNote)", ""]
            for person in failed {
                let attempts = person.clients?.failed ?? 0
                lines.append(
                    "- \(escape(person.name)) · \(escape(person.officialAddress ?? "—"))"
                        + (attempts > 0 ? " (\(words.failedAttempts(attempts, text.count(attempts))))" : ""))
            }
        }
        return lines
    }

    /// A person's ways of access, for the people table's cell.
    static func accessCell(_ person: StaffFigures, _ text: ReportText) -> String {
        let items = text.access(person)
        guard !items.isEmpty else { return person.failedOnly ? text.clients.failedOnly : text.clients.noLogin }
        return items.map { item in item.text + (item.names.isEmpty ? "" : " (\(escape(item.names)))") }
            .joined(separator: "; ")
    }
}
