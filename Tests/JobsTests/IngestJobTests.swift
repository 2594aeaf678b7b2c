import Basics
import Census
import CensusStore
import Foundation
import Jobs
import MailLog
import TestSupport
import Testing

@Suite("IngestJob: logs into the store")
struct IngestJobTests {
    let captured = Captured()

    @Test("the capture read once; a rerun reads nothing new; the summary says what was read")
    func incremental() throws {
        let policy = try captured.configuration().policy
        let store = try captured.store.open(mustExist: false)
        let log = CollectedLog()
        let first = try IngestJob(files: [Captured.log]).run(policy: policy, store: store, log: log.log)
        #expect(first.anythingReadable)
        #expect(first.statistics.linesRead > 100)
        #expect(first.statistics.logins > 0)
        let summary = IngestText.summary(first, store: store.location, source: IngestSource.defaultName)
        #expect(
            summary.hasPrefix(
                "Ingested \(first.statistics.linesRead) new lines from 1 file(s) into \(store.location).\n"),
            "\(summary)")
        let again = try IngestJob(files: [Captured.log]).run(policy: policy, store: store, log: log.log)
        #expect(again.statistics.linesRead == 0)
        #expect(
            IngestText.summary(again, store: store.location, source: "portal").hasPrefix(
                "Ingested 0 new lines from 0 file(s), 1 unchanged into \(store.location) (source portal).\n"))
        #expect(log.lines.isEmpty, "\(log.lines)")
    }

    @Test("a file that cannot be read is in the report and the log; the others are read")
    func unreadable() throws {
        let policy = try captured.configuration().policy
        let store = try captured.store.open(mustExist: false)
        let log = CollectedLog()
        let missing = captured.folder.path("gone.log")
        let report = try IngestJob(files: [missing, Captured.log]).run(policy: policy, store: store, log: log.log)
        #expect(report.anythingReadable)
        #expect(report.files.filter { $0.status == .failed }.count == 1)
        #expect(log.lines.count == 1 && log.lines[0].hasPrefix("mailcensus: ") && log.lines[0].contains("gone.log"))
        let none = try IngestJob(files: [missing]).run(policy: policy, store: store, log: .discarding)
        #expect(!none.anythingReadable)
    }

    @Test("lines in no known format: counted, a few shown in the log")
    func unrecognised() throws {
        let policy = try captured.configuration().policy
        let path = captured.folder.write("odd.log", "not a log line\nneither is this\n")
        let log = CollectedLog()
        let report = try IngestJob(files: [path]).run(
            policy: policy, store: try captured.store.open(mustExist: false), log: log.log)
        #expect(report.statistics.linesUnrecognised == 2)
        #expect(log.lines.first == "mailcensus: \(path): skipped 2 line(s) in no known log format, e.g.:")
        #expect(log.lines.dropFirst().allSatisfy { $0.hasPrefix("  ") })
    }

    @Test("a store counting days at another UTC offset is refused, as bad usage, before anything is read")
    func otherOffset() throws {
        let policy = try captured.configuration().policy
        let store = try captured.store.open(mustExist: false)
        _ = try IngestJob(files: [Captured.log]).run(policy: policy, store: store, log: .discarding)
        var shifted = policy
        shifted.utcOffset = 8 * 3600
        let error = #expect(throws: JobError.self) {
            try IngestJob(files: [Captured.log]).run(policy: shifted, store: store, log: .discarding)
        }
        #expect(error?.code == .usage)
        #expect(
            error?.message
                == "the store counts days at UTC offset 7h but the policy says 8h; use a new store or fix utc_offset")
    }

    @Test(
        "the progress line's sizes",
        arguments: [
            (Int64(999), "999 B"), (1_500, "1.5 KB"), (312_000_000, "312 MB"), (1_500_000_000, "1.5 GB"),
        ])
    func bytes(count: Int64, text: String) {
        #expect(IngestText.bytes(count) == text)
    }
}
