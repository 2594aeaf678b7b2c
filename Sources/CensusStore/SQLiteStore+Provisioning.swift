import Foundation
import GRDB
public import Provisioning

extension SQLiteStore: ProvisioningJournal {
    public func assignedAddresses() throws -> [String: String] {
        try read("read the provisioning journal") { db in
            var result: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT employee_id, address FROM provisioning_journal")
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }

    public func recordAssignment(employeeID: String, address: String) throws {
        try write("record a provisioned address") { db in
            try db.execute(
                sql: """
                    INSERT INTO provisioning_journal (employee_id, address, recorded_at) VALUES (?, ?, ?)
                    ON CONFLICT (employee_id) DO UPDATE SET address = excluded.address
                    """, arguments: [employeeID, address, Int64(Date().timeIntervalSince1970)])
        }
    }
}
