import Census
import Foundation
import Jobs
import Synchronization
import TestSupport

/// A job log that keeps its lines, for a test to read.
final class CollectedLog: Sendable {
    private let collected = Mutex<[String]>([])

    var lines: [String] { collected.withLock { $0 } }

    var log: JobLog { JobLog { line in self.collected.withLock { $0.append(line) } } }
}

/// The logs of the real Postfix and Dovecot (`Logs/captured`), their province's people, and
/// policies for them, in a temporary folder.
struct Captured {
    let folder = TemporaryFolder()

    static let log = TestServers.root.appendingPathComponent("Logs/captured/mail.log").path

    static let roster = CapturedProvince.roster

    var store: StoreAccess { StoreAccess(location: folder.path("store.sqlite")) }
    var rosterPath: String { folder.write("roster.csv", Self.roster) }

    /// The capture's province, with `extra` YAML lines (nightly, report, relay settings).
    func configuration(_ extra: String = "") throws -> Configuration {
        let path = folder.write(
            "policy.yaml",
            """
            province: Nam Định
            utc_offset: "+07:00"
            official_domains: [namdinh.gov.vn]
            login_domain: namdinh.gov.vn
            departments:
              - {code: STTTT, name: Sở Thông tin và Truyền thông, heads: [annv@namdinh.gov.vn]}
              - {code: SNV, name: Sở Nội vụ, heads: [cuongpq@namdinh.gov.vn]}
              - {code: SYT, name: Sở Y tế, heads: [lanpt@namdinh.gov.vn]}

            """ + extra)
        return try Configuration.load(path: path)
    }

    /// The store with the capture ingested.
    func ingested(_ configuration: Configuration) throws -> StoreAccess {
        _ = try IngestJob(files: [Self.log]).run(
            policy: configuration.policy, store: try store.open(mustExist: false), log: .discarding)
        return store
    }
}
