public import Foundation

/// The project's SMTP test server (`Scripts/smtp-test-server.sh`), and what it received.
public enum SMTPTestServer {
    /// SMTP_TEST_*, from the environment or `Scripts/smtp-test-server.sh env`.
    public static let settings = TestServers.settings(
        prefix: "SMTP_TEST_", required: "SMTP_TEST_STARTTLS_URL", script: "smtp-test-server.sh")

    /// What the server read of a message it received (its `N.json`).
    public struct Received: Decodable, Sendable {
        public struct File: Decodable, Sendable {
            public let filename: String?
            public let contentType: String
            public let size: Int
            public let sha256: String
        }
        public let mailFrom: String
        public let rcptTos: [String]
        public let tls: Bool
        public let user: String?
        public let subject: String
        public let fromName: String?
        public let messageId: String?
        public let autoSubmitted: String?
        public let text: String?
        public let html: String?
        public let attachments: [File]
        public let defects: [String]
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The messages whose summary holds `tag` (a test's own, in the Message-ID or the sender),
    /// in the order received, each with its bytes as they arrived.
    public static func received(tag: String) throws -> [(summary: Received, raw: Data)] {
        guard let spool = settings["SMTP_TEST_SPOOL"] else {
            throw Unavailable(description: "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var result: [(Received, Data)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: spool).sorted() where name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(spool)/\(name)"))
            guard String(decoding: data, as: UTF8.self).contains(tag) else { continue }
            let raw = try Data(contentsOf: URL(fileURLWithPath: "\(spool)/\(name.dropLast(5)).eml"))
            result.append((try decoder.decode(Received.self, from: data), raw))
        }
        return result
    }

    /// A tag no other test uses.
    public static func tag() -> String { "t" + UUID().uuidString.lowercased().filter(\.isLetter).prefix(12) }
}
