import Census
import Foundation

/// The report's charts, drawn by any browser or printer that shows HTML, with no script: the
/// trend as inline SVG, in a wide and a narrow drawing (the page's CSS shows the one that fits
/// the screen, so that its text is never scaled below legibility), and staff by category as
/// bars of HTML boxes, which fit any width.
enum CensusCharts {
    /// The two drawings of an SVG chart: `wide` for desks and paper (760 units across), `narrow`
    /// for phones (340 units across, shown about as many pixels wide: its 13-unit text stays at
    /// 11 px or more on screens from 320 px wide).
    enum Layout: String {
        case wide
        case narrow

        var width: Double { self == .wide ? 760 : 340 }
        var height: Double { self == .wide ? 240 : 220 }
        /// The plot's edges inside the drawing: room for the axis labels.
        var plot: (left: Double, right: Double, top: Double, bottom: Double) {
            self == .wide ? (50, width - 24, 16, height - 30) : (44, width - 14, 14, height - 30)
        }
    }

    /// The font size of chart text, in drawing units (the page's CSS gives it).
    static let fontSize = 13.0

    /// A number for an SVG attribute: at most one decimal, a point whatever the language.
    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    /// About how wide `text` is drawn: for keeping labels inside the drawing.
    static func textWidth(_ text: String) -> Double { Double(text.count) * fontSize * 0.62 }

    /// The trend's two lines: name and colour.
    static func trendSeries(_ strings: ReportStrings) -> [(name: String, color: String)] {
        [(strings.officialShare, "#0b5394"), (strings.officialActive, "#1b7f3b")]
    }

    /// The official share and the official-active percentage, week by week, as two lines.
    static func trend(_ points: [TrendPoint], strings: ReportStrings, layout: Layout) -> HTML {
        let (width, height) = (layout.width, layout.height)
        let (left, right, top, bottom) = layout.plot
        var svg: [HTML] = [
            "<svg class=\"trend \(layout.rawValue)\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
                + "aria-label=\"\(strings.trend)\">"
        ]
        for step in 0...4 {
            let y = bottom - (bottom - top) * Double(step) / 4
            svg.append(
                "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(right))\" y2=\"\(n(y))\" stroke=\"#d9dee5\"/>"
                    + "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(step * 25)%</text>")
        }
        guard !points.isEmpty else {
            svg.append("<text x=\"\(n(width / 2))\" y=\"\(n(height / 2))\" text-anchor=\"middle\">—</text></svg>")
            return svg.joined(separator: "\n")
        }
        func x(_ index: Int) -> Double {
            points.count == 1 ? (left + right) / 2 : left + (right - left) * Double(index) / Double(points.count - 1)
        }
        func y(_ percent: Double) -> Double { bottom - (bottom - top) * min(max(percent, 0), 100) / 100 }
        // Every week's date when they fit side by side, else every second (third, …) one, counted
        // back from the latest week, which is always labelled.
        let labels = points.map { strings.shortDate($0.days.from) }
        let widest = labels.map(textWidth).max() ?? 0
        let spacing = points.count == 1 ? right - left : (right - left) / Double(points.count - 1)
        let every = max(1, Int((widest + 8) / spacing) + 1)
        for (index, label) in labels.enumerated() where (labels.count - 1 - index) % every == 0 {
            // Kept whole inside the drawing: the last date ends at the right edge at the latest.
            let half = textWidth(label) / 2
            let position = min(max(x(index), half + 2), width - half - 2)
            svg.append(
                "<text x=\"\(n(position))\" y=\"\(n(bottom + 20))\" text-anchor=\"middle\">"
                    + "\(label)</text>")
        }
        let series = trendSeries(strings)
        let values: [[Double?]] = [points.map(\.officialSharePercent), points.map(\.officialActivePercent)]
        for (line, values) in zip(series, values) {
            let coordinates = values.enumerated().compactMap { index, value in
                value.map { "\(n(x(index))),\(n(y($0)))" }
            }
            if coordinates.count > 1 {
                svg.append(
                    "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\" "
                        + "points=\"\(coordinates.joined(separator: " "))\"/>")
            }
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                svg.append(
                    "<circle cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"3.5\" fill=\"\(line.color)\">"
                        + "<title>\(line.name) \(strings.date(points[index].days.from)): "
                        + "\(strings.percent(value))</title></circle>")
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// Each department's staff by category, as a bar split in proportion to the headcount, the
    /// province's last; the name beside the bar, or above it on a phone.
    static func categories(_ report: CensusReport, text: ReportText) -> HTML {
        let strings = text.strings
        var html: [HTML] = [
            "<div class=\"bars\" aria-label=\"\(strings.categoriesChart)\">",
            "<div class=\"row axis\"><div class=\"label\"></div><div class=\"ticks\">"
                + (0...4).map { "<span style=\"left:\($0 * 25)%\">\($0 * 25)%</span>" as HTML }.joined()
                + "</div></div>",
        ]
        for figures in report.departments + [report.total] {
            let isTotal = figures.code.isEmpty
            let label = isTotal ? strings.summary : figures.name
            let rowClass = isTotal ? "row total" : "row"
            var row: HTML =
                "<div class=\"\(rowClass)\"><div class=\"label\">\(data: label)</div>"
                + "<div class=\"bar\">"
            guard !figures.isSuppressed, figures.headcount > 0 else {
                row += "<span class=\"none\">\(figures.isSuppressed ? text.suppressed : "—")</span>"
                html.append(row + "</div></div>")
                continue
            }
            // Suppressed categories are drawn as one grey segment: their sizes are not shown.
            var hidden = 0
            for category in Category.allCases {
                let count = figures.categories[category] ?? 0
                guard count > 0 else { continue }
                guard !figures.suppressedCategories.contains(category) else {
                    hidden += count
                    continue
                }
                let share = Double(count) * 100 / Double(figures.headcount)
                row +=
                    "<span style=\"width:\(String(format: "%.2f", share))%;background:\(CensusHTML.color(category))\" "
                    + "title=\"\(label) · \(strings.categoryName(category)): "
                    + "\(text.category(figures, category))\"></span>"
            }
            if hidden > 0 { row += "<span class=\"rest\" title=\"\(text.suppressed)\"></span>" }
            html.append(row + "</div></div>")
        }
        html.append("</div>")
        return html.joined(separator: "\n")
    }
}
