import Basics
import Foundation
import MailLog
import TestSupport
import Testing

@Suite("Ingest: incremental, resumable, and robust to bad input")
struct IngestorTests {
    static let whole = SyntheticLog.make(messages: 200)
    static let options = IngestOptions(utcOffset: 7 * 3600, loginDomain: "namdinh.gov.vn")

    /// Totals of one clean run over `text` as one file.
    static func reference() throws -> MemorySink.Totals {
        let folder = TemporaryFolder()
        let sink = MemorySink()
        _ = try Ingestor(sink: sink, options: options).run(paths: [folder.write("mail.log", whole)])
        return sink.totals
    }

    static func small(_ chunk: Int = 700, commit: Int64 = 2000) -> IngestOptions {
        var options = Self.options
        options.chunkSize = chunk
        options.commitInterval = commit
        return options
    }

    @Test("the reference run finds what the log holds")
    func reference() throws {
        let totals = try Self.reference()
        // 200 messages: 50 of each kind; the last deferral (message 198) is delivered by 199.
        #expect(totals.statistics.messages == 150)
        #expect(totals.statistics.submissions == 100)
        #expect(totals.statistics.delivered == 100)
        #expect(totals.statistics.relayed == 100)
        #expect(totals.statistics.deferred == 50)
        #expect(totals.statistics.logins == 50)
        #expect(totals.statistics.loginFailures == 100)
        #expect(totals.counters["annv@namdinh.gov.vn"]?[0] == 20)
        #expect(totals.exchanges["annv@namdinh.gov.vn|partner@example.org"] == 10)
    }

    @Test("small chunks and frequent commits change nothing")
    func chunking() throws {
        let folder = TemporaryFolder()
        let sink = MemorySink()
        _ = try Ingestor(sink: sink, options: Self.small()).run(paths: [folder.write("mail.log", Self.whole)])
        #expect(sink.commits > 10)
        #expect(sink.totals == (try Self.reference()))
    }

    @Test("past the day-commit minimum, commits come at the turn of a day: each day's rows written once")
    func dayCommits() throws {
        // Three days of one message a minute.
        let log = SyntheticLog.make(messages: 3 * 1440)
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", log)
        let once = MemorySink()
        var whole = Self.options
        whole.commitInterval = 1 << 40
        whole.dayCommitMinimum = 1 << 40
        _ = try Ingestor(sink: once, options: whole).run(paths: [path])
        #expect(once.commits == 1)

        let sink = DaysSink()
        var options = whole
        options.chunkSize = 4096
        options.dayCommitMinimum = 10_000
        _ = try Ingestor(sink: sink, options: options).run(paths: [folder.path("mail.log")])
        // One commit before each of the two later days begins, one at the end.
        #expect(sink.days.count == 3)
        // A commit holds its day, and at most the chunk before it of the day before (the one in
        // which the log passed midnight): the first commit holds the first day alone.
        let first = try #require(sink.days.first?.min())
        #expect(sink.days.map { $0.max() } == [first, first + 1, first + 2])
        #expect(sink.days.first == [first])
        #expect(sink.days.allSatisfy { $0.count <= 2 })
        #expect(sink.memory.totals == once.totals)
    }

    @Test("a rerun adds nothing; appended lines are added once")
    func incremental() throws {
        let folder = TemporaryFolder()
        let sink = MemorySink()
        let lines = Self.whole.split(separator: "\n", omittingEmptySubsequences: false)
        let half = lines.count / 2
        let path = folder.write("mail.log", lines[..<half].joined(separator: "\n") + "\n")
        let ingestor = Ingestor(sink: sink, options: Self.small())
        _ = try ingestor.run(paths: [path])
        let again = try ingestor.run(paths: [path])
        #expect(again.statistics.linesRead == 0)
        #expect(again.files.first?.status == .unchanged)
        folder.write("mail.log", Self.whole)
        _ = try ingestor.run(paths: [path])
        #expect(sink.totals == (try Self.reference()))
    }

