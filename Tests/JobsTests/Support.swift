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

    /// The capture's people: annv declared his Gmail, minhvq's mailbox forwards to Gmail,
    /// tuyenld left, and E11 has no address.
    static let roster = """
        employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date
        E1,Nguyễn Văn An,STTTT,,province,Chuyên viên,annv@namdinh.gov.vn,friend.an@gmail.com,active,,
        E2,Trần Thị Bình,STTTT,,province,Chuyên viên,binhtt@namdinh.gov.vn,,active,,
        E3,Phạm Quốc Cường,SNV,,province,Trưởng phòng,cuongpq@namdinh.gov.vn,,active,,
        E4,Lê Thị Dung,SNV,,province,Chuyên viên,dunglt@namdinh.gov.vn,,active,,
        E5,Nguyễn Xuân Hoà,SYT,,province,Chuyên viên,hoanx@namdinh.gov.vn,hoanx.personal@gmail.com,active,,
        E6,Phạm Thị Lan,SYT,,province,Chuyên viên,lanpt@namdinh.gov.vn,,active,,
        E7,Vũ Quang Minh,SYT,,province,Chuyên viên,minhvq@namdinh.gov.vn,,active,,
        E8,Bùi Thị Ngọc,STTTT,,province,Chuyên viên,ngocbt@namdinh.gov.vn,,active,,
        E9,Hoàng Ngọc Thu,STTTT,,province,Chuyên viên,thuhn@stttt.namdinh.gov.vn,,active,,
        E10,Lê Đức Tuyển,SNV,,province,Chuyên viên,tuyenld@namdinh.gov.vn,,left,,
        E11,Trịnh Văn Thanh,SNV,,province,Chuyên viên,,,active,,

        """

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
