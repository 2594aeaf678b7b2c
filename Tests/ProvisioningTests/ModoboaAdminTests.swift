import Basics
import Curl
import Foundation
import Provisioning
import TestSupport
import Testing

/// Against a real Modoboa on 127.0.0.1, started by `Scripts/modoboa.sh up` (`make test` does).
@Suite("Modoboa admin API, for real", .tags(.modoboa), .needs(.modoboa))
struct ModoboaAdminTests {
    /// Where the server is: the environment, or what `Scripts/modoboa.sh env` says.
    static let settings = TestServers.settings(prefix: "MODOBOA_", required: "MODOBOA_URL", script: "modoboa.sh")

    static let domain = settings["MODOBOA_DOMAIN"] ?? "namdinh.gov.vn"

    /// The admin API of the running server; fails with what to do when there is none.
    static func admin(token: Secret? = nil) async throws -> ModoboaAdmin {
        let url = try #require(settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let secret = try token ?? Secret.load(variable: "MODOBOA_TOKEN", file: settings["MODOBOA_TOKEN_FILE"])
        let admin = ModoboaAdmin(
            baseURL: url, token: secret, client: HTTPClient(timeout: 30, retry: RetryPolicy(baseDelay: 0.2)))
        do {
            _ = try await admin.aliases(domain: domain)
        } catch {
            Issue.record("Modoboa does not answer at \(url) (\(error)): run `bash Scripts/modoboa.sh up`")
            throw error
        }
        return admin
    }

    static func unique(_ prefix: String) -> String {
        "\(prefix)\(UUID().uuidString.prefix(8).lowercased())@\(domain)"
    }

    @Test("create, read back with Vietnamese names, update, disable")
    func accountLifecycle() async throws {
        let admin = try await Self.admin()
        let address = Self.unique("nguyet")
        let created = try await admin.createAccount(
            NewAccount(
                address: address, firstName: "Thị Ánh Nguyệt", lastName: "Nguyễn", password: "Xk9!vQ2#pLm7wZ",
                quotaMB: 500))
        #expect(created.address == address)
        var listed = try #require(try await admin.accounts(domain: Self.domain).first { $0.address == address })
        #expect(listed.firstName == "Thị Ánh Nguyệt" && listed.lastName == "Nguyễn")
        #expect(listed.quotaMB == 500 && listed.isActive)
        try await admin.updateAccount(id: listed.id, address: address, AccountChanges(firstName: "Ánh", quotaMB: 1024))
        try await admin.updateAccount(id: listed.id, address: address, AccountChanges(isActive: false))
        listed = try #require(try await admin.accounts(domain: Self.domain).first { $0.address == address })
        #expect(listed.firstName == "Ánh" && listed.quotaMB == 1024 && !listed.isActive)
    }

    @Test("a duplicate address is refused with the server's answer, naming the account")
    func duplicate() async throws {
        let admin = try await Self.admin()
        let address = Self.unique("annv")
        let account = NewAccount(
            address: address, firstName: "Văn An", lastName: "Nguyễn", password: "Xk9!vQ2#pLm7wZ", quotaMB: nil)
        _ = try await admin.createAccount(account)
        await #expect {
            _ = try await admin.createAccount(account)
        } throws: { error in
            guard let error = error as? ProvisioningError else { return false }
            return error.code == .rejected && error.description.hasPrefix(address)
                && error.description.contains("already")
        }
    }

    @Test("a bad token: one clear error, and the token is not in it")
    func badToken() async throws {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let token = "0000000000000000000000000000000000000bad"
        let admin = ModoboaAdmin(
            baseURL: url, token: try Secret.load(variable: "T", file: nil, environment: ["T": token]),
            client: HTTPClient())
        await #expect {
            _ = try await admin.accounts(domain: Self.domain)
        } throws: { error in
            guard let error = error as? ProvisioningError else { return false }
            return error.code == .unauthorized && error.description.contains("401")
                && !error.description.contains(token)
        }
    }

    @Test("aliases: create, change recipients, list")
    func aliases() async throws {
        let admin = try await Self.admin()
        let first = Self.unique("a")
        let second = Self.unique("b")
        for address in [first, second] {
            _ = try await admin.createAccount(
                NewAccount(address: address, firstName: "A", lastName: "B", password: "Xk9!vQ2#pLm7wZ", quotaMB: nil))
        }
        let alias = Self.unique("vanphong")
        let created = try await admin.createAlias(address: alias, recipients: [first])
        try await admin.updateAlias(id: created.id, address: alias, recipients: [first, second])
        let listed = try #require(try await admin.aliases(domain: Self.domain).first { $0.address == alias })
        #expect(Set(listed.recipients) == [first, second])
    }

    @Test("the naming rule steps around addresses the server already has")
    func collisionWithServer() async throws {
        let admin = try await Self.admin()
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(6))
        let template = try AddressTemplate("{given}{initials}" + tag)
        var allocator = AddressAllocator(template: template, domain: Self.domain, taken: [])
        let existing = allocator.addresses(for: [("E1", "Nguyễn Văn An")])["E1"]!
        _ = try await admin.createAccount(
            NewAccount(
                address: existing, firstName: "Văn An", lastName: "Nguyễn", password: "Xk9!vQ2#pLm7wZ", quotaMB: nil))
        let taken = Set(try await admin.accounts(domain: Self.domain).map(\.address))
        var fresh = AddressAllocator(template: template, domain: Self.domain, taken: taken)
        let next = fresh.addresses(for: [("E2", "Ngô Việt An")])["E2"]!
        #expect(next == existing.replacingOccurrences(of: "@", with: "2@"))
    }
}
