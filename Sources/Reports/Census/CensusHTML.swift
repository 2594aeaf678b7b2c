import Basics
public import Census

/// The adoption report as one self-contained HTML page: inline CSS, SVG and CSS charts, no
/// script, no outside resource, so that it opens the same from a mail attachment, a file share
/// or a printer.
///
/// It reads on a phone as well as on a desk or on paper: below 720 CSS pixels (on screen only)
/// the tables of figures and of people become cards, the league table scrolls sideways in its
/// own box with the department names kept in view, and the trend chart is drawn narrow, so that
/// no text is smaller than 11 pixels at 390 pixels wide.
///
/// Every figure that other systems read has `data-dept` (a department code, or `_province`)
/// and `data-field` (a JSON key of `CensusJSON`) on its element. The page is built as `HTML`,
/// in which every `String` is escaped: everything from a log, the roster or the policy, and
/// names and addresses are also isolated (`<bdi>`) so that right-to-left or invisible
/// characters cannot reorder the text around them.
public enum CensusHTML {
    public static func render(
        _ report: CensusReport, language: ReportLanguage, generatedAt: ReportTime? = nil
    ) -> String {
        var page = Page(text: ReportText(report, language: language), language: language)
        page.document(generatedAt: generatedAt)
        return page.html.markup
    }

    /// The colour of a category in charts, cards and tables.
    static func color(_ category: Category) -> String {
        switch category {
        case .official: "#1b7f3b"
        case .mixed: "#7cb342"
        case .webmail: "#e65100"
        case .dormant: "#9e9e9e"
        case .noAccount: "#d6d6d6"
        case .unknown: "#b0bec5"
        }
    }

    static let style: HTML = """
        :root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --accent: #0b5394; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
          margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; }
        h1 { font-size: 1.6em; margin: 0 0 4px; color: var(--accent); }
        h2 { font-size: 1.25em; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 2em; }
        .muted, .note { color: var(--muted); }
        .note { font-style: italic; }
        nav ul { columns: 3; padding-left: 1.2em; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 190px; }
        .card .value { font-size: 1.5em; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92em; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f3f5f8; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.n { white-space: nowrap; }
        th.n { vertical-align: bottom; }
        td.address { overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; margin: 8px 0 16px; }
        .scroll > table { margin: 0; }
        table.league th { vertical-align: bottom; }
        table.league .dept { min-width: 14em; }
        .short { display: none; }
        .up { color: #1b7f3b; } .down { color: #b3261e; }
        .swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin-right: 4px; }
        .swatch, .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .legend > span { margin-right: 14px; white-space: nowrap; }
        .counts > span { white-space: nowrap; }
        .counts { font-weight: 600; }
        svg { width: 100%; height: auto; font-family: inherit; }
        svg text { fill: var(--ink); font-size: 13px; }
        svg.narrow { display: none; max-width: 480px; }
        .bars { margin: 8px 0 16px; }
        .bars .row { display: grid; grid-template-columns: 16em 1fr; gap: 2px 10px; align-items: center; margin: 3px 0; }
        .bars .label { text-align: right; font-size: 0.9em; line-height: 1.2; }
        .bars .total .label { font-weight: 600; }
        .bar { display: flex; height: 18px; background: #f3f5f8; }
        .bar > span { flex: none; height: 100%; }
        .bar .rest { flex: 1 1 auto; background: #eceff1; }
        .bar .none { padding-left: 6px; font-size: 0.85em; line-height: 18px; color: var(--muted); }
        .ticks { position: relative; height: 1.4em; font-size: 0.85em; color: var(--muted); }
        .ticks span { position: absolute; top: 0; transform: translateX(-50%); }
        .ticks span:first-child { transform: none; }
        .ticks span:last-child { transform: translateX(-100%); }
        .cat { white-space: nowrap; }
        @media screen and (max-width: 720px) {
          body { padding: 12px; }
          h1 { font-size: 1.35em; }
          nav ul { columns: 1; }
          .card { min-width: 0; flex: 1 1 140px; }
          .long { display: none; }
          .short { display: inline; }
          svg.wide { display: none; }
          svg.narrow { display: block; }
          table.league { width: auto; min-width: 100%; }
          table.league th.n { min-width: 4.5em; }
          table.league th.rank { min-width: 0; }
          table.league .dept { position: sticky; left: 0; z-index: 1; background: #fff; min-width: 9em; max-width: 11em; }
          table.league th.dept { background: #f3f5f8; }
          table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; }
          table.stack thead { display: none; }
          table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 6px 10px; }
          table.stack td { border: 0; padding: 2px 0; text-align: left; white-space: normal; }
          table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
          table.stack td.who { font-weight: 600; }
          table.stack td.empty { display: none; }
          table.summary.stack tr { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 12px; }
          table.summary.stack td[data-label]::before { content: attr(data-label); display: block; font-size: 0.85em; }
          .bars .row { grid-template-columns: 1fr; margin: 0 0 8px; }
          .bars .label { text-align: left; }
          .bars .axis .label { display: none; }
        }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav { display: none; }
          .scroll { overflow: visible; }
          section.department { page-break-before: always; }
          h2 { page-break-after: avoid; }
          tr, .bars .row { page-break-inside: avoid; }
        }
        """

