import Foundation

/// The project's HTTP(S) test server (`Scripts/test-servers/http_fixture.py`), run on
/// 127.0.0.1 for the length of a test. Fails loudly when it cannot start.
final class FixtureServer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let process = Process()
    private let input = Pipe()
    let port: Int

    /// Starts the server; with a certificate and key, it speaks TLS.
    init(certificate: String? = nil, key: String? = nil) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Self.root.appendingPathComponent("Scripts/test-servers/http_fixture.py").path]
            + (certificate.map { ["--tls", $0, key!] } ?? [])
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "),
            let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw FixtureError(message: "the HTTP test server did not start (python3 needed): \(text)")
        }
        self.port = port
    }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func url(_ path: String, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
