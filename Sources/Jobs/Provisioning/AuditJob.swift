import Basics
import Census
import CensusStore
public import Provisioning

/// `mailcensus audit`: the roster against the server's accounts against the store's activity.
public struct AuditJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var server: AdminServer
    public var rosterPath: String
    /// Days without a login or submission after which an account is dormant.
    public var dormantDays: Int

    public init(
        configuration: Configuration, store: StoreAccess, server: AdminServer, rosterPath: String,
        dormantDays: Int = 90
    ) {
        self.configuration = configuration
        self.store = store
        self.server = server
        self.rosterPath = rosterPath
        self.dormantDays = dormantDays
    }

    /// The findings, for `AuditText`.
    public struct Result: Sendable {
        public var audit: Audit
        public var server: String
        public var domain: String
    }

    public func run(log: JobLog) async throws -> Result {
        let policy = configuration.policy
        let staff = try Inputs.roster(rosterPath, configuration: configuration, log: log)
        guard let domain = policy.officialDomains.first else { throw JobError(.stopped(.badInput)) }
        let admin = try server.admin()
        // An audit changes nothing: no store is created for it.
        let store = try store.openIfPresent()
        let audit = Audit(
            roster: staff.members, accounts: try await admin.accounts(domain: domain),
            assigned: try store?.assignedAddresses() ?? [:], lastActive: try store?.lastActiveDays() ?? [:],
            shared: Set(policy.departments.flatMap(\.shared)), today: CivilTime.today(offsetSeconds: policy.utcOffset),
            dormantDays: dormantDays)
        return Result(audit: audit, server: server.url, domain: domain)
    }
}
