import Curl
import Testing

@Suite("Plain http: only to this machine, never through a proxy, unless allowed")
struct PlaintextTests {
    @Test(
        "loopback hosts, and those that only look like one",
        arguments: [
            ("http://127.0.0.1:18000", HTTPClient.Transport.loopback),
            ("http://127.8.9.10/", .loopback),
            ("http://localhost:8000/api/", .loopback),
            ("http://[::1]:8000/", .loopback),
            ("HTTP://LOCALHOST", .loopback),
            ("https://mail.namdinh.gov.vn", .tls),
            ("https://127.0.0.1:8443", .tls),
        ])
    func allowed(url: String, transport: HTTPClient.Transport) throws {
        #expect(try HTTPClient.transport(for: url, allowPlaintext: false) == transport)
    }

    @Test(
        "refused without allowPlaintext",
        arguments: [
            "http://mail.namdinh.gov.vn", "http://10.0.0.5:8000", "http://127.0.0.1.nip.io/", "http://127.0.0.256/",
            "http://0x7f.0.0.1/", "http://[::ffff:10.0.0.1]/", "http://127.0.0.1@mail.example.org/",
            "https://admin:secret@mail.namdinh.gov.vn/", "ftp://127.0.0.1/", "file:///etc/passwd",
            "mail.namdinh.gov.vn",
        ])
    func refused(url: String) {
        #expect(throws: CurlError.self) { try HTTPClient.transport(for: url, allowPlaintext: false) }
    }

    @Test("allowPlaintext lets plain http go anywhere, and nothing else")
    func allowPlaintext() throws {
        #expect(try HTTPClient.transport(for: "http://mail.namdinh.gov.vn", allowPlaintext: true) == .plaintext)
        #expect(try HTTPClient.transport(for: "http://127.0.0.1", allowPlaintext: true) == .loopback)
        #expect(throws: CurlError.self) {
            try HTTPClient.transport(for: "ftp://mail.namdinh.gov.vn", allowPlaintext: true)
        }
    }

    @Test("a request the rules refuse is never sent, and the error says what to do")
    func sendRefused() async {
        await #expect {
            _ = try await HTTPClient().send(HTTPRequest(.get, "http://mail.namdinh.gov.vn/api/v2/accounts/"))
        } throws: { error in
            guard let error = error as? CurlError else { return false }
            return error.code == .invalidRequest && error.message.contains("--allow-plaintext")
        }
    }
}
