import Foundation

/// Where provisioning remembers the addresses it gave, so that a run that stopped midway (a
/// crash, the server down) resumes without creating anyone twice.
///
/// An address is recorded before its account is created: a rerun gives the same person the
/// same address, and finds the account if the server did create it.
public protocol ProvisioningJournal: Sendable {
    /// Addresses given so far, by employee id.
    func assignedAddresses() throws -> [String: String]
    func recordAssignment(employeeID: String, address: String) throws
}

/// Where initial passwords go: a file for HR, never the terminal, a log or the store.
public protocol PasswordSink: AnyObject {
    func record(employeeID: String, address: String, password: String) throws
}

/// Initial passwords from the system's CSPRNG that meet the server's rules: 16 characters with
/// upper and lower case letters, digits and symbols, without look-alikes (0/O, 1/l/I).
public enum InitialPassword {
    static let lower = Array("abcdefghijkmnpqrstuvwxyz")
    static let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let digits = Array("23456789")
    static let symbols = Array("!#%+-=?@_")

    public static func make(length: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        let all = lower + upper + digits + symbols
        var characters = [lower, upper, digits, symbols].map { $0.randomElement(using: &generator)! }
        while characters.count < length { characters.append(all.randomElement(using: &generator)!) }
        characters.shuffle(using: &generator)
        return String(characters)
    }
}

/// What `apply` did.
public struct ApplyReport: Sendable {
    public struct Failure: Sendable {
        public var address: String
        public var action: String
        public var message: String
    }

    public var created: [String] = []
    public var updated: [String] = []
    public var disabled: [String] = []
    public var failures: [Failure] = []
}

extension ProvisioningPlan {
    /// Carries out the plan: creates (passwords to `passwords` only), updates, disables. One
    /// failing account never stops the others; each failure keeps the server's answer.
    ///
    /// - Throws: only what the journal or the password file throw (then nothing further is tried).
    public func apply(
        with admin: any MailAdmin, journal: any ProvisioningJournal, passwords: any PasswordSink
    ) async throws -> ApplyReport {
        var report = ApplyReport()
        for item in creates {
            try journal.recordAssignment(employeeID: item.employeeID, address: item.address)
            let password = InitialPassword.make()
            do {
                _ = try await admin.createAccount(
                    NewAccount(
                        address: item.address, firstName: item.firstName, lastName: item.lastName, password: password,
                        quotaMB: item.quotaMB))
                try passwords.record(employeeID: item.employeeID, address: item.address, password: password)
                report.created.append(item.address)
            } catch let error as ProvisioningError {
                report.failures.append(.init(address: item.address, action: "create", message: error.message))
            }
        }
        for item in updates {
            do {
                try await admin.updateAccount(id: item.accountID, address: item.address, item.changes)
                report.updated.append(item.address)
            } catch let error as ProvisioningError {
                report.failures.append(.init(address: item.address, action: "update", message: error.message))
            }
        }
        for item in disables {
            do {
                try await admin.updateAccount(
                    id: item.accountID, address: item.address, AccountChanges(isActive: false))
                report.disabled.append(item.address)
            } catch let error as ProvisioningError {
                report.failures.append(.init(address: item.address, action: "disable", message: error.message))
            }
        }
        return report
    }
}

/// Initial passwords in a CSV file of mode 0600 for HR: `employee_id,address,password`.
public final class PasswordFile: PasswordSink {
    public let path: String
    private let handle: FileHandle

    /// Creates the file; refuses one that exists (passwords are never overwritten or appended
    /// to a file someone else may read).
    public init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ProvisioningError(
                .rejected, subject: path,
                "cannot create the password file (\(String(cString: strerror(errno)))); name a new file")
        }
        fchmod(descriptor, 0o600)
        self.path = path
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        handle.write(Data("employee_id,address,password\n".utf8))
    }

    public func record(employeeID: String, address: String, password: String) throws {
        let cells = [employeeID, address, password].map { cell in
            cell.contains(where: { ",\"\n".contains($0) })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        handle.write(Data((cells.joined(separator: ",") + "\n").utf8))
    }
}
