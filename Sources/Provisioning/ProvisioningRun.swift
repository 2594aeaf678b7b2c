import Census
import Foundation

/// Where provisioning remembers the addresses it gave, so that a run that stopped midway (a
/// crash, the server down) resumes without creating anyone twice.
///
/// An address is recorded before its account is created, and the creation confirmed once the
/// initial password is in HR's file: a rerun gives the same person the same address, finds the
/// account if the server did create it, and gives it a new password if the first was lost.
public protocol ProvisioningJournal: Sendable {
    /// Addresses given so far, by employee id.
    func assignedAddresses() throws -> [String: String]
    /// Employee ids whose account was being created when a run stopped: the server may have
    /// created it without its password reaching HR.
    func unconfirmedCreations() throws -> Set<String>
    /// Records the address given to `employeeID`, unconfirmed, before the account is created.
    func recordAssignment(employeeID: String, address: String) throws
    /// The account exists and its initial password is in HR's file.
    func confirmCreation(employeeID: String) throws
}

/// Where initial passwords go: a file for HR, never the terminal, a log or the store.
public protocol PasswordSink: AnyObject {
    func record(employeeID: String, address: String, password: String) throws
}

/// Initial passwords from the system's CSPRNG that meet the server's rules: 16 characters with
/// upper and lower case letters, digits and symbols, without look-alikes (0/O, 1/l/I), and a
/// letter first.
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
        // A letter first: a password starting `=`, `+`, `-` or `@` would be a formula in HR's
        // spreadsheet, and a `'` to stop it would change the password.
        if let letter = characters.firstIndex(where: { $0.isLetter }) { characters.swapAt(0, letter) }
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
    /// Accounts an earlier run created whose initial password was lost: given a new one.
    public var passwordsReset: [String] = []
    public var updated: [String] = []
    /// Department lists created or changed.
    public var lists: [String] = []
    public var disabled: [String] = []
    public var failures: [Failure] = []
}

extension ProvisioningPlan {
    /// Carries out the plan: creates (passwords to `passwords` only), gives lost initial
    /// passwords anew, updates, brings department lists in line, disables. One
    /// account the server refuses never stops the others; each failure keeps the server's
    /// answer. A server that stops answering ends the run: the rest is reported as not tried.
    ///
    /// - Throws: only what the journal or the password file throw (then nothing further is tried).
    public func apply(
        with admin: any MailAdmin, journal: any ProvisioningJournal, passwords: any PasswordSink
    ) async throws -> ApplyReport {
        var report = ApplyReport()
        /// Set when the server stops answering: what is left is not tried (a rerun resumes).
        var unavailable: String?
        func attempt(_ address: String, _ action: String, _ work: () async throws -> Void) async rethrows -> Bool {
            if let unavailable {
                report.failures.append(.init(address: address, action: action, message: "not tried: \(unavailable)"))
                return false
            }
            do {
                try await work()
                return true
            } catch let error as ProvisioningError {
                report.failures.append(.init(address: address, action: action, message: error.message))
                if error.code == .unavailable { unavailable = "the server stopped answering" }
                return false
            }
        }
        // Lists name only accounts that exist: not those whose creation failed.
        var notCreated: Set<String> = []
        for item in creates {
            try journal.recordAssignment(employeeID: item.employeeID, address: item.address)
            let password = InitialPassword.make()
            let created = try await attempt(item.address, "create") {
                _ = try await admin.createAccount(
                    NewAccount(
                        address: item.address, firstName: item.firstName, lastName: item.lastName, password: password,
                        quotaMB: item.quotaMB))
            }
            if created {
                try passwords.record(employeeID: item.employeeID, address: item.address, password: password)
                try journal.confirmCreation(employeeID: item.employeeID)
                report.created.append(item.address)
            } else {
                notCreated.insert(item.address)
            }
        }
        for item in resets {
            let password = InitialPassword.make()
            let reset = try await attempt(item.address, "set the initial password") {
                try await admin.setPassword(id: item.accountID, address: item.address, password: password)
            }
            if reset {
                try passwords.record(employeeID: item.employeeID, address: item.address, password: password)
                try journal.confirmCreation(employeeID: item.employeeID)
                report.passwordsReset.append(item.address)
            }
        }
        for item in updates {
            let updated = try await attempt(item.address, "update") {
                try await admin.updateAccount(id: item.accountID, address: item.address, item.changes)
            }
            if updated { report.updated.append(item.address) }
        }
        for item in lists {
            let recipients = item.recipients.filter { !notCreated.contains($0) }
            guard !recipients.isEmpty else { continue }
            let changed = try await attempt(item.address, item.aliasID == nil ? "create the list" : "update the list") {
                if let id = item.aliasID {
                    try await admin.updateAlias(id: id, address: item.address, recipients: recipients)
                } else {
                    _ = try await admin.createAlias(address: item.address, recipients: recipients)
                }
            }
            if changed { report.lists.append(item.address) }
        }
        for item in disables {
            let disabled = try await attempt(item.address, "disable") {
                try await admin.updateAccount(
                    id: item.accountID, address: item.address, AccountChanges(isActive: false))
            }
            if disabled { report.disabled.append(item.address) }
        }
        return report
    }
}

/// Initial passwords in a CSV file of mode 0600 for HR: `employee_id,address,password`.
///
/// A write that fails (a full disk) is an error naming the file, never a crash: the run stops,
/// and the account whose password was not kept gets one anew on the next run (its creation is
/// not confirmed in the journal).
public final class PasswordFile: PasswordSink {
    public let path: String
    private let handle: FileHandle

    /// Creates the file; refuses one that exists (passwords are never overwritten or appended
    /// to a file someone else may read).
    ///
    /// - Parameter byteOrderMark: start it with the UTF-8 byte-order mark, for Excel.
    public convenience init(path: String, byteOrderMark: Bool = false) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ProvisioningError(
                .rejected, subject: path,
                "cannot create the password file (\(String(cString: strerror(errno)))); name a new file")
        }
        fchmod(descriptor, 0o600)
        try self.init(descriptor: descriptor, path: path, byteOrderMark: byteOrderMark)
    }

    /// The file open on `descriptor` (closed with this object), its header written.
    init(descriptor: Int32, path: String, byteOrderMark: Bool) throws {
        self.path = path
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try write(
            (byteOrderMark ? "\u{FEFF}" : "") + "employee_id,address,password\n", what: "the header",
            then: "make room and name a new file")
    }

    public func record(employeeID: String, address: String, password: String) throws {
        // The password as it is (a `'` would change it); the roster's values neutralised.
        let cells = [
            CSVCell.escape(employeeID), CSVCell.escape(address), CSVCell.escape(password, neutralisingFormulas: false),
        ]
        try write(
            cells.joined(separator: ",") + "\n", what: "the initial password of \(address)",
            then: "the run stops here, and the next run gives that account a new initial password")
    }

    /// Writes `text` and puts it on disk (before the journal says HR has it).
    private func write(_ text: String, what: String, then advice: String) throws {
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            throw ProvisioningError(
                .rejected, subject: path,
                "cannot write \(what) to the password file (\(ErrorText.reason(error))); \(advice)")
        }
    }
}
