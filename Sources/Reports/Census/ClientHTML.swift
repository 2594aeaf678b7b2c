import Census
import Foundation

/// The HTML report's part on how staff reach their mailbox: a section with a chart and a
/// table per department, the figures and the staff who could not log in in each department's
/// section, and a column of each person's ways of access. Only in a report made with the
/// client census (`CensusReport.clientEvidence`).
extension CensusHTML {
    /// The colour of a client class in the chart and legends.
    static func color(_ clientClass: ClientClass) -> String {
        switch clientClass {
        case .webmail: "#0b5394"
        case .desktop: "#6a1b9a"
        case .phone: "#1b7f3b"
        case .other: "#8d6e63"
        case .pop3: "#f9a825"
        case .unknown: "#b0bec5"
        }
    }

    /// The chart's style, added to the page's with the section: each department a group of
    /// thin bars (one a class, its length the class's share of the department's staff using
    /// official mail, its count beside it), the name beside the group, above it on a phone.
    static let clientStyle: HTML = """
        .cbars { margin: 8px 0 16px; }
        .cbars .crow { display: grid; grid-template-columns: 16em 1fr; gap: 2px 10px; align-items: center;
          padding: 4px 0; border-bottom: 1px solid var(--line); }
        .cbars .label { text-align: right; font-size: 0.9em; line-height: 1.2; }
        .cbars .total .label { font-weight: 600; }
        .cset { display: grid; gap: 2px; }
        .cbar { display: grid; grid-template-columns: 1fr 3em; gap: 6px; align-items: center; }
        .cbar .track { height: 12px; background: #f3f5f8; }
        .cbar .track span { display: block; height: 100%; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .cbar .v { font-size: 0.8em; line-height: 1.1; font-variant-numeric: tabular-nums; }
        .failed li { margin: 2px 0; }
        @media screen and (max-width: 720px) {
          .cbars .crow { grid-template-columns: 1fr; }
          .cbars .label { text-align: left; }
        }
        """
}

extension CensusHTML.Page {
    var clientStrings: ClientStrings { text.clients }

    /// The classes the chart and tables show: those the evidence can show, or all when it can
    /// show none (then every cell reads `—`).
    var shownClasses: [ClientClass] {
        guard let evidence = report.clientEvidence, evidence.isMeasured else { return ClientClass.allCases }
        return ClientClass.allCases.filter(evidence.measures)
    }

    func clientLegend() -> HTML {
        "<p class=\"legend\">"
            + shownClasses.map { clientClass -> HTML in
                "<span><span class=\"swatch\" style=\"background:\(CensusHTML.color(clientClass))\"></span>"
                    + "\(clientStrings.className(clientClass))</span>"
            }.joined() + "</p>"
    }

    /// The section: notes on the evidence, the chart, the table of figures.
    mutating func clientSection() {
        guard let evidence = report.clientEvidence else { return }
        add("<section id=\"clients\">")
        add("<h2>\(clientStrings.section)</h2>")
        add("<p class=\"muted\">\(clientStrings.intro)</p>")
        for note in text.clientNotes { add("<p class=\"note\">\(note)</p>") }
        if evidence.isMeasured {
            add(clientLegend())
            add(clientChart())
        }
        add("<div class=\"scroll\"><table class=\"league clients\">")
        var head: HTML =
            "<thead><tr>" + head(strings.department, short: strings.department, numeric: false, className: "dept")
        head += self.head(strings.officialActive, short: strings.officialActive)
        for clientClass in shownClasses {
            head += self.head(clientStrings.className(clientClass), short: clientStrings.classShort(clientClass))
        }
        add(head + self.head(clientStrings.failedOnly, short: clientStrings.failedOnly) + "</tr></thead><tbody>")
        for figures in report.departments + [report.total] {
            let code = figures.code
            let name: HTML =
                code.isEmpty
                ? "<td class=\"dept\"><strong>\(data: strings.summary)</strong></td>"
                : "<td class=\"dept\"><a href=\"#dept-\(anchor(code))\">\(data: figures.name)</a></td>"
            var row: HTML = "<tr data-dept=\"\(code.isEmpty ? "_province" : code)\">" + name
            row += field(code, "official_active.count", HTML(text: figures.shown.officialActive.map(text.count) ?? "—"))
            for clientClass in shownClasses {
                row += field(
                    code, "clients.staff.\(clientClass.rawValue)", HTML(text: text.clientStaff(figures, clientClass)))
            }
            add(row + field(code, "clients.failed_only", HTML(text: text.failedOnly(figures))) + "</tr>")
        }
        add("</tbody></table></div>")
        add("<p class=\"muted\"><strong>\(clientStrings.failedOnly)</strong>: \(clientStrings.failedOnlyNote)</p>")
        add("</section>")
    }

