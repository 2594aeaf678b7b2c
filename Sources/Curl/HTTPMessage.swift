public import Foundation

/// An HTTP request: method, URL, headers and an optional body.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    public var method: Method
    public var url: String
    /// Header names and values. Values are never logged or put in errors.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(_ method: Method, _ url: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A request with a JSON body.
    public static func json(
        _ method: Method, _ url: String, _ value: some Encodable, headers: [(name: String, value: String)] = []
    ) throws -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return HTTPRequest(
            method, url, headers: headers + [("Content-Type", "application/json")], body: try encoder.encode(value))
    }
}

/// An HTTP response: status, headers (names in lower case) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// How many times the request was sent before this answer.
    public var attempts: Int

    public init(status: Int, headers: [String: String], body: Data, attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as JSON.
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: body)
    }

    /// The body as text, shortened, for error messages.
    public var excerpt: String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        return body.count > 300 ? text + "…" : text
    }
}
