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

extension SQLiteStore {
    /// The last day each address logged in or submitted mail (day numbers).
    public func lastActiveDays() throws -> [String: Int] {
        try read("read the last activity of each address") { db in
            var addresses: [Int64: String] = [:]
            let names = try Row.fetchCursor(db, sql: "SELECT id, address FROM address")
            while let row = try names.next() { addresses[row[0]] = row[1] }
            var result: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: Self.lastActiveSQL, arguments: [Int(Int32.max)])
            while let row = try rows.next() {
                if let address = addresses[row[0]] { result[address] = row[1] }
            }
            return result
        }
    }
}
