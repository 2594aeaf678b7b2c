public import Basics

/// A mailbox account as the mail server has it.
public struct MailAccount: Sendable, Equatable {
    /// The server's own id for it.
    public var id: String
    public var address: String
    public var firstName: String
    public var lastName: String
    public var isActive: Bool
    /// Mailbox quota in MB; nil when the domain's default applies.
    public var quotaMB: Int?
    /// Space used, when the server reports it (MB).
    public var usedMB: Int?

    public init(
        id: String, address: String, firstName: String, lastName: String, isActive: Bool, quotaMB: Int?,
        usedMB: Int? = nil
    ) {
        self.id = id
        self.address = address
        self.firstName = firstName
        self.lastName = lastName
        self.isActive = isActive
        self.quotaMB = quotaMB
        self.usedMB = usedMB
    }
}

/// An alias or distribution list.
public struct MailAlias: Sendable, Equatable {
    public var id: String
    public var address: String
    public var recipients: [String]
    public var isEnabled: Bool

    public init(id: String, address: String, recipients: [String], isEnabled: Bool) {
        self.id = id
        self.address = address
        self.recipients = recipients
        self.isEnabled = isEnabled
    }
}

/// An account to create. The password goes to the server only.
public struct NewAccount: Sendable {
    public var address: String
    public var firstName: String
    public var lastName: String
    public var password: String
    public var quotaMB: Int?

    public init(address: String, firstName: String, lastName: String, password: String, quotaMB: Int?) {
        self.address = address
        self.firstName = firstName
        self.lastName = lastName
        self.password = password
        self.quotaMB = quotaMB
    }
}

/// Changes to an existing account; nil fields stay as they are.
public struct AccountChanges: Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var isActive: Bool?
    public var quotaMB: Int?

    public init(firstName: String? = nil, lastName: String? = nil, isActive: Bool? = nil, quotaMB: Int? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.isActive = isActive
        self.quotaMB = quotaMB
    }
}

/// A mail server's administration interface: what provisioning and audit need of it.
///
/// Modoboa's REST API is the first backend; Zimbra's SOAP admin API or others can be added
/// behind the same protocol. Nothing here deletes: leavers are disabled.
public protocol MailAdmin: Sendable {
    /// Every mailbox account of `domain`.
    func accounts(domain: String) async throws -> [MailAccount]
    /// Every alias of `domain`.
    func aliases(domain: String) async throws -> [MailAlias]
    func createAccount(_ account: NewAccount) async throws -> MailAccount
    func updateAccount(id: String, address: String, _ changes: AccountChanges) async throws
    /// Sets a new password (an initial password whose first copy was lost).
    func setPassword(id: String, address: String, password: String) async throws
    func createAlias(address: String, recipients: [String]) async throws -> MailAlias
    func updateAlias(id: String, address: String, recipients: [String]) async throws
}

/// A refusal or failure of the mail server, with its answer.
public struct ProvisioningError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The admin credentials were refused (401/403).
        case unauthorized
        /// The server refused the change (400, 404, 409): its answer says why.
        case rejected
        /// The server failed or did not answer.
        case unavailable
    }

    public var code: Code
    /// The account or alias concerned, or the server.
    public var subject: String
    public var message: String

    public init(_ code: Code, subject: String, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}

extension ProvisioningError: CommandFailure {
    /// The mail server refused or failed.
    public var isBadInput: Bool { false }
}