    /// Each department's official-active staff by class, as bars of the department's
    /// official-active staff; the province's last.
    func clientChart() -> HTML {
        var html: [HTML] = ["<div class=\"cbars\" aria-label=\"\(clientStrings.chart)\">"]
        for figures in report.departments + [report.total] {
            let isTotal = figures.code.isEmpty
            let label = isTotal ? strings.summary : figures.name
            var row: HTML =
                "<div class=\"crow\(isTotal ? " total" : "")\"><div class=\"label\">\(data: label)</div>"
                + "<div class=\"cset\">"
            let active = figures.shown.officialActive
            for clientClass in shownClasses {
                let shown = report.clientStaff(figures, clientClass)
                let share = shown.flatMap { count in active.map { $0 == 0 ? 0 : Double(count) * 100 / Double($0) } }
                let width = String(format: "%.2f", min(share ?? 0, 100))
                row +=
                    "<div class=\"cbar\"><div class=\"track\"><span style=\"width:\(width)%;"
                    + "background:\(CensusHTML.color(clientClass))\" title=\"\(label) · "
                    + "\(clientStrings.className(clientClass)): \(text.clientStaff(figures, clientClass))\"></span></div>"
                    + "<div class=\"v\">\(text.clientStaff(figures, clientClass))</div></div>"
            }
            html.append(row + "</div></div>")
        }
        html.append("</div>")
        return html.joined(separator: "\n")
    }

    /// A department's figures by class, and the staff who could not log in.
    mutating func departmentClients(_ figures: DepartmentFigures) {
        guard report.clientEvidence != nil else { return }
        let code = figures.code
        add("<h3>\(clientStrings.staffByClass)</h3>")
        add("<table class=\"figures clients\">")
        add(
            "<tr><th></th><th class=\"n\">\(strings.officialActive)</th>"
                + "<th class=\"n\">\(clientStrings.loginsByClass)</th></tr>")
        for clientClass in shownClasses {
            add(
                "<tr><th><span class=\"swatch\" style=\"background:\(CensusHTML.color(clientClass))\"></span>"
                    + "\(clientStrings.className(clientClass))</th>"
                    + field(
                        code, "clients.staff.\(clientClass.rawValue)",
                        HTML(text: text.clientStaff(figures, clientClass)))
                    + field(
                        code, "clients.logins.\(clientClass.rawValue)",
                        HTML(text: text.clientLogins(figures, clientClass))) + "</tr>")
        }
        add(
            "<tr><th>\(clientStrings.failedOnly)</th>"
                + field(code, "clients.failed_only", HTML(text: text.failedOnly(figures))) + "<td></td></tr>")
        add("</table>")
        let failed = text.failedOnlyStaff(figures)
        guard !figures.staff.isEmpty else { return }
        add("<h3>\(clientStrings.failedOnly)</h3>")
        add("<p class=\"muted\">\(clientStrings.failedOnlyNote)</p>")
        guard !failed.isEmpty else {
            add("<p>\(clientStrings.failedOnlyNone)</p>")
            return
        }
        add("<ul class=\"failed\">")
        for person in failed {
            let attempts = person.clients.map { $0.failed } ?? 0
            add(
                "<li data-employee=\"\(person.employeeID)\"><strong>\(data: person.name)</strong>"
                    + (person.officialAddress.map { address -> HTML in " · \(data: address)" } ?? "")
                    + (attempts > 0
                        ? " <span class=\"muted\">(\(clientStrings.failedAttempts(attempts, text.count(attempts))))</span>"
                        : "")
                    + "</li>")
        }
        add("</ul>")
    }

    /// A person's ways of access, for the people table's cell.
    func accessCell(_ person: StaffFigures) -> HTML {
        let items = text.access(person)
        guard !items.isEmpty else {
            let note = person.failedOnly ? clientStrings.failedOnly : clientStrings.noLogin
            return "<td class=\"access\" data-label=\"\(clientStrings.access)\">\(note)</td>"
        }
        let lines = items.map { item -> HTML in
            "<span class=\"swatch\" style=\"background:\(CensusHTML.color(item.clientClass))\"></span>\(item.text)"
                + (item.names.isEmpty ? "" : " <span class=\"muted\">(\(data: item.names))</span>")
        }
        return "<td class=\"access\" data-label=\"\(clientStrings.access)\">\(lines.joined(separator: "<br>"))</td>"
    }
}
