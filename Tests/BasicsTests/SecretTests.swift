import Basics
import Foundation
import Testing

@Suite("Secrets from the environment or an owner-only file")
struct SecretTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func file(_ text: String, mode: Int) throws -> String {
        let path = folder.appendingPathComponent("token").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("the environment wins, then a 0600 file")
    func sources() throws {
        let path = try file("file-token\n", mode: 0o600)
        #expect(try Secret.load(variable: "T", file: path, environment: ["T": "env-token"]).value == "env-token")
        #expect(try Secret.load(variable: "T", file: path, environment: [:]).value == "file-token")
        #expect("\(try Secret.load(variable: "T", file: path, environment: [:]))" == "[hidden]")
    }

    @Test("a file others can read is refused, and the error does not show the secret")
    func worldReadable() throws {
        let path = try file("file-token-123", mode: 0o644)
        #expect {
            _ = try Secret.load(variable: "T", file: path, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains("chmod 600") && text.contains("644") && !text.contains("file-token-123")
        }
    }

    @Test("nothing set: one clear error")
    func missing() {
        #expect(throws: Secret.Unavailable.self) { try Secret.load(variable: "T", file: nil, environment: [:]) }
        #expect(throws: Secret.Unavailable.self) {
            try Secret.load(variable: "T", file: "/nonexistent/token", environment: [:])
        }
    }
}
