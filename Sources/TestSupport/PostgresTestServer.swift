import Foundation

/// The project's PostgreSQL test server (`Scripts/postgres-test-server.sh`), and fresh databases
/// on it, one per test.
public struct PostgresTestServer: Sendable {
    /// `postgres://mailcensus@127.0.0.1:15432/postgres?sslmode=disable`.
    public let url: String
    /// The same server by name, over verified TLS.
    public let tlsURL: String
    /// The test CA that signed the server's certificate.
    public let caFile: String
    /// The password, and the file holding it (mode 0600).
    public let password: String
    public let passwordFile: String
    let psql: String

    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The server the environment (`PG_TEST_…`) or the script names, found once a process.
    ///
    /// - Throws: `Unavailable`, saying how to start it, when it is not running.
    public static func running() throws(Unavailable) -> PostgresTestServer {
        try found.get()
    }

    private static let found = Result { () throws(Unavailable) in try find() }

    private static func find() throws(Unavailable) -> PostgresTestServer {
        let settings = TestServers.settings(
            prefix: "PG_TEST_", required: "PG_TEST_URL", script: "postgres-test-server.sh")
        guard let url = settings["PG_TEST_URL"], let tlsURL = settings["PG_TEST_TLS_URL"],
            let caFile = settings["PG_TEST_CA"], let passwordFile = settings["PG_TEST_PASSWORD_FILE"],
            let bin = settings["PG_TEST_BIN"],
            let password = try? String(contentsOfFile: passwordFile, encoding: .utf8)
        else {
            throw Unavailable(
                description: "the PostgreSQL test server is not set up: run `bash Scripts/postgres-test-server.sh up`")
        }
        let server = PostgresTestServer(
            url: url, tlsURL: tlsURL, caFile: caFile,
            password: password.trimmingCharacters(in: .whitespacesAndNewlines),
            passwordFile: passwordFile, psql: bin + "/psql")
        guard (try? server.execute("SELECT 1", database: "postgres")) != nil else {
            throw Unavailable(
                description: "the PostgreSQL test server does not answer at \(url): "
                    + "run `bash Scripts/postgres-test-server.sh up`")
        }
        return server
    }

    /// A new, empty database; its URL.
    public func makeDatabase() throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try execute("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name)
    }

    /// The server's URL with another database.
    public func url(database: String, tls: Bool = false) -> String {
        (tls ? tlsURL : url).replacingOccurrences(of: "/postgres?", with: "/\(database)?")
    }

    /// The environment a `mailcensus` process needs to reach the server.
    public var environment: [String: String] { ["MAILCENSUS_STORE_PASSWORD": password] }

    /// Runs SQL with psql; its output, unaligned.
    @discardableResult
    public func execute(_ sql: String, database: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql, url(database: database)]
        process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Unavailable(description: "psql: \(problem)") }
        return text
    }
}
