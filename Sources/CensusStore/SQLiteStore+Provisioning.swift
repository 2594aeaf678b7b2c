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

    public func unconfirmedCreations() throws -> Set<String> {
        try read("read the provisioning journal") { db in
            Set(try String.fetchAll(db, sql: "SELECT employee_id FROM provisioning_journal WHERE confirmed_at IS NULL"))
        }
    }

    public func recordAssignment(employeeID: String, address: String) throws {
        try write("record a provisioned address") { db in
            try db.execute(
                sql: """
                    INSERT INTO provisioning_journal (employee_id, address, recorded_at) VALUES (?, ?, ?)
                    ON CONFLICT (employee_id) DO UPDATE SET address = excluded.address, confirmed_at = NULL
                    """, arguments: [employeeID, address, Int64(Date().timeIntervalSince1970)])
        }
    }

    public func confirmCreation(employeeID: String) throws {
        try write("confirm a provisioned account") { db in
            try db.execute(
                sql: "UPDATE provisioning_journal SET confirmed_at = ? WHERE employee_id = ?",
                arguments: [Int64(Date().timeIntervalSince1970), employeeID])
        }
    }
}