    @Test("after rotation (renamed, then compressed) only new lines are read")
    func rotation() throws {
        let folder = TemporaryFolder()
        let sink = MemorySink()
        let lines = Self.whole.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let third = lines.count / 3
        let ingestor = Ingestor(sink: sink, options: Self.small())
        // Night 1: mail.log holds the first third.
        folder.write("mail.log", lines[..<third].joined(separator: "\n") + "\n")
        _ = try ingestor.run(paths: [folder.path("mail.log")])
        // Night 2: mail.log grew to two thirds, was rotated to mail.log.1; a new mail.log has the rest.
        folder.write("mail.log.1", lines[..<(2 * third)].joined(separator: "\n") + "\n")
        folder.write("mail.log", lines[(2 * third)...].joined(separator: "\n"))
        let night2 = try ingestor.run(paths: [folder.path("mail.log"), folder.path("mail.log.1")])
        #expect(night2.files.map { ($0.path as NSString).lastPathComponent } == ["mail.log.1", "mail.log"])
        #expect(sink.totals == (try Self.reference()))
        // Night 3: mail.log.1 compressed to mail.log.2.gz, mail.log to mail.log.1, nothing new.
        try FileManager.default.moveItem(atPath: folder.path("mail.log.1"), toPath: folder.path("mail.log.2"))
        try folder.gzip("mail.log.2")
        try FileManager.default.moveItem(atPath: folder.path("mail.log"), toPath: folder.path("mail.log.1"))
        let night3 = try ingestor.run(paths: [folder.path("mail.log.1"), folder.path("mail.log.2.gz")])
        #expect(night3.statistics.linesRead == 0)
        #expect(sink.totals == (try Self.reference()))
    }

