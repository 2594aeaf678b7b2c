import Census
import Foundation

/// The report's charts as inline SVG: drawn by any browser, printer or mail client that
/// shows HTML, with no script.
enum CensusCharts {
    static let width = 760.0

    /// A number for an SVG attribute: at most one decimal, a point whatever the language.
    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The official share and the official-active percentage, week by week, as two lines.
    static func trend(_ points: [TrendPoint], strings: ReportStrings) -> String {
        let height = 260.0
        let (left, right, top, bottom) = (50.0, width - 20, 20.0, height - 40)
        var svg = [
            "<svg class=\"trend\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
                + "aria-label=\"\(CensusHTML.escape(strings.trend))\">"
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
        let series: [(name: String, color: String, values: [Double?])] = [
            (strings.officialShare, "#0b5394", points.map { $0.officialSharePercent }),
            (strings.officialActive, "#1b7f3b", points.map(\.officialActivePercent)),
        ]
        for (index, point) in points.enumerated() {
            svg.append(
                "<text x=\"\(n(x(index)))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">"
                    + "\(CensusHTML.escape(strings.shortDate(point.days.from)))</text>")
        }
        for (position, line) in series.enumerated() {
            let coordinates = line.values.enumerated().compactMap { index, value in
                value.map { "\(n(x(index))),\(n(y($0)))" }
            }
            if coordinates.count > 1 {
                svg.append(
                    "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\" "
                        + "points=\"\(coordinates.joined(separator: " "))\"/>")
            }
            for (index, value) in line.values.enumerated() {
                guard let value else { continue }
                svg.append(
                    "<circle cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"3.5\" fill=\"\(line.color)\">"
                        + "<title>\(CensusHTML.escape(line.name)) \(CensusHTML.escape(strings.date(points[index].days.from))): "
                        + "\(strings.percent(value))</title></circle>")
            }
            let legendX = left + Double(position) * 300
            svg.append(
                "<rect x=\"\(n(legendX))\" y=\"\(n(height - 14))\" width=\"12\" height=\"12\" fill=\"\(line.color)\"/>"
                    + "<text x=\"\(n(legendX + 18))\" y=\"\(n(height - 4))\">\(CensusHTML.escape(line.name))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// Each department's staff by category, as a bar split in proportion to the headcount.
    static func categories(_ report: CensusReport, text: ReportText) -> String {
        let strings = text.strings
        let rowHeight = 24.0
        let (labelWidth, barLeft, barWidth) = (250.0, 260.0, width - 270)
        let rows = report.departments + [report.total]
        let height = 24 + rowHeight * Double(rows.count)
        var svg = [
            "<svg class=\"categories\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
                + "aria-label=\"\(CensusHTML.escape(strings.categoriesChart))\">"
        ]
        for step in 0...4 {
            let x = barLeft + barWidth * Double(step) / 4
            svg.append(
                "<line x1=\"\(n(x))\" y1=\"16\" x2=\"\(n(x))\" y2=\"\(n(height))\" stroke=\"#d9dee5\"/>"
                    + "<text x=\"\(n(x))\" y=\"12\" text-anchor=\"middle\">\(step * 25)%</text>")
        }
        for (index, figures) in rows.enumerated() {
            let y = 20 + rowHeight * Double(index)
            let label = figures.code.isEmpty ? strings.summary : figures.name
            let weight = figures.code.isEmpty ? " font-weight=\"bold\"" : ""
            svg.append(
                "<text x=\"\(n(labelWidth))\" y=\"\(n(y + 15))\" text-anchor=\"end\"\(weight)>"
                    + "\(CensusHTML.escape(String(label.prefix(40))))</text>")
            guard !figures.isSuppressed, figures.headcount > 0 else {
                svg.append(
                    "<rect x=\"\(n(barLeft))\" y=\"\(n(y + 3))\" width=\"\(n(barWidth))\" height=\"\(n(rowHeight - 6))\" "
                        + "fill=\"#f3f5f8\"/><text x=\"\(n(barLeft + 6))\" y=\"\(n(y + 15))\">"
                        + "\(CensusHTML.escape(figures.isSuppressed ? text.suppressed : "—"))</text>")
                continue
            }
            // Suppressed categories are drawn as one grey segment: their sizes are not shown.
            var x = barLeft
            var hidden = 0
            for category in Category.allCases {
                let count = figures.categories[category] ?? 0
                guard count > 0 else { continue }
                guard !figures.suppressedCategories.contains(category) else {
                    hidden += count
                    continue
                }
                let segment = barWidth * Double(count) / Double(figures.headcount)
                svg.append(
                    "<rect x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(segment))\" height=\"\(n(rowHeight - 6))\" "
                        + "fill=\"\(CensusHTML.colors[category]!)\"><title>"
                        + "\(CensusHTML.escape(label)) · \(CensusHTML.escape(strings.categoryNames[category]!)): "
                        + "\(CensusHTML.escape(text.category(figures, category)))</title></rect>")
                x += segment
            }
            if hidden > 0 {
                svg.append(
                    "<rect x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(barLeft + barWidth - x))\" "
                        + "height=\"\(n(rowHeight - 6))\" fill=\"#eceff1\"><title>\(CensusHTML.escape(text.suppressed))"
                        + "</title></rect>")
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }
}