    struct Page {
        let text: ReportText
        let language: ReportLanguage
        var html = HTML()

        var report: CensusReport { text.report }
        var strings: ReportStrings { text.strings }

        mutating func add(_ line: HTML) {
            html += line
            html += "\n"
        }

        mutating func document(generatedAt: ReportTime?) {
            add("<!DOCTYPE html>")
            add("<html lang=\"\(language.rawValue)\">")
            add("<head>")
            add("<meta charset=\"utf-8\">")
            add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            add("<title>\(strings.title) — \(text.provinceName)</title>")
            let clientStyle: HTML = report.clientEvidence == nil ? "" : "\n" + CensusHTML.clientStyle
            add("<style>\n\(style)\(clientStyle)\n</style>")
            add("</head>")
            add("<body>")
            add("<header>")
            add("<h1>\(strings.title)</h1>")
            add("<p><strong>\(data: text.provinceName)</strong> · \(text.periodLine)</p>")
            add("<p class=\"muted\">\(text.coverageLine)</p>")
            if report.isPrivate { add("<p class=\"note\">\(strings.publicEdition(report.minimumGroup))</p>") }
            add("</header>")
            contents()
            summary()
            league()
            trend()
            categories()
            clientSection()
            // Each department's section written on its own (with its staff, most of the page), on every core.
            for section in report.departments.concurrentMap(
                minimumChunk: 1,
                { [text, language] figures in
                    var page = Page(text: text, language: language)
                    page.department(figures)
                    return page.html
                })
            {
                html += section
            }
            add("<section id=\"definitions\">")
            add("<h2>\(strings.definitions)</h2>")
            let definitions = strings.definitionTexts + (report.clientEvidence == nil ? [] : [text.clients.definition])
            add("<ul>\(definitions.map { "<li>\($0)</li>" as HTML }.joined())</ul>")
            add("</section>")
            if let generatedAt {
                add("<footer class=\"muted\">\(strings.issued(generatedAt))</footer>")
            }
            add("</body>")
            add("</html>")
        }

        mutating func contents() {
            add("<nav>")
            add("<h2>\(strings.contents)</h2>")
            var items = [
                ("summary", strings.summary), ("league", strings.league), ("trend", strings.trend),
                ("categories", strings.categoriesChart),
            ]
            if report.clientEvidence != nil { items.append(("clients", text.clients.section)) }
            items += report.departments.map { ("dept-\(anchor($0.code))", $0.name) }
            items.append(("definitions", strings.definitions))
            add("<ul>\(items.map { "<li><a href=\"#\($0.0)\">\(data: $0.1)</a></li>" as HTML }.joined())</ul>")
            add("</nav>")
        }