    @Test("killed at any commit, a rerun gives the totals of one clean run")
    func crashAtEveryCommit() throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.whole)
        let probe = MemorySink()
        _ = try Ingestor(sink: probe, options: Self.small()).run(paths: [path])
        let reference = try Self.reference()
        for failAfter in 0..<probe.commits {
            let sink = MemorySink()
            sink.failAfter = failAfter
            #expect(throws: MemorySink.Crash.self) {
                try Ingestor(sink: sink, options: Self.small()).run(paths: [path])
            }
            sink.failAfter = nil
            _ = try Ingestor(sink: sink, options: Self.small()).run(paths: [path])
            #expect(sink.totals == reference, "crash after \(failAfter) commits")
        }
    }

    @Test("gzip files, also several members, read as their text")
    func gzip() throws {
        let folder = TemporaryFolder()
        let lines = Self.whole.split(separator: "\n", omittingEmptySubsequences: false)
        let half = lines.count / 2
        folder.write("a.log", lines[..<half].joined(separator: "\n") + "\n")
        folder.write("b.log", lines[half...].joined(separator: "\n"))
        let first = try Data(contentsOf: URL(fileURLWithPath: try folder.gzip("a.log")))
        let second = try Data(contentsOf: URL(fileURLWithPath: try folder.gzip("b.log")))
        let path = folder.write("mail.log.3.gz", bytes: Array(first + second))
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.small(4096)).run(paths: [path])
        #expect(report.files.first?.error == nil)
        #expect(sink.totals == (try Self.reference()))
    }

    @Test("a truncated gzip file: the lines before the cut count, and the error names the file")
    func truncatedGzip() throws {
        let folder = TemporaryFolder()
        folder.write("mail.log.2", Self.whole)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: try folder.gzip("mail.log.2")))
        let path = folder.write("mail.log.2.gz", bytes: Array(compressed.prefix(compressed.count * 2 / 3)))
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.small(4096)).run(paths: [path])
        let outcome = try #require(report.files.first)
        #expect(outcome.error?.code == .truncatedCompression)
        #expect(outcome.error?.description.hasPrefix(path) == true)
        #expect(outcome.status == .read)
        #expect(outcome.lines > 100)
        #expect(sink.totals.statistics.linesRead == outcome.lines)
    }

    /// The complete lines `gzip -dc` recovers from a cut file, as zcat would show them.
    static func linesGzipRecovers(_ path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return text.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    @Test(
        "a gzip file cut anywhere: every complete line inflated before the cut is read, as gzip -dc recovers it",
        // Where the cut falls: a share of the compressed file plus some bytes (within the first
        // 4 KiB of text, in the middle, in the last block, in the trailer).
        arguments: [(0, 400), (50, 0), (90, 0), (100, -12), (100, -3)], [4 << 20, 4096])
    func truncatedGzipKeepsEveryLine(cut: (Int, Int), chunkSize: Int) throws {
        let folder = TemporaryFolder()
        folder.write("mail.log.2", SyntheticLog.make(messages: 1500) + "\n")
        let compressed = try Data(contentsOf: URL(fileURLWithPath: try folder.gzip("mail.log.2")))
        let length = compressed.count * cut.0 / 100 + cut.1
        let path = folder.write("mail.log.2.gz", bytes: Array(compressed.prefix(length)))
        let recovered = try Self.linesGzipRecovers(path)
        #expect(recovered > 0)
        var options = Self.options
        options.chunkSize = chunkSize
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: options).run(paths: [path])
        let outcome = try #require(report.files.first)
        #expect(outcome.error?.code == .truncatedCompression)
        #expect(outcome.error?.description.hasPrefix(path) == true)
        #expect(outcome.status == .read)
        #expect(outcome.lines == recovered)
        #expect(sink.totals.statistics.linesRead == recovered)
        // A rerun finds nothing new and meets the same fault.
        let again = try Ingestor(sink: sink, options: options).run(paths: [path])
        #expect(again.statistics.linesRead == 0)
        #expect(again.files.first?.error?.code == .truncatedCompression)
    }

    @Test("missing files, directories and empty files are reported, not fatal")
    func unreadable() throws {
        let folder = TemporaryFolder()
        let good = folder.write("good.log", Self.whole)
        let empty = folder.write("empty.log", "")
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.options).run(paths: [
            folder.path("missing.log"), folder.url.path, empty, good,
        ])
        #expect(report.files.map(\.status) == [.failed, .failed, .empty, .read])
        #expect(report.files[0].error?.code == .fileNotFound)
        #expect(report.files[1].error?.code == .notAFile)
        #expect(report.anythingReadable)
        #expect(sink.totals == (try Self.reference()))
        let nothing = try Ingestor(sink: MemorySink(), options: Self.options).run(paths: [folder.path("missing.log")])
        #expect(!nothing.anythingReadable)
    }

    @Test("garbage, invalid UTF-8 and a 10 MB line are skipped with samples; good lines still count")
    func garbage() throws {
        let folder = TemporaryFolder()
        let lines = Self.whole.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var bytes: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index == 3 { bytes += [0xFF, 0xFE, 0x00, 0xC3, 0x28] + Array(" not a log line".utf8) + [0x0A] }
            if index == 10 { bytes += Array(repeating: UInt8(ascii: "x"), count: 10 << 20) + [0x0A] }
            if index == 20 {
                bytes += Array("Nov 20 00:00:00 mail postfix/smtpd[1]: \u{FF}\u{FE} bad".utf8) + [0xC0, 0x0A]
            }
            bytes += line
            if index < lines.count - 1 { bytes.append(0x0A) }
        }
        let path = folder.write("mail.log", bytes: bytes)
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.options).run(paths: [path])
        let outcome = try #require(report.files.first)
        #expect(outcome.unrecognised == 3)
        #expect(outcome.samples.count == 3)
        #expect(outcome.samples[0] == "\(path):4: \\xFF\\xFE\\x00\\xC3( not a log line")
        #expect(outcome.samples[1] == "\(path):12: line longer than 1024 KiB, skipped")
        // A Postfix line with bytes that are not UTF-8 is no mail line.
        #expect(outcome.samples[2] == "\(path):23: Nov 20 00:00:00 mail postfix/smtpd[1]: \u{FF}\u{FE} bad\\xC0")
        var expected = try Self.reference()
        expected.statistics.linesRead += 3
        expected.statistics.linesSkipped += 3
        expected.statistics.linesUnrecognised += 3
        #expect(sink.totals == expected)
    }

    @Test("lines with a NUL or bytes that are not UTF-8 are unrecognised, and shown escaped with file and line")
    func nulAndInvalidUTF8() throws {
        let folder = TemporaryFolder()
        func login(_ second: Int, _ user: [UInt8]) -> [UInt8] {
            Array("Nov 25 08:00:0\(second) mail dovecot: imap-login: Login: user=<".utf8) + user
                + Array("@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5".utf8)
        }
        let lines: [[UInt8]] = [
            login(1, Array("annv".utf8)),
            login(2, Array("de".utf8) + [0] + Array("st1".utf8)),
            Array("Nov 25 08:00:03 mail postfix/smtpd[1]: 1A2B3C4D5E: client=pc[10.0.0.5], sasl_method=PLAIN, ".utf8)
                + Array("sasl_username=de".utf8) + [0] + Array("st2@namdinh.gov.vn".utf8),
            login(4, Array("b".utf8) + [0xFF] + Array("c".utf8)),
            // An overlong `/` and a lone surrogate are not UTF-8 either.
            login(5, Array("x".utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80]),
            // Valid UTF-8 is read as it is, line separators in it included.
            login(6, Array("nguyễn\u{2028}".utf8)),
        ]
        let path = folder.write("mail.log", bytes: Array(lines.joined(separator: [0x0A])) + [0x0A])
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.options).run(paths: [path])
        let outcome = try #require(report.files.first)
        #expect(outcome.lines == 6)
        #expect(outcome.unrecognised == 4)
        #expect(sink.totals.statistics.linesUnrecognised == 4)
        #expect(sink.totals.statistics.linesParsed == 2)
        #expect(sink.totals.statistics.logins == 2)
        #expect(sink.totals.counters.keys.sorted() == ["annv@namdinh.gov.vn", "nguyễn\u{2028}@namdinh.gov.vn"])
        #expect(
            outcome.samples == [
                "\(path):2: Nov 25 08:00:02 mail dovecot: imap-login: Login: user=<de\\x00st1@namdinh.gov.vn>, m…",
                "\(path):3: Nov 25 08:00:03 mail postfix/smtpd[1]: 1A2B3C4D5E: client=pc[10.0.0.5], sasl_met…",
                "\(path):4: Nov 25 08:00:04 mail dovecot: imap-login: Login: user=<b\\xFFc@namdinh.gov.vn>, meth…",
                "\(path):5: Nov 25 08:00:05 mail dovecot: imap-login: Login: user=<x\\xC0\\xAF\\xED\\xA0\\x80@namdinh.gov.vn>, m…",
            ])
        for sample in outcome.samples {
            #expect(!sample.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        }
    }

    @Test("an unfinished last line waits for the next run")
    func unfinishedLine() throws {
        let folder = TemporaryFolder()
        let cut = Self.whole.index(Self.whole.endIndex, offsetBy: -40)
        let path = folder.write("mail.log", String(Self.whole[..<cut]))
        let sink = MemorySink()
        let ingestor = Ingestor(sink: sink, options: Self.options)
        let first = try ingestor.run(paths: [path])
        #expect(first.files.first?.unfinishedTail ?? 0 > 0)
        folder.write("mail.log", Self.whole)
        _ = try ingestor.run(paths: [path])
        #expect(sink.totals == (try Self.reference()))
    }

    @Test("a file appended to while it is read: the next run reads the rest, nothing twice")
    func appendedDuringRun() throws {
        let folder = TemporaryFolder()
        let lines = Self.whole.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
        let path = folder.write("mail.log", "")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let sink = MemorySink()
        let ingestor = Ingestor(sink: sink, options: Self.small(256, commit: 512))
        // Write the log in pieces (some cut mid-line) while ingests run over it.
        let text = Array(lines.joined().utf8.dropLast())
        var written = 0
        var runs = 0
        while written < text.count {
            let piece = min(text.count - written, 997)
            handle.write(Data(text[written..<(written + piece)]))
            written += piece
            _ = try ingestor.run(paths: [path])
            runs += 1
        }
        try handle.close()
        folder.write("mail.log", Self.whole)
        _ = try ingestor.run(paths: [path])
        #expect(runs > 10)
        #expect(sink.totals == (try Self.reference()))
    }

    /// Keeps the days each address was active on, as a store would; `@unchecked Sendable`:
    /// an ingest commits one batch after the other, and the test reads it after the ingest.
    final class DaySink: IngestSink, @unchecked Sendable {
        var files: [String: FileCheckpoint] = [:]
        var state: Correlator.State?
        var days: [String: Set<Int32>] = [:]

        func checkpoints(lineHash: String) throws -> [FileCheckpoint] {
            files.values.filter { $0.lineHash == lineHash }
        }
        func correlatorState() throws -> Correlator.State? { state }
        func commit(_ batch: IngestBatch) throws {
            for key in batch.activity.days.keys {
                days[batch.activity.addresses[Int(key.address)], default: []].insert(key.day)
            }
            files[batch.checkpoint.fingerprint] = batch.checkpoint
            state = batch.state
        }
    }

    /// Logins on 10 January and 20 December, and lines of other kinds on the 10th of every month between.
    static let yearLog: [String] = {
        let months = ["Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
        var lines = [
            "Jan 10 09:00:00 mail dovecot: imap-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5"
        ]
        for (index, month) in months.enumerated() {
            lines.append(
                index % 2 == 0
                    ? "\(month) 10 09:00:00 mail postfix/smtpd[1]: connect from pc[10.0.0.5]"
                    : "\(month) 10 09:00:00 mail CRON[1]: (root) CMD (true)")
        }
        lines.append(
            "Dec 20 09:00:00 mail dovecot: imap-login: Login: user=<binhtt@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.6")
        return lines
    }()

    static func setModified(_ path: String, year: Int, month: Int, day: Int) throws {
        let seconds = Double(CivilTime.days(year: year, month: month, day: day)) * 86_400
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    @Test(
        "classic stamps: lines of every program fill a gap of months between counted lines, also across runs",
        arguments: [0, 4, 7])
    func yearFromEveryLine(firstRunLines: Int) throws {
        let folder = TemporaryFolder()
        let sink = DaySink()
        let ingestor = Ingestor(sink: sink, options: Self.small(64, commit: 64))
        if firstRunLines > 0 {
            let path = folder.write("mail.log", Self.yearLog[..<firstRunLines].joined(separator: "\n") + "\n")
            try Self.setModified(path, year: 2026, month: 8, day: 1)
            _ = try ingestor.run(paths: [path])
        }
        let path = folder.write("mail.log", Self.yearLog.joined(separator: "\n") + "\n")
        try Self.setModified(path, year: 2027, month: 1, day: 5)
        _ = try ingestor.run(paths: [path])
        #expect(sink.days["annv@namdinh.gov.vn"] == [Int32(CivilTime.days(year: 2026, month: 1, day: 10))])
        #expect(sink.days["binhtt@namdinh.gov.vn"] == [Int32(CivilTime.days(year: 2026, month: 12, day: 20))])
    }

    @Test(
        "one full-date line with a wrong year in a classic file moves neither the rest nor the checkpoint",
        arguments: [false, true])
    func wrongYearLine(resumeAfterIt: Bool) throws {
        let folder = TemporaryFolder()
        let sink = DaySink()
        let ingestor = Ingestor(sink: sink, options: Self.small(64, commit: 64))
        let before = [
            "Nov 25 09:00:00 mail dovecot: imap-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5",
            "2003-01-01T00:00:05+07:00 mail postfix/smtpd[1]: connect from pc[10.0.0.5]",
        ]
        let after = [
            "Nov 26 09:00:00 mail postfix/smtpd[1]: connect from pc[10.0.0.5]",
            "Nov 27 09:00:00 mail dovecot: imap-login: Login: user=<binhtt@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.6",
        ]
        if resumeAfterIt {
            let path = folder.write("mail.log", before.joined(separator: "\n") + "\n")
            try Self.setModified(path, year: 2026, month: 11, day: 26)
            _ = try ingestor.run(paths: [path])
            let saved = try #require(sink.files.values.first?.lastLocalTime)
            #expect(CivilTime.date(days: Int(saved / 86_400)).year == 2026)
        }
        let path = folder.write("mail.log", (before + after).joined(separator: "\n") + "\n")
        try Self.setModified(path, year: 2026, month: 11, day: 28)
        _ = try ingestor.run(paths: [path])
        #expect(sink.days["annv@namdinh.gov.vn"] == [Int32(CivilTime.days(year: 2026, month: 11, day: 25))])
        #expect(sink.days["binhtt@namdinh.gov.vn"] == [Int32(CivilTime.days(year: 2026, month: 11, day: 27))])
        let saved = try #require(sink.files.values.first?.lastLocalTime)
        #expect(CivilTime.date(days: Int(saved / 86_400)) == (2026, 11, 27))
    }

    @Test("without the lines between, the later login is put in the year before (what the filler prevents)")
    func yearWithoutFiller() throws {
        let folder = TemporaryFolder()
        let sink = DaySink()
        let path = folder.write("mail.log", [Self.yearLog.first!, Self.yearLog.last!].joined(separator: "\n") + "\n")
        try Self.setModified(path, year: 2027, month: 1, day: 5)
        _ = try Ingestor(sink: sink, options: Self.options).run(paths: [path])
        #expect(sink.days["binhtt@namdinh.gov.vn"] == [Int32(CivilTime.days(year: 2025, month: 12, day: 20))])
    }

    /// The synthetic log with From headers logged by cleanup: good ones on the originals and on
    /// the content filter's copies, and an undecodable one.
    static let withHeaders: String = {
        var lines: [String] = []
        for line in whole.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(String(line))
            // After each message's client line, its From header.
            guard line.contains(": client="), let idStart = line.range(of: "]: ")?.upperBound,
                let idEnd = line.range(of: ": client=")?.lowerBound
            else { continue }
            let id = line[idStart..<idEnd]
            let stamp = line.prefix(15)
            let bad = id.hasSuffix("00000010")
            let value =
                bad ? "=?x-unknown?B?AAAA?= <x@gmail.com>" : "=?UTF-8?B?TMOqIEPDtG5nIFF1w6Ju?= <Friend@Gmail.com>"
            lines.append(
                "\(stamp) mail postfix/cleanup[11]: \(id): info: header From: \(value) from pc[10.0.0.5]; "
                    + "from=<friend@gmail.com> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<pc>")
        }
        // Two hours later, so that every message is past the hop window.
        lines.insert(
            "Nov 20 23:59:00 mail dovecot: imap-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN",
            at: lines.count - 1)
        return lines.joined(separator: "\n")
    }()

    @Test("From names: once per message, bad headers counted apart with samples; killed at any commit, the same")
    func displayNames() throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.withHeaders)
        let sink = MemorySink()
        let report = try Ingestor(sink: sink, options: Self.options).run(paths: [path])
        let outcome = try #require(report.files.first)
        // 200 messages, 150 with a client line, each with a header (and the 50 copies, not counted again).
        #expect(sink.totals.displayNames == ["friend@gmail.com|le cong quan": 149])
        #expect(sink.totals.statistics.displayNames == 149)
        #expect(sink.totals.statistics.unreadableHeaders == 1)
        #expect(sink.totals.statistics.messages == (try Self.reference()).statistics.messages)
        #expect(outcome.unreadableHeaders == 1)
        #expect(outcome.unrecognised == 0)
        #expect(outcome.headerSamples.count == 1)
        #expect(outcome.headerSamples.first?.hasPrefix("\(path):") == true)
        #expect(outcome.headerSamples.first?.hasSuffix(": From header not recorded (undecodable text)") == true)
        #expect(outcome.headerSamples.first?.contains("gmail") == false)
        let probe = MemorySink()
        _ = try Ingestor(sink: probe, options: Self.small()).run(paths: [path])
        #expect(probe.totals == sink.totals)
        for failAfter in stride(from: 0, to: probe.commits, by: 3) {
            let crashing = MemorySink()
            crashing.failAfter = failAfter
            #expect(throws: MemorySink.Crash.self) {
                try Ingestor(sink: crashing, options: Self.small()).run(paths: [path])
            }
            crashing.failAfter = nil
            _ = try Ingestor(sink: crashing, options: Self.small()).run(paths: [path])
            #expect(crashing.totals == sink.totals, "crash after \(failAfter) commits")
        }
    }

    @Test("rotated sets are read oldest first")
    func order() {
        #expect(
            RotatedSet.order(["mail.log", "mail.log.1", "mail.log.10.gz", "mail.log.2.gz", "other.log", "mail.log.1"])
                == ["mail.log.10.gz", "mail.log.2.gz", "mail.log.1", "mail.log", "other.log"])
        #expect(
            RotatedSet.order(["maillog", "maillog-20261124.gz", "maillog-20261117.gz"])
                == ["maillog-20261117.gz", "maillog-20261124.gz", "maillog"])
    }
}

/// Records the days of each commit's daily rows, and keeps the rows in a `MemorySink`.
final class DaysSink: IngestSink, @unchecked Sendable {
    // `@unchecked Sendable`: an ingest commits on one thread at a time, and the test reads after it.
    let memory = MemorySink()
    var days: [Set<Int32>] = []

    func checkpoints(lineHash: String) throws -> [FileCheckpoint] { try memory.checkpoints(lineHash: lineHash) }
    func correlatorState() throws -> Correlator.State? { try memory.correlatorState() }
    func commit(_ batch: IngestBatch) throws {
        days.append(Set(batch.activity.days.keys.map(\.day)))
        try memory.commit(batch)
    }
}
