public import Census

/// The adoption report as one self-contained HTML page: inline CSS, SVG charts, no script, no
/// outside resource, so that it opens the same from a mail attachment, a file share or a
/// printer.
///
/// Every figure that other systems read has `data-dept` (a department code, or `_province`)
/// and `data-field` (a JSON key of `CensusJSON`) on its element. Everything from a log, the
/// roster or the policy is escaped, and isolated (`<bdi>`) so that right-to-left or invisible
/// characters cannot reorder the text around it.
public enum CensusHTML {
    public static func render(_ report: CensusReport, language: ReportLanguage, generatedAt: String? = nil) -> String {
        var page = Page(text: ReportText(report, language: language), language: language)
        page.document(generatedAt: generatedAt)
        return page.html
    }

    /// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Data as isolated, escaped text.
    static func data(_ text: String) -> String { "<bdi>\(escape(text))</bdi>" }

    static let colors: [Category: String] = [
        .official: "#1b7f3b", .mixed: "#7cb342", .webmail: "#e65100", .dormant: "#9e9e9e", .noAccount: "#d6d6d6",
        .unknown: "#b0bec5",
    ]

    static let style = """
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
        td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .up { color: #1b7f3b; } .down { color: #b3261e; }
        .swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin-right: 4px; }
        .legend span { margin-right: 14px; white-space: nowrap; }
        svg { width: 100%; height: auto; font-family: inherit; }
        svg text { fill: var(--ink); font-size: 12px; }
        .cat { white-space: nowrap; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav { display: none; }
          section.department { page-break-before: always; }
          h2 { page-break-after: avoid; }
          tr { page-break-inside: avoid; }
        }
        """

    struct Page {
        let text: ReportText
        let language: ReportLanguage
        var html = ""

        var report: CensusReport { text.report }
        var strings: ReportStrings { text.strings }

        mutating func add(_ line: String) {
            html += line
            html += "\n"
        }

