public import Census

/// The adoption report as Markdown (CommonMark tables), for wikis and chat. Everything that
/// came from a log, the roster or the policy is escaped, so that it shows as the text it is.
public enum CensusMarkdown {
    public static func render(
        _ report: CensusReport, language: ReportLanguage, generatedAt: ReportTime? = nil
    ) -> String {
        let text = ReportText(report, language: language)
        let strings = text.strings
        var lines = [
            "# \(strings.title) — \(escape(text.provinceName))", "", text.periodLine + ".", "", text.coverageLine,
        ]
        if report.isPrivate { lines += ["", "*\(strings.publicEdition(report.minimumGroup))*"] }
        if let generatedAt { lines += ["", strings.issued(generatedAt)] }

        let total = report.total
        lines += [
            "", "## \(strings.summary)", "",
            "| \(strings.headcount) | \(strings.accounts) | \(strings.officialActive) | \(strings.changeShort) | "
                + "\(strings.officialShare) | \(strings.changeShort) | \(strings.unopened) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            "| \(text.headcount(total)) | \(text.accounts(total)) | \(text.officialActive(total)) | "
                + "\(text.officialActiveChange(total)) | \(text.officialShare(total)) | \(text.officialShareChange(total)) | "
                + "\(text.unopened(total)) |",
            "",
        ]
        lines += strings.headlineMeanings.map { "- " + $0 }
        lines += [
            "",
            "| \(strings.category) | \(strings.headcount) |", "|---|---:|",
        ]
        for category in Category.allCases {
            lines.append("| \(strings.categoryName(category)) | \(text.category(total, category)) |")
        }

        lines += [
            "", "## \(strings.league)", "",
            "| \(strings.rank) | \(strings.department) | \(strings.officialActive) | \(strings.changeShort) | "
                + "\(strings.officialShare) | \(strings.changeShort) | \(strings.headcount) | \(strings.accounts) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for (rank, figures) in report.league.enumerated() {
            lines.append(
                "| \(rank + 1) | \(escape(figures.name)) | \(text.officialActivePercent(figures)) | "
                    + "\(text.officialActiveChange(figures)) | \(text.officialShare(figures)) | "
                    + "\(text.officialShareChange(figures)) | \(text.headcount(figures)) | \(text.accounts(figures)) |")
        }

        if !report.trend.isEmpty {
            lines += [
                "", "## \(strings.trend)", "", strings.trendNote, "",
                "| \(strings.weekOf) | \(strings.officialShare) | \(strings.officialActive) |", "|---|---:|---:|",
            ]
            for point in report.trend {
                lines.append(
                    "| \(strings.date(point.days.from)) | \(strings.percent(point.officialSharePercent)) | "
                        + "\(strings.percent(point.officialActivePercent)) |")
            }
        }

        lines += clientSection(text)

        for figures in report.departments {
            lines += ["", "## \(escape(figures.name))", ""]
            if figures.isSuppressed || figures.headcount == 0 {
                lines.append(
                    figures.isSuppressed ? strings.suppressedDepartment(report.minimumGroup) : strings.emptyDepartment)
                continue
            }
            lines += [
                "- \(strings.headcount): \(text.headcount(figures)); \(strings.accounts): \(text.accounts(figures))",
                "- \(strings.officialActive): \(text.officialActive(figures)), \(strings.change): "
                    + text.officialActiveChange(figures),
                "- \(strings.officialShare): \(text.officialShare(figures)), \(strings.change): "
                    + text.officialShareChange(figures),
                "- \(strings.unopened): \(text.unopened(figures))",
                "- "
                    + Category.allCases.map { "\(strings.categoryName($0)): \(text.category(figures, $0))" }
                    .joined(separator: "; "),
            ]
            if !figures.topUnattributed.isEmpty {
                lines += ["", "\(strings.unattributed):", ""]
                for item in figures.topUnattributed {
                    let note = text.unattributedNote(item)
                    lines.append(
                        "- \(escape(item.address)): \(strings.messageCount(text.count(item.messages)))"
                            + (note.isEmpty ? "" : " (\(note))"))
                }
            }
            lines += departmentClients(figures, text)
            if !figures.staff.isEmpty {
                let access = report.clientEvidence != nil
                lines += [
                    "", "### \(strings.people)", "",
                    "**" + text.categoryCounts(figures.staff).map(\.text).joined(separator: " · ") + "**", "",
                    strings.peopleOrder, "",
                    "| \(strings.name) | \(strings.position) | \(strings.officialAddress) | \(strings.category) | "
                        + "\(strings.lastActivity) | \(strings.webmail) |"
                        + (access ? " \(text.clients.access) |" : ""),
                    "|---|---|---|---|---|---|" + (access ? "---|" : ""),
                ]
                for person in ReportText.callFirst(figures.staff) {
                    var webmail = person.webmail.map { attribution in
                        let item = text.webmail(attribution)
                        return "\(escape(item.address)) (\(escape(item.note)))"
                    }
                    if person.forwards { webmail.append(strings.forwards) }
                    if let messages = text.webmailMessages(person) { webmail.append(messages) }
                    lines.append(
                        "| \(escape(person.name)) | \(escape(person.position)) | \(escape(person.officialAddress ?? "—")) | "
                            + "\(strings.categoryName(person.category)) | \(text.lastActivity(person)) | "
                            + "\(webmail.joined(separator: "; ")) |" + (access ? " \(accessCell(person, text)) |" : ""))
                }
            }
        }
        lines += ["", "## \(strings.definitions)", ""] + strings.definitionTexts.map { "- " + $0 }
        if report.clientEvidence != nil { lines.append("- " + text.clients.definition) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text made inert: Markdown's punctuation backslash-escaped, `<`, `>` and `&` too (no HTML
    /// gets through), line breaks turned to spaces. By scalar: a `|` or `<` with a combining mark
    /// after it is one `Character`, and would have gone through as it was.
    static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#", "!", "(", ")":
                result.append("\\")
                result.append(scalar)
            case "\n" where previous == "\r":
                continue  // CR LF, one line break: one space
            case "\n", "\r":
                result.append(" ")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }
}