        /// An id made of the code's letters and digits only.
        func anchor(_ code: String) -> String {
            String(
                code.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        }

        /// A figure's cell; `label` names it where the table is shown as cards (on a phone).
        func field(_ code: String, _ name: String, _ content: HTML, label: String? = nil) -> HTML {
            let dept = code.isEmpty ? "_province" : code
            let labelled: HTML = label.map { " data-label=\"\($0)\"" } ?? ""
            return "<td class=\"n\" data-dept=\"\(dept)\" data-field=\"\(name)\"\(labelled)>\(content)</td>"
        }

        /// A column head that reads `short` on a phone.
        func head(_ long: String, short: String, numeric: Bool = true, className: String? = nil) -> HTML {
            let classes = ([numeric ? "n" : nil, className].compactMap { $0 }).joined(separator: " ")
            let text: HTML =
                long == short
                ? "\(long)"
                : "<span class=\"long\">\(long)</span><span class=\"short\">\(short)</span>"
            let attributes: HTML = classes.isEmpty ? "" : " class=\"\(classes)\""
            return "<th\(attributes)>\(text)</th>"
        }

        /// A change as shown, coloured by the sign it is shown with (a change that rounds to
        /// 0 shows no sign).
        func change(_ value: String) -> HTML {
            value.hasPrefix("+")
                ? "<span class=\"up\">\(value)</span>"
                : value.hasPrefix("−") ? "<span class=\"down\">\(value)</span>" : "\(value)"
        }

        mutating func summary() {
            let total = report.total
            add("<section id=\"summary\">")
            add("<h2>\(strings.summary)</h2>")
            add("<table class=\"summary stack\">")
            add(
                "<thead><tr><th class=\"n\">\(strings.headcount)</th><th class=\"n\">\(strings.accounts)</th>"
                    + "<th class=\"n\">\(strings.officialActive)</th><th class=\"n\">\(strings.changeShort)</th>"
                    + "<th class=\"n\">\(strings.officialShare)</th><th class=\"n\">\(strings.changeShort)</th>"
                    + "<th class=\"n\">\(strings.unopened)</th></tr></thead>"
            )
            add(
                "<tbody><tr>" + field("", "headcount", HTML(text: text.headcount(total)), label: strings.headcount)
                    + field("", "accounts_pct", HTML(text: text.accounts(total)), label: strings.accounts)
                    + field(
                        "", "official_active_pct", HTML(text: text.officialActive(total)), label: strings.officialActive
                    )
                    + field(
                        "", "official_active_change_pts", change(text.officialActiveChange(total)),
                        label: strings.officialActive + " " + strings.changeShort)
                    + field(
                        "", "official_share_pct", HTML(text: text.officialShare(total)), label: strings.officialShare)
                    + field(
                        "", "official_share_change_pts", change(text.officialShareChange(total)),
                        label: strings.officialShare + " " + strings.changeShort)
                    + field("", "unopened", HTML(text: text.unopened(total)), label: strings.unopened) + "</tr></tbody>"
            )
            add("</table>")
            add(
                "<ul class=\"means muted\">" + strings.headlineMeanings.map { "<li>\($0)</li>" as HTML }.joined()
                    + "</ul>")
            add("<div class=\"cards\">")
            for category in Category.allCases {
                add(
                    "<div class=\"card\"><div><span class=\"swatch\" style=\"background:\(color(category))\"></span>"
                        + "\(strings.categoryName(category))</div><div class=\"value\" data-dept=\"_province\" "
                        + "data-field=\"categories.\(category.rawValue)\">\(HTML(text: text.category(total, category)))</div></div>"
                )
            }
            add("</div>")
            add("</section>")
        }

        mutating func league() {
            add("<section id=\"league\">")
            add("<h2>\(strings.league)</h2>")
            // The figure the table is ranked by first, beside the names; on a phone the table
            // scrolls sideways in its own box, the names staying in view.
            add("<div class=\"scroll\"><table class=\"league\">")
            add(
                "<thead><tr>" + head(strings.rank, short: "#", className: "rank")
                    + head(strings.department, short: strings.department, numeric: false, className: "dept")
                    + head(strings.officialActive, short: strings.officialActive)
                    + head(strings.changeShort, short: "±")
                    + head(strings.officialShare, short: strings.officialShareShort)
                    + head(strings.changeShort, short: "±") + head(strings.headcount, short: strings.headcount)
                    + head(strings.accounts, short: strings.accountsShort) + "</tr></thead><tbody>"
            )
            for (rank, figures) in report.league.enumerated() {
                let code = figures.code
                add(
                    "<tr data-dept=\"\(code)\"><td class=\"n\">\(rank + 1)</td>"
                        + "<td class=\"dept\"><a href=\"#dept-\(anchor(code))\">\(data: figures.name)</a></td>"
                        + field(code, "official_active_pct", HTML(text: text.officialActivePercent(figures)))
                        + field(code, "official_active_change_pts", change(text.officialActiveChange(figures)))
                        + field(code, "official_share_pct", HTML(text: text.officialShare(figures)))
                        + field(code, "official_share_change_pts", change(text.officialShareChange(figures)))
                        + field(code, "headcount", HTML(text: text.headcount(figures)))
                        + field(code, "accounts_pct", HTML(text: text.accounts(figures))) + "</tr>")
            }
            add("</tbody></table></div>")
            add("</section>")
        }

        mutating func trend() {
            add("<section id=\"trend\">")
            add("<h2>\(strings.trend)</h2>")
            add(
                "<p class=\"legend\">"
                    + CensusCharts.trendSeries(strings).map { series -> HTML in
                        "<span><span class=\"swatch\" style=\"background:\(series.color)\"></span>\(series.name)</span>"
                    }.joined() + "</p>")
            add(CensusCharts.trend(report.trend, strings: strings, layout: .wide))
            add(CensusCharts.trend(report.trend, strings: strings, layout: .narrow))
            add("<p class=\"muted\">\(strings.trendNote)</p>")
            add("</section>")
        }

        mutating func categories() {
            add("<section id=\"categories\">")
            add("<h2>\(strings.categoriesChart)</h2>")
            add(legend())
            add(CensusCharts.categories(report, text: text))
            add("</section>")
        }

        func legend() -> HTML {
            "<p class=\"legend\">"
                + Category.allCases.map { category -> HTML in
                    "<span><span class=\"swatch\" style=\"background:\(color(category))\"></span>"
                        + "\(strings.categoryName(category))</span>"
                }.joined() + "</p>"
        }

        mutating func department(_ figures: DepartmentFigures) {
            let code = figures.code
            add("<section class=\"department\" id=\"dept-\(anchor(code))\" data-dept=\"\(code)\">")
            add("<h2>\(data: figures.name)</h2>")
            let level = text.level(figures)
            if !level.isEmpty { add("<p class=\"muted\">\(level)</p>") }
            if figures.isSuppressed || figures.headcount == 0 {
                let note =
                    figures.isSuppressed ? strings.suppressedDepartment(report.minimumGroup) : strings.emptyDepartment
                add("<p class=\"note\">\(note)</p>")
                add("</section>")
                return
            }
            add("<table class=\"figures\">")
            let rows: [(String, String, HTML)] = [
                (strings.headcount, "headcount", HTML(text: text.headcount(figures))),
                (strings.accounts, "accounts_pct", HTML(text: text.accounts(figures))),
                (strings.officialActive, "official_active_pct", HTML(text: text.officialActive(figures))),
                (strings.change, "official_active_change_pts", change(text.officialActiveChange(figures))),
                (strings.officialShare, "official_share_pct", HTML(text: text.officialShare(figures))),
                (strings.change, "official_share_change_pts", change(text.officialShareChange(figures))),
                (strings.unopened, "unopened", HTML(text: text.unopened(figures))),
            ]
            for (label, name, value) in rows {
                add("<tr><th>\(label)</th>" + field(code, name, value) + "</tr>")
            }
            for category in Category.allCases {
                add(
                    "<tr><th><span class=\"swatch\" style=\"background:\(color(category))\"></span>"
                        + "\(strings.categoryName(category))</th>"
                        + field(code, "categories.\(category.rawValue)", HTML(text: text.category(figures, category)))
                        + "</tr>")
            }
            add("</table>")
            if !figures.topUnattributed.isEmpty {
                add("<h3>\(strings.unattributed)</h3>")
                add("<table class=\"unattributed\">")
                add(
                    "<tr><th>\(strings.unattributedAddress)</th><th class=\"n\">\(strings.messages)</th>"
                        + "<th></th></tr>")
                for item in figures.topUnattributed {
                    add(
                        "<tr><td class=\"address\">\(data: item.address)</td><td class=\"n\">\(text.count(item.messages))</td>"
                            + "<td class=\"muted\">\(text.unattributedNote(item))</td></tr>")
                }
                add("</table>")
            }
            departmentClients(figures)
            if !figures.staff.isEmpty { people(figures.staff) }
            add("</section>")
        }

        /// A department's people, those to call first first, under a count of each category.
        mutating func people(_ staff: [StaffFigures]) {
            add("<h3>\(strings.people)</h3>")
            add(
                "<p class=\"counts\">"
                    + text.categoryCounts(staff).map { count -> HTML in
                        "<span><span class=\"swatch\" style=\"background:\(color(count.category))\"></span>"
                            + "\(count.text)</span>"
                    }.joined(separator: " · ") + "</p>")
            add("<p class=\"muted\">\(strings.peopleOrder)</p>")
            add("<table class=\"people stack\">")
            add(
                "<thead><tr><th>\(strings.name)</th><th>\(strings.position)</th>"
                    + "<th>\(strings.officialAddress)</th><th>\(strings.category)</th>"
                    + "<th>\(strings.lastActivity)</th><th>\(strings.webmail)</th>"
                    + (report.clientEvidence == nil ? "" : "<th>\(text.clients.access)</th>") + "</tr></thead><tbody>")
            for person in ReportText.callFirst(staff) {
                var webmail = person.webmail.map { attribution -> HTML in
                    let item = text.webmail(attribution)
                    return "\(data: item.address) <span class=\"muted\">(\(item.note))</span>"
                }
                if person.forwards { webmail.append("<em>\(strings.forwards)</em>") }
                if let messages = text.webmailMessages(person) { webmail.append("\(messages)") }
                let webmailCell: HTML =
                    webmail.isEmpty
                    ? "<td class=\"address empty\">—</td>"
                    : "<td class=\"address\" data-label=\"\(strings.webmail)\">\(webmail.joined(separator: "<br>"))</td>"
                add(
                    "<tr data-employee=\"\(person.employeeID)\"><td class=\"who\">\(data: person.name)</td>"
                        + "<td>\(data: person.position)</td>"
                        + (person.officialAddress.map { address -> HTML in
                            "<td class=\"address\" data-label=\"\(strings.officialAddress)\">\(data: address)</td>"
                        } ?? "<td class=\"empty\">—</td>")
                        + "<td class=\"cat\"><span class=\"swatch\" style=\"background:\(color(person.category))\">"
                        + "</span>\(strings.categoryName(person.category))</td>"
                        + "<td data-label=\"\(strings.lastActivity)\">\(text.lastActivity(person))</td>"
                        + webmailCell + (report.clientEvidence == nil ? "" : accessCell(person)) + "</tr>")
            }
            add("</tbody></table>")
        }
    }
}
