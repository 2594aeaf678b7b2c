import Curl
import Foundation
import InMemoryLogging
import Logging
import Testing

@Suite("HTTP client on libcurl, against a real server on 127.0.0.1")
struct HTTPClientTests {
    static let fast = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 2)

    struct Echo: Decodable {
        let method: String
        let body: String
        let authorization: Bool
    }

    struct Calls: Decodable { let calls: Int }

    static func calls(_ server: FixtureServer, _ path: String) async throws -> Int {
        try await HTTPClient().send(HTTPRequest(.get, server.url("/calls" + path))).decode(Calls.self).calls
    }

    @Test("JSON goes out and comes back, Vietnamese intact")
    func roundTrip() async throws {
        let server = try FixtureServer()
        let request = try HTTPRequest.json(.patch, server.url("/echo"), ["first_name": "Nguyễn Thị Ánh Nguyệt"])
        let response = try await HTTPClient().send(request)
        #expect(response.status == 200)
        let echo = try response.decode(Echo.self)
        #expect(echo.method == "PATCH")
        #expect(echo.body == #"{"first_name":"Nguyễn Thị Ánh Nguyệt"}"#)
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test("5xx is retried until it succeeds")
    func retries5xx() async throws {
        let server = try FixtureServer()
        let response = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.post, server.url("/flaky/a/2")))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(try await Self.calls(server, "/flaky/a/2") == 3)
    }

    @Test("retries stop at the limit and the last answer is returned")
    func retriesExhausted() async throws {
        let server = try FixtureServer()
        let response = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.get, server.url("/flaky/b/10")))
        #expect(response.status == 503)
        #expect(response.attempts == 4)
        #expect(try await Self.calls(server, "/flaky/b/10") == 4)
    }

    @Test("429 waits as long as Retry-After says")
    func retryAfter() async throws {
        let server = try FixtureServer()
        let started = Date()
        let response = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.post, server.url("/throttle/x")))
        #expect(response.status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.95)
    }

    @Test("other 4xx are never retried")
    func noRetryOn404() async throws {
        let server = try FixtureServer()
        let response = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.delete, server.url("/missing")))
        #expect(response.status == 404)
        #expect(response.attempts == 1)
        #expect(response.excerpt.contains("No User matches"))
        #expect(try await Self.calls(server, "/missing") == 1)
    }

    @Test("a refused connection is retried, then one clear error naming the URL")
    func connectionRefused() async throws {
        // A port that was free a moment ago.
        let port = try FixtureServer().port
        try await Task.sleep(nanoseconds: 200_000_000)
        let url = "http://127.0.0.1:\(port)/echo"
        await #expect {
            _ = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.get, url))
        } throws: { error in
            guard let error = error as? CurlError else { return false }
            return error.code == .connection && error.description.hasPrefix(url)
        }
    }

    @Test("a request over its time limit fails as a timeout")
    func timeout() async throws {
        let server = try FixtureServer()
        let client = HTTPClient(timeout: 0.5, retry: RetryPolicy(maxAttempts: 1))
        await #expect {
            _ = try await client.send(HTTPRequest(.get, server.url("/slow")))
        } throws: { ($0 as? CurlError)?.code == .timeout }
    }

    @Test("TLS is verified by default; a CA file makes it pass; --insecure passes and warns")
    func tls() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curl-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days",
            "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl is needed to make a test certificate")
        let server = try FixtureServer(certificate: certificate, key: key)
        let url = server.url("/echo", scheme: "https")
        await #expect {
            _ = try await HTTPClient(retry: Self.fast).send(HTTPRequest(.get, url))
        } throws: { ($0 as? CurlError)?.code == .tls }
        let verified = try await HTTPClient(tls: TLSOptions(caFile: certificate)).send(HTTPRequest(.get, url))
        #expect(verified.status == 200)
        let logs = InMemoryLogHandler()
        let insecure = HTTPClient(tls: TLSOptions(insecure: true), logger: Logger(label: "test") { _ in logs })
        #expect(try await insecure.send(HTTPRequest(.get, url)).status == 200)
        #expect(logs.entries.contains { $0.level == .warning && "\($0.message)".contains("TLS verification is off") })
    }

    @Test("the Authorization header and the body never reach the log")
    func secretsStayOutOfLogs() async throws {
        let server = try FixtureServer()
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        let client = HTTPClient(retry: Self.fast, logger: logger)
        let token = "0123456789abcdef0123456789abcdef01234567"
        let request = HTTPRequest(
            .post, server.url("/flaky/s/1"), headers: [("Authorization", "Token \(token)")],
            body: Data(#"{"password":"S3cret-Passw0rd"}"#.utf8))
        let response = try await client.send(request)
        #expect(response.status == 200)
        #expect(!logs.entries.isEmpty)
        for entry in logs.entries {
            let text = "\(entry.message) \(entry.metadata)"
            #expect(!text.contains(token))
            #expect(!text.contains("S3cret"))
        }
        let echo = try await client.send(
            HTTPRequest(.get, server.url("/echo"), headers: [("Authorization", "Token \(token)")]))
        #expect(try echo.decode(Echo.self).authorization)
    }

    @Test("backoff grows, stays under its bound, and honours Retry-After up to a cap")
    func policy() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 4, maxRetryAfter: 30)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 0.5)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 9, retryAfter: nil, random: 1) == 4)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.25) == 0.5)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "7", random: 0) == 7)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "3600", random: 0) == 30)
        // An HTTP date ten seconds ahead of now (2026-11-25T08:00:00Z).
        let inTen = policy.delay(
            afterAttempt: 1, retryAfter: "Wed, 25 Nov 2026 08:00:10 GMT",
            now: Date(timeIntervalSince1970: 1_795_593_600),
            random: 0)
        #expect(inTen == 10)
        #expect(RetryPolicy.isRetryable(status: 429) && RetryPolicy.isRetryable(status: 502))
        #expect(!RetryPolicy.isRetryable(status: 400) && !RetryPolicy.isRetryable(status: 404))
    }
}
