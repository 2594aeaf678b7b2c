public import Basics
public import Curl
import Foundation

/// Modoboa's REST API (`/api/v2`) as a `MailAdmin`.
///
/// Paths keep their trailing `/` (without it Modoboa answers 301, and a POST would be lost);
/// lists are read page by page; quotas travel as strings of MB (`"500"`). Answers are asked
/// for in English so that error texts are stable.
public struct ModoboaAdmin: MailAdmin {
    public let baseURL: String
    let token: Secret
    let client: HTTPClient

    /// - Parameter baseURL: the server, e.g. `https://mail.namdinh.gov.vn` (no `/api/v2`).
    public init(baseURL: String, token: Secret, client: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = client
    }

    // MARK: Wire shapes

    struct Page<Item: Decodable>: Decodable {
        let next: String?
        let results: [Item]
    }

    struct AccountJSON: Decodable {
        struct Mailbox: Decodable {
            let quota: String?
            let useDomainQuota: Bool?
            let quotaUsage: Int?
        }
        let pk: Int
        let username: String
        let firstName: String?
        let lastName: String?
        let isActive: Bool
        let mailbox: Mailbox?

        var account: MailAccount {
            let quota = mailbox?.useDomainQuota == true ? nil : mailbox?.quota.flatMap { Int($0) }
            return MailAccount(
                id: String(pk), address: username.lowercased(), firstName: firstName ?? "", lastName: lastName ?? "",
                isActive: isActive, quotaMB: quota == 0 ? nil : quota,
                usedMB: mailbox?.quotaUsage.map { $0 / (1024 * 1024) })
        }
    }

    struct AliasJSON: Decodable {
        let pk: Int
        let address: String
        let recipients: [String]
        let enabled: Bool

        var alias: MailAlias {
            MailAlias(id: String(pk), address: address.lowercased(), recipients: recipients, isEnabled: enabled)
        }
    }

    // MARK: MailAdmin

    public func accounts(domain: String) async throws -> [MailAccount] {
        let suffix = "@" + domain.lowercased()
        return try await list(AccountJSON.self, "/api/v2/accounts/?role=SimpleUsers&page_size=500")
            .map(\.account).filter { $0.address.hasSuffix(suffix) }
    }

    public func aliases(domain: String) async throws -> [MailAlias] {
        let query = domain.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? domain
        return try await list(AliasJSON.self, "/api/v2/aliases/?domain=\(query)&page_size=500").map(\.alias)
    }

    public func createAccount(_ account: NewAccount) async throws -> MailAccount {
        var body: [String: JSONValue] = [
            "username": .string(account.address), "first_name": .string(account.firstName),
            "last_name": .string(account.lastName), "role": .string("SimpleUsers"),
            "password": .string(account.password), "is_active": .bool(true),
        ]
        if let quota = account.quotaMB {
            body["mailbox"] = .object(["use_domain_quota": .bool(false), "quota": .string("\(quota)M")])
        }
        let response = try await send(.post, "/api/v2/accounts/", body: body, subject: account.address)
        return try decode(AccountJSON.self, response, subject: account.address).account
    }

    public func updateAccount(id: String, address: String, _ changes: AccountChanges) async throws {
        var body: [String: JSONValue] = [:]
        if let value = changes.firstName { body["first_name"] = .string(value) }
        if let value = changes.lastName { body["last_name"] = .string(value) }
        if let value = changes.isActive { body["is_active"] = .bool(value) }
        if let quota = changes.quotaMB {
            body["mailbox"] = .object(["use_domain_quota": .bool(false), "quota": .string("\(quota)M")])
        }
        guard !body.isEmpty else { return }
        _ = try await send(.patch, "/api/v2/accounts/\(id)/", body: body, subject: address)
    }

    public func setPassword(id: String, address: String, password: String) async throws {
        _ = try await send(.patch, "/api/v2/accounts/\(id)/", body: ["password": .string(password)], subject: address)
    }

    public func createAlias(address: String, recipients: [String]) async throws -> MailAlias {
        let body: [String: JSONValue] = [
            "address": .string(address), "recipients": .array(recipients.map(JSONValue.string)),
            "enabled": .bool(true),
        ]
        let response = try await send(.post, "/api/v2/aliases/", body: body, subject: address)
        return try decode(AliasJSON.self, response, subject: address).alias
    }

    public func updateAlias(id: String, address: String, recipients: [String]) async throws {
        let body: [String: JSONValue] = ["recipients": .array(recipients.map(JSONValue.string))]
        _ = try await send(.patch, "/api/v2/aliases/\(id)/", body: body, subject: address)
    }

    // MARK: HTTP

    var headers: [(name: String, value: String)] {
        [("Authorization", "Token \(token.value)"), ("Accept", "application/json"), ("Accept-Language", "en")]
    }

    func list<Item: Decodable>(_ type: Item.Type, _ path: String) async throws -> [Item] {
        var items: [Item] = []
        var next: String? = baseURL + path
        while let url = next {
            let response = try await checked(HTTPRequest(.get, url, headers: headers), subject: baseURL)
            let page = try decode(Page<Item>.self, response, subject: baseURL)
            items += page.results
            next = page.next
        }
        return items
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: [String: JSONValue], subject: String) async throws
        -> HTTPResponse
    {
        try await checked(HTTPRequest.json(method, baseURL + path, body, headers: headers), subject: subject)
    }

    /// Sends, and turns a failure into a `ProvisioningError` with the server's answer.
    func checked(_ request: HTTPRequest, subject: String) async throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch let error as CurlError {
            throw ProvisioningError(.unavailable, subject: subject, "the mail server did not answer: \(error)")
        }
        switch response.status {
        case 200..<300:
            return response
        case 401, 403:
            throw ProvisioningError(
                .unauthorized, subject: baseURL,
                "the server refused the admin token (\(response.status) \(response.excerpt)); check the token")
        case 400..<500:
            throw ProvisioningError(
                .rejected, subject: subject, "the server refused: \(response.status) \(response.excerpt)")
        default:
            throw ProvisioningError(
                .unavailable, subject: subject,
                "the server failed after \(response.attempts) attempt(s): \(response.status) \(response.excerpt)")
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse, subject: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: response.body)
        } catch {
            throw ProvisioningError(
                .unavailable, subject: subject, "the server's answer is not what Modoboa sends: \(response.excerpt)")
        }
    }
}

/// A JSON value, for request bodies built field by field.
enum JSONValue: Encodable, Sendable {
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
