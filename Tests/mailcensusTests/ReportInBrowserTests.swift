import Foundation
import MailLogTesting
import Testing

/// The HTML report of the sample province opened in a real headless Chromium, as a
/// department head would open it: it loads with no console error, every figure in the page
/// equals the JSON report's, and a screenshot is kept in `out/screenshots/`.
@Suite("The HTML report in a real browser")
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

    @Test("the page loads with no console error, its figures equal the JSON report's, a screenshot is made")
    func sampleProvince() throws {
        let sample = CLI.root.appendingPathComponent("Logs/sample")
        let logs = try CLI.sampleLogs(in: folder)
        #expect(logs.count >= 9)
        let store = folder.path("store.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store] + logs)
        #expect(ingest.status == 0, "\(ingest.error)")
        let roster = sample.appendingPathComponent("roster.csv").path
        var reports: [String: [String: Any]] = [:]
        for language in ["vi", "en"] {
            let html = folder.path("report-\(language).html")
            let json = folder.path("report-\(language).json")
            for (format, path) in [("html", html), ("json", json)] {
                let result = try CLI.run([
                    "report", "--store", store, "--roster", roster, "--format", format, "--out", path, "--lang",
                    language,
                ])
                #expect(result.status == 0, "\(result.error)")
            }
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
            reports[language] = report
            let page = try browse(html, ["--dump-dom"])
            #expect(page.dom.contains("</html>"), "Chromium gave no page: \(page.log.suffix(2000))")
            #expect(Self.consoleErrors(page.log).isEmpty, "\(Self.consoleErrors(page.log))")
            let compared = try Self.compare(dom: page.dom, with: report)
            #expect(compared > 27 * 10, "only \(compared) figures compared")
            let screenshots = CLI.root.appendingPathComponent("out/screenshots")
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            let png = screenshots.appendingPathComponent("report-\(language).png").path
            try? FileManager.default.removeItem(atPath: png)
            _ = try browse(html, ["--screenshot=\(png)", "--window-size=1280,3000", "--hide-scrollbars"])
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(image.count > 50_000 && image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
        let vi = try #require(reports["vi"]?["departments"] as? NSArray)
        let en = try #require(reports["en"]?["departments"] as? NSArray)
        #expect(vi.count > 0 && vi == en, "the figures do not depend on the language")
    }

    @Test("the console check sees a console error when there is one")
    func consoleCheckWorks() throws {
        let page = folder.write(
            "broken.html", "<!DOCTYPE html><html><body><script>console.error('boom'); missing();</script></body></html>"
        )
        let result = try browse(page, ["--dump-dom"])
        #expect(!Self.consoleErrors(result.log).isEmpty, "\(result.log.suffix(1000))")
    }

    /// Compares every `data-field` of the page with the JSON report; returns how many.
    static func compare(dom: String, with report: [String: Any]) throws -> Int {
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
            let numbers = text.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: ".")
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
}
