import Foundation
import TestSupport
import Testing

/// The HTML report of the sample province opened in a real headless Chromium, as a
/// department head would open it: it loads with no console error, every figure in the page
/// equals the JSON report's, and a screenshot is kept in `out/screenshots/`.
@Suite("The HTML report in a real browser", .tags(.browser), .needs(.browser))
struct ReportInBrowserTests {
    let folder = TemporaryFolder()

    /// Debian's `chromium` (or `$MAILCENSUS_CHROMIUM`).
    static let chromium: String? = {
        if let path = ProcessInfo.processInfo.environment["MAILCENSUS_CHROMIUM"] { return path }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in paths where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()

    struct Browser {
        var dom: String
        var log: String
    }

    /// Runs headless Chromium on `page` with `arguments`, killing it after two minutes.
    func browse(_ page: String, _ arguments: [String]) throws -> Browser {
        let chromium = try #require(
            Self.chromium, "no Chromium: install Debian's chromium (bash Scripts/install-deps.sh --test)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=\(folder.path("profile"))",
            ] + arguments + [URL(fileURLWithPath: page).absoluteString]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        // Read both pipes while it runs: a full pipe would stall it.
        nonisolated(unsafe) var dom = Data()
        nonisolated(unsafe) var log = Data()
        let group = DispatchGroup()
        for (pipe, index) in [(output, 0), (errors, 1)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if index == 0 { dom = data } else { log = data }
                group.leave()
            }
        }
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("Chromium did not finish within two minutes")
        }
        group.wait()
        process.waitUntilExit()
        return Browser(dom: String(decoding: dom, as: UTF8.self), log: String(decoding: log, as: UTF8.self))
    }

    /// Console messages of level error, and uncaught exceptions, from Chromium's log.
    static func consoleErrors(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { line in
            (line.contains(":CONSOLE") && (line.contains("ERROR:") || line.contains("Uncaught")))
                || line.contains("Uncaught ") || line.contains("Failed to load resource")
        }
    }

    /// The sample province ingested into a fresh store, and its HTML and JSON reports in
    /// `language` written beside it; the paths of the two reports.
    func sampleReports(_ languages: [String]) throws -> [String: (html: String, json: String)] {
        let sample = CLI.root.appendingPathComponent("Logs/sample")
        let logs = try CLI.sampleLogs(in: folder)
        #expect(logs.count >= 9)
        let store = folder.path("store.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store] + logs)
        #expect(ingest.status == 0, "\(ingest.error)")
        let roster = sample.appendingPathComponent("roster.csv").path
        var reports: [String: (html: String, json: String)] = [:]
        for language in languages {
            let html = folder.path("report-\(language).html")
            let json = folder.path("report-\(language).json")
            for (format, path) in [("html", html), ("json", json)] {
                let result = try CLI.run([
                    "report", "--store", store, "--roster", roster, "--format", format, "--out", path, "--lang",
                    language,
                ])
                #expect(result.status == 0, "\(result.error)")
            }
            reports[language] = (html, json)
        }
        return reports
    }

    @Test("the page loads with no console error, its figures equal the JSON report's, a screenshot is made")
    func sampleProvince() throws {
        var reports: [String: [String: Any]] = [:]
        for (language, files) in try sampleReports(["vi", "en"]) {
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files.json)))
                    as? [String: Any])
            reports[language] = report
            let page = try browse(files.html, ["--dump-dom"])
            #expect(page.dom.contains("</html>"), "Chromium gave no page: \(page.log.suffix(2000))")
            #expect(Self.consoleErrors(page.log).isEmpty, "\(Self.consoleErrors(page.log))")
            let compared = try Self.compare(dom: page.dom, with: report, language: language)
            #expect(compared > 27 * 10, "only \(compared) figures compared")
            let png = try Self.screenshotPath("report-\(language).png")
            _ = try browse(files.html, ["--screenshot=\(png)", "--window-size=1280,3000", "--hide-scrollbars"])
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(image.count > 50_000 && image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
        let vi = try #require(reports["vi"]?["departments"] as? NSArray)
        let en = try #require(reports["en"]?["departments"] as? NSArray)
        #expect(vi.count > 0 && vi == en, "the figures do not depend on the language")
    }

    /// The width of the phone the page is measured on (an iPhone's, in CSS pixels).
    static let phoneWidth = 390

    @Test("on a 390 px phone: no sideways scroll of the page, every figure visible, chart text at least 11 px")
    func phone() throws {
        for (language, files) in try sampleReports(["vi", "en"]) {
            let report = try String(contentsOfFile: files.html, encoding: .utf8)
            let measured = try measureOnPhone(report, name: "phone-\(language)")
            #expect(measured.innerWidth == Self.phoneWidth, "\(language): the page was not laid out at 390 px")
            #expect(
                measured.scrollWidth <= measured.clientWidth,
                "\(language): the page is \(measured.scrollWidth) px wide on a \(measured.clientWidth) px screen")
            #expect(measured.figures > 27 * 10, "\(language): only \(measured.figures) figures measured")
            #expect(measured.svgTexts > 0, "\(language): no chart text measured")
            #expect(measured.problems.isEmpty, "\(language): \(measured.problems.prefix(30).joined(separator: "\n"))")

            let png = try Self.screenshotPath("report-\(language)-390.png")
            let frame = folder.write("screenshot-\(language).html", Self.phoneFrame(report, height: 3000))
            _ = try browse(frame, ["--screenshot=\(png)", "--window-size=500,3000", "--hide-scrollbars"])
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(image.count > 50_000 && image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test("the phone check sees a page wider than the phone, a figure off the page, text too small")
    func phoneCheckWorks() throws {
        let page = """
            <!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><table style="width:900px"><tr><td>Sở Nội vụ</td>
            <td data-dept="SNV" data-field="headcount">1.863</td></tr></table>
            <div style="overflow:hidden;width:40px;height:10px"><span data-dept="SNV" data-field="accounts_pct">
            <br>1.024 (53,9%)</span></div>
            <svg viewBox="0 0 760 100" style="width:100%"><text x="0" y="20" font-size="12">0%</text></svg>
            <p style="font-size:8px">tiny</p></body></html>
            """
        let measured = try measureOnPhone(page, name: "broken")
        #expect(measured.innerWidth == Self.phoneWidth)
        #expect(measured.scrollWidth > measured.clientWidth)
        #expect(measured.problems.contains { $0.hasPrefix("off the page: SNV headcount") }, "\(measured.problems)")
        #expect(measured.problems.contains { $0.hasPrefix("clipped: SNV accounts_pct") }, "\(measured.problems)")
        #expect(measured.problems.contains { $0.hasPrefix("SVG text at ") }, "\(measured.problems)")
        #expect(measured.problems.contains { $0.hasPrefix("text at 8.0 px") }, "\(measured.problems)")
    }

    /// What the measuring script found in a page laid out on the phone.
    struct PhoneLayout {
        var innerWidth: Int
        var clientWidth: Int
        var scrollWidth: Int
        var figures: Int
        var svgTexts: Int
        var problems: [String]
    }

    /// Lays `page` out `phoneWidth` CSS pixels wide in headless Chromium, and measures it.
    ///
    /// Chromium's windows are at least 500 pixels wide, so the page is opened in a frame of the
    /// phone's width, which is its layout viewport (media queries, `innerWidth`). The page has no
    /// script of its own: a copy of it gets one, run as it is parsed, that writes what it found
    /// into the frame's parent, which `--dump-dom` then prints.
    func measureOnPhone(_ page: String, name: String) throws -> PhoneLayout {
        let measuring = page.replacingOccurrences(of: "</body>", with: "<script>\(Self.measure)</script>\n</body>")
        let frame = folder.write("\(name).html", Self.phoneFrame(measuring, height: 844, measured: true))
        let result = try browse(frame, ["--dump-dom", "--window-size=500,1000", "--hide-scrollbars"])
        #expect(Self.consoleErrors(result.log).isEmpty, "\(Self.consoleErrors(result.log))")
        let output = try #require(
            result.dom.firstMatch(of: try Regex(#"<pre id="measured">([^<]*)</pre>"#))?.output[1].substring,
            "the measuring script wrote nothing: \(result.log.suffix(2000))")
        var json = String(output)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            json = json.replacingOccurrences(of: entity, with: character)
        }
        let found = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        func number(_ key: String) -> Int { (found[key] as? NSNumber)?.intValue ?? -1 }
        return PhoneLayout(
            innerWidth: number("innerWidth"), clientWidth: number("clientWidth"), scrollWidth: number("scrollWidth"),
            figures: number("figures"), svgTexts: number("svgTexts"), problems: found["problems"] as? [String] ?? [])
    }

    /// A page holding `page` in a frame as wide as the phone; for a screenshot, scaled up to fill
    /// Chromium's narrowest window (500 pixels).
    static func phoneFrame(_ page: String, height: Int, measured: Bool = false) -> String {
        let scale = 500.0 / Double(phoneWidth)
        let transform = measured ? "" : "transform:scale(\(scale));transform-origin:0 0;"
        let frameHeight = measured ? height : Int(Double(height) / scale)
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
            <pre id="measured"></pre><iframe style="border:0;display:block;width:\(phoneWidth)px;\
            height:\(frameHeight)px;\(transform)" srcdoc="\(escapeAttribute(page))"></iframe></body></html>
            """
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func screenshotPath(_ name: String) throws -> String {
        let screenshots = CLI.root.appendingPathComponent("out/screenshots")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let png = screenshots.appendingPathComponent(name).path
        try? FileManager.default.removeItem(atPath: png)
        return png
    }

    /// Measures the page it ends: the layout viewport, the page's width, every `data-field`
    /// figure (it has a size, no ancestor cuts it off, and it is on the page or in a box that
    /// scrolls sideways on its own), the size on screen of every SVG text drawn and of all other
    /// text, and how many lines the league table's department names take.
    static let measure = #"""
        (function () {
          var root = document.documentElement, width = root.clientWidth, problems = [];
          function describe(el) {
            return (el.getAttribute('data-dept') || '') + ' ' + (el.getAttribute('data-field') || el.tagName) +
              ' "' + el.textContent.trim().slice(0, 40) + '"';
          }
          function scrolls(style) { return style === 'auto' || style === 'scroll'; }
          function clipper(el, r) {
            for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              var s = getComputedStyle(p), q = p.getBoundingClientRect();
              if (s.overflowX !== 'visible' && !scrolls(s.overflowX) &&
                  (r.left < q.left - 0.5 || r.right > q.right + 0.5)) return p;
              if (s.overflowY !== 'visible' && !scrolls(s.overflowY) &&
                  (r.top < q.top - 0.5 || r.bottom > q.bottom + 0.5)) return p;
            }
            return null;
          }
          function scroller(el) {
            for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (scrolls(getComputedStyle(p).overflowX)) return p;
            }
            return null;
          }
          var figures = document.querySelectorAll('[data-field]');
          figures.forEach(function (el) {
            var r = el.getBoundingClientRect();
            if (r.width < 1 || r.height < 1 || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) {
              problems.push('hidden: ' + describe(el));
              return;
            }
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
              problems.push('cut: ' + describe(el));
              return;
            }
            if (clipper(el, r)) { problems.push('clipped: ' + describe(el)); return; }
            if (r.left >= -0.5 && r.right <= width + 0.5) return;
            var box = scroller(el);
            if (box) {
              var b = box.getBoundingClientRect();
              if (b.left >= -0.5 && b.right <= width + 0.5 && box.scrollWidth > box.clientWidth) return;
            }
            problems.push('off the page: ' + describe(el) + ' at ' + Math.round(r.left) + '-' + Math.round(r.right) + ' px');
          });
          var svgTexts = 0;
          document.querySelectorAll('svg text').forEach(function (t) {
            if (t.getClientRects().length === 0 || !t.textContent.trim()) return;
            var size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
            svgTexts++;
            if (size < 11) problems.push('SVG text at ' + size.toFixed(1) + ' px: "' + t.textContent + '"');
          });
          var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), small = 0, node;
          while ((node = walker.nextNode())) {
            var el = node.parentElement;
            if (!node.textContent.trim() || el.closest('svg, script, style, pre#measured')) continue;
            if (el.getClientRects().length === 0) continue;
            var px = parseFloat(getComputedStyle(el).fontSize);
            if (px < 11 && small++ < 5) problems.push('text at ' + px.toFixed(1) + ' px: "' + node.textContent.trim().slice(0, 40) + '"');
          }
          document.querySelectorAll('table.league tr[data-dept] a').forEach(function (a) {
            var lines = a.getClientRects().length;
            if (lines > 3) problems.push('department name on ' + lines + ' lines: "' + a.textContent + '"');
          });
          var out = parent.document.getElementById('measured') || document.body.appendChild(document.createElement('pre'));
          out.textContent = JSON.stringify({
            innerWidth: innerWidth, clientWidth: width, scrollWidth: root.scrollWidth, figures: figures.length,
            svgTexts: svgTexts, problems: problems
          });
        })();
        """#

    @Test("the console check sees a console error when there is one")
    func consoleCheckWorks() throws {
        let page = folder.write(
            "broken.html", "<!DOCTYPE html><html><body><script>console.error('boom'); missing();</script></body></html>"
        )
        let result = try browse(page, ["--dump-dom"])
        #expect(!Self.consoleErrors(result.log).isEmpty, "\(result.log.suffix(1000))")
    }

    /// Compares every `data-field` of the page with the JSON report; returns how many.
    ///
    /// The page writes numbers as `language` does: thousands grouped (`1.863` in Vietnamese,
    /// `1,863` in English), one decimal after a comma in Vietnamese and a point in English.
    static func compare(dom: String, with report: [String: Any], language: String) throws -> Int {
        var figures: [String: [String: Any]] = [:]
        figures["_province"] = report["province_total"] as? [String: Any]
        for department in report["departments"] as? [[String: Any]] ?? [] {
            figures[department["code"] as! String] = department
        }
        let cell = try Regex(#"<(td|div)[^>]*data-dept="([^"]+)" data-field="([^"]+)"[^>]*>(.*?)</\1>"#)
        var compared = 0
        for match in dom.matches(of: cell) {
            let dept = String(match.output[2].substring!)
            let field = String(match.output[3].substring!)
            let text = String(match.output[4].substring!).replacing(try Regex("<[^>]+>"), with: "")
            let figure = try #require(figures[dept], "no department \(dept) in the JSON")
            let numbers = try plainNumbers(text, language: language)
                .matches(of: try Regex(#"[-+]?\d+(\.\d+)?"#)).compactMap { Double($0.output[0].substring!) }
            let (count, percent): (Double?, Double?) =
                text.contains("%")
                ? (numbers.count > 1 ? numbers[0] : nil, numbers.last) : (numbers.first, nil)
            func json(_ path: [String]) -> Double? {
                var value: Any? = figure
                for key in path { value = (value as? [String: Any])?[key] }
                return (value as? NSNumber)?.doubleValue
            }
            let expected: [(Double?, Double?)]
            switch field {
            case "headcount": expected = [(count, json(["headcount"]))]
            case "accounts_pct": expected = [(count, json(["accounts"])), (percent, json(["accounts_pct"]))]
            case "official_active_pct":
                expected = [
                    (percent, json(["official_active", "pct"])),
                    (count, count == nil ? nil : json(["official_active", "count"])),
                ]
            case "official_active_change_pts": expected = [(count, json(["official_active", "change_pts"]))]
            case "official_share_pct": expected = [(percent, json(["official_share_pct"]))]
            case "official_share_change_pts": expected = [(count, json(["official_share_change_pts"]))]
            case "unopened":
                expected = [
                    (count, json(["unopened", "messages"])),
                    (numbers.count > 1 ? numbers[1] : nil, json(["unopened", "mailboxes"])),
                ]
            case let name where name.hasPrefix("categories."):
                let category = String(name.dropFirst("categories.".count))
                expected = [
                    (count, json(["categories", category, "count"])), (percent, json(["categories", category, "pct"])),
                ]
            // The client census's table: plain counts at their JSON path.
            case let name where name.hasPrefix("clients.") || name == "official_active.count":
                expected = [(count, json(name.split(separator: ".").map(String.init)))]
            default:
                Issue.record("an unknown field \(field) in the page")
                continue
            }
            for (shown, wanted) in expected {
                #expect(
                    shown == wanted,
                    "\(dept) \(field): the page shows \(text), the JSON has \(String(describing: wanted))")
            }
            compared += 1
        }
        return compared
    }

    /// `text` with its numbers as Swift reads them: thousands separators dropped, a decimal point,
    /// `-` for the minus sign.
    static func plainNumbers(_ text: String, language: String) throws -> String {
        let (group, decimal) = language == "vi" ? (".", ",") : (",", ".")
        let grouped = try Regex(#"(\d)[\#(group)](?=\d{3}(\D|$))"#)
        return text.replacing(grouped) { String($0.output[1].substring!) }
            .replacingOccurrences(of: decimal, with: ".").replacingOccurrences(of: "−", with: "-")
    }
}