        mutating func document(generatedAt: String?) {
            add("<!DOCTYPE html>")
            add("<html lang=\"\(language.rawValue)\">")
            add("<head>")
            add("<meta charset=\"utf-8\">")
            add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            add("<title>\(escape(strings.title)) — \(escape(text.provinceName))</title>")
            add("<style>\n\(style)\n</style>")
            add("</head>")
            add("<body>")
            add("<header>")
            add("<h1>\(escape(strings.title))</h1>")
            add("<p><strong>\(data(text.provinceName))</strong> · \(escape(text.periodLine))</p>")
            add("<p class=\"muted\">\(escape(text.coverageLine))</p>")
            if report.isPrivate { add("<p class=\"note\">\(escape(strings.publicEdition(report.minimumGroup)))</p>") }
            add("</header>")
            contents()
            summary()
            league()
            trend()
            categories()
            for figures in report.departments { department(figures) }
            add("<section id=\"definitions\">")
            add("<h2>\(escape(strings.definitions))</h2>")
            add("<ul>" + strings.definitionTexts.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
            add("</section>")
            if let generatedAt {
                add("<footer class=\"muted\">\(escape(strings.generated)): \(escape(generatedAt))</footer>")
            }
            add("</body>")
            add("</html>")
        }

        mutating func contents() {
            add("<nav>")
            add("<h2>\(escape(strings.contents))</h2>")
            var items = [
                ("summary", strings.summary), ("league", strings.league), ("trend", strings.trend),
                ("categories", strings.categoriesChart),
            ]
            items += report.departments.map { ("dept-\(anchor($0.code))", $0.name) }
            items.append(("definitions", strings.definitions))
            add("<ul>" + items.map { "<li><a href=\"#\($0.0)\">\(data($0.1))</a></li>" }.joined() + "</ul>")
            add("</nav>")
        }

        /// An id made of the code's letters and digits only.
        func anchor(_ code: String) -> String {
            String(
                code.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        }

        func field(_ code: String, _ name: String, _ content: String, numeric: Bool = true) -> String {
            let dept = code.isEmpty ? "_province" : escape(code)
            return "<td\(numeric ? " class=\"n\"" : "") data-dept=\"\(dept)\" data-field=\"\(name)\">\(content)</td>"
        }

        /// A change as shown, coloured by the sign it is shown with (a change that rounds to
        /// 0 shows no sign).
        func change(_ value: String) -> String {
            value.hasPrefix("+")
                ? "<span class=\"up\">\(value)</span>"
                : value.hasPrefix("−") ? "<span class=\"down\">\(value)</span>" : value
        }

        mutating func summary() {
            let total = report.total
            add("<section id=\"summary\">")
            add("<h2>\(escape(strings.summary))</h2>")
            add("<table class=\"summary\">")
            add(
                "<tr><th class=\"n\">\(escape(strings.headcount))</th><th class=\"n\">\(escape(strings.accounts))</th>"
                    + "<th class=\"n\">\(escape(strings.officialActive))</th><th class=\"n\">\(escape(strings.changeShort))</th>"
                    + "<th class=\"n\">\(escape(strings.officialShare))</th><th class=\"n\">\(escape(strings.changeShort))</th>"
                    + "<th class=\"n\">\(escape(strings.unopened))</th></tr>"
            )
            add(
                "<tr>" + field("", "headcount", text.headcount(total)) + field("", "accounts_pct", text.accounts(total))
                    + field("", "official_active_pct", text.officialActive(total))
                    + field("", "official_active_change_pts", change(text.officialActiveChange(total)))
                    + field("", "official_share_pct", text.officialShare(total))
                    + field("", "official_share_change_pts", change(text.officialShareChange(total)))
                    + field("", "unopened", escape(text.unopened(total))) + "</tr>")
            add("</table>")
            add(
                "<ul class=\"means muted\">" + strings.headlineMeanings.map { "<li>\(escape($0))</li>" }.joined()
                    + "</ul>")
            add("<div class=\"cards\">")
            for category in Category.allCases {
                add(
                    "<div class=\"card\"><div><span class=\"swatch\" style=\"background:\(colors[category]!)\"></span>"
                        + "\(escape(strings.categoryNames[category]!))</div><div class=\"value\" data-dept=\"_province\" "
                        + "data-field=\"categories.\(category.rawValue)\">\(text.category(total, category))</div></div>"
                )
            }
            add("</div>")
            add("</section>")
        }

        mutating func league() {
            add("<section id=\"league\">")
            add("<h2>\(escape(strings.league))</h2>")
            add("<table class=\"league\">")
            add(
                "<tr><th class=\"n\">\(escape(strings.rank))</th><th>\(escape(strings.department))</th>"
                    + "<th class=\"n\">\(escape(strings.headcount))</th><th class=\"n\">\(escape(strings.accounts))</th>"
                    + "<th class=\"n\">\(escape(strings.officialActive))</th><th class=\"n\">\(escape(strings.changeShort))</th>"
                    + "<th class=\"n\">\(escape(strings.officialShare))</th><th class=\"n\">\(escape(strings.changeShort))</th></tr>"
            )
            for (rank, figures) in report.league.enumerated() {
                let code = figures.code
                add(
                    "<tr data-dept=\"\(escape(code))\"><td class=\"n\">\(rank + 1)</td>"
                        + "<td><a href=\"#dept-\(anchor(code))\">\(data(figures.name))</a></td>"
                        + field(code, "headcount", text.headcount(figures))
                        + field(code, "accounts_pct", text.accounts(figures))
                        + field(code, "official_active_pct", text.officialActivePercent(figures))
                        + field(code, "official_active_change_pts", change(text.officialActiveChange(figures)))
                        + field(code, "official_share_pct", text.officialShare(figures))
                        + field(code, "official_share_change_pts", change(text.officialShareChange(figures))) + "</tr>")
            }
            add("</table>")
            add("</section>")
        }

        mutating func trend() {
            add("<section id=\"trend\">")
            add("<h2>\(escape(strings.trend))</h2>")
            add(CensusCharts.trend(report.trend, strings: strings))
            add("<p class=\"muted\">\(escape(strings.trendNote))</p>")
            add("</section>")
        }

        mutating func categories() {
            add("<section id=\"categories\">")
            add("<h2>\(escape(strings.categoriesChart))</h2>")
            add(legend())
            add(CensusCharts.categories(report, text: text))
            add("</section>")
        }

        func legend() -> String {
            "<p class=\"legend\">"
                + Category.allCases.map {
                    "<span><span class=\"swatch\" style=\"background:\(colors[$0]!)\"></span>"
                        + "\(escape(strings.categoryNames[$0]!))</span>"
                }.joined() + "</p>"
        }

        mutating func department(_ figures: DepartmentFigures) {
            let code = figures.code
            add("<section class=\"department\" id=\"dept-\(anchor(code))\" data-dept=\"\(escape(code))\">")
            add("<h2>\(data(figures.name))</h2>")
            let level = text.level(figures)
            if !level.isEmpty { add("<p class=\"muted\">\(escape(level))</p>") }
            if figures.isSuppressed || figures.headcount == 0 {
                let note =
                    figures.isSuppressed ? strings.suppressedDepartment(report.minimumGroup) : strings.emptyDepartment
                add("<p class=\"note\">\(escape(note))</p>")
                add("</section>")
                return
            }
            add("<table class=\"figures\">")
            let rows: [(String, String, String)] = [
                (strings.headcount, "headcount", text.headcount(figures)),
                (strings.accounts, "accounts_pct", text.accounts(figures)),
                (strings.officialActive, "official_active_pct", text.officialActive(figures)),
                (strings.change, "official_active_change_pts", change(text.officialActiveChange(figures))),
                (strings.officialShare, "official_share_pct", text.officialShare(figures)),
                (strings.change, "official_share_change_pts", change(text.officialShareChange(figures))),
                (strings.unopened, "unopened", escape(text.unopened(figures))),
            ]
            for (label, name, value) in rows {
                add("<tr><th>\(escape(label))</th>" + field(code, name, value) + "</tr>")
            }
            for category in Category.allCases {
                add(
                    "<tr><th><span class=\"swatch\" style=\"background:\(colors[category]!)\"></span>"
                        + "\(escape(strings.categoryNames[category]!))</th>"
                        + field(code, "categories.\(category.rawValue)", text.category(figures, category)) + "</tr>")
            }
            add("</table>")
            if !figures.topUnattributed.isEmpty {
                add("<h3>\(escape(strings.unattributed))</h3>")
                add("<table class=\"unattributed\">")
                add(
                    "<tr><th>\(escape(strings.unattributedAddress))</th><th class=\"n\">\(escape(strings.messages))</th>"
                        + "<th></th></tr>")
                for item in figures.topUnattributed {
                    add(
                        "<tr><td>\(data(item.address))</td><td class=\"n\">\(item.messages)</td>"
                            + "<td class=\"muted\">\(escape(text.unattributedNote(item)))</td></tr>")
                }
                add("</table>")
            }
            if !figures.staff.isEmpty {
                add("<h3>\(escape(strings.people))</h3>")
                add("<table class=\"people\">")
                add(
                    "<tr><th>\(escape(strings.name))</th><th>\(escape(strings.position))</th>"
                        + "<th>\(escape(strings.officialAddress))</th><th>\(escape(strings.category))</th>"
                        + "<th>\(escape(strings.lastActivity))</th><th>\(escape(strings.webmail))</th></tr>")
                for person in figures.staff {
                    var webmail = person.webmail.map { attribution in
                        let item = text.webmail(attribution)
                        return "\(data(item.address)) <span class=\"muted\">(\(escape(item.note)))</span>"
                    }
                    if person.forwards { webmail.append("<em>\(escape(strings.forwards))</em>") }
                    add(
                        "<tr data-employee=\"\(escape(person.employeeID))\"><td>\(data(person.name))</td>"
                            + "<td>\(data(person.position))</td><td>\(data(person.officialAddress ?? "—"))</td>"
                            + "<td class=\"cat\"><span class=\"swatch\" style=\"background:\(colors[person.category]!)\">"
                            + "</span>\(escape(strings.categoryNames[person.category]!))</td>"
                            + "<td>\(escape(text.lastActivity(person)))</td><td>\(webmail.joined(separator: "<br>"))</td></tr>"
                    )
                }
                add("</table>")
            }
            add("</section>")
        }
    }
}
