import Basics
import CLibpq
import Census
import Foundation

/// A PostgreSQL store's location, as libpq reads it: a URI (`postgresql://` or `postgres://`,
/// `user@host:port/database?sslmode=…&sslrootcert=…`) or a keyword string (`service=census`,
/// `host=db.namdinh.gov.vn dbname=census sslrootcert=/etc/ssl/ca.pem`). What it leaves out comes
/// from the `PG…` environment variables and, with `service=` (or `$PGSERVICE`), from the service's
/// entry in `pg_service.conf` (`$PGSERVICEFILE`, `~/.pg_service.conf`), as for `psql`.
///
/// mailcensus asks for TLS verified against the server's name (`sslmode=verify-full`) unless the
/// location, `$PGSSLMODE` or the service's entry sets `sslmode`, and then for the system's roots
/// (the CA bundle) unless a root certificate is named (`sslrootcert`, `$PGSSLROOTCERT`, the
/// service) or `~/.postgresql/root.crt` exists. A password in the location is refused: it would be
/// on the command line.
struct PostgresLocation: Sendable, Equatable {
    /// The location as given.
    let text: String
    /// The options it sets, by libpq keyword (`host`, `dbname`, `sslmode`, …).
    let options: [String: String]
    /// The environment variable of each libpq option (`sslmode`: `PGSSLMODE`).
    let variables: [String: String]

    /// Whether `text` names a PostgreSQL store: it begins with `postgresql://` or `postgres://`,
    /// or its first word is a keyword followed by `=` (`service=census`, `host = db dbname=x`).
    /// A SQLite file whose name looks like that is named with a folder: `./host=x.sqlite`.
    static func isLocation(_ text: String) -> Bool {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return true }
        let start = text.drop { $0 == " " || $0 == "\t" }
        let keyword = start.prefix { $0.isASCII && ($0.isLetter || $0 == "_") }
        guard !keyword.isEmpty else { return false }
        return start.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }.first == "="
    }

    /// `text` as an error may show it. A URI: everything up to its last `@` (the user and any
    /// password, which may hold `/`, `?`, `#` or `@`) replaced by `…`, the query left out; with no
    /// `@`, a `user:password` mistaken for `host:port` shows nothing at all. Keywords: shown
    /// unless one may be a password. On one line.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else {
            return text.lowercased().contains("password") ? "the --store keywords" : ErrorText.oneLine(text)
        }
        var rest = Substring(text[scheme.upperBound...])
        if let at = rest.lastIndex(of: "@") {
            rest = "…@" + rest[rest.index(after: at)...]
        } else if hidesPassword(rest) {
            return String(text[..<scheme.upperBound]) + "…"
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        return ErrorText.oneLine(String(text[..<scheme.upperBound]) + rest)
    }

    /// Whether a URI's authority with no `@` ends in something other than a port: a
    /// `user:password` mistaken for `host:port`.
    private static func hidesPassword(_ afterScheme: Substring) -> Bool {
        let authority = afterScheme.prefix { !"/?#".contains($0) }
        guard let colon = authority.lastIndex(of: ":"), authority.last != "]" else { return false }
        return !authority[authority.index(after: colon)...].allSatisfy { $0.isASCII && $0.isNumber }
    }

    init(_ text: String) throws(StoreError) {
        var shown = Self.redacted(text)
        func invalid(_ message: String) -> StoreError { StoreError(.badLocation, location: shown, message) }
        let refusal =
            "put it in $\(Stores.passwordVariable), a file named by --store-password-file (mode 0600) or "
            + "~/.pgpass, never on the command line"
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            if let at = rest.lastIndex(of: "@"), rest[..<at].contains(":") {
                throw invalid("the URI holds a password; " + refusal)
            }
            if !rest.contains("@") && Self.hidesPassword(rest) {
                throw invalid(
                    "is not a PostgreSQL URI like postgresql://mailcensus@db.namdinh.gov.vn/census (a password "
                        + "never goes in it: put it in $\(Stores.passwordVariable) or --store-password-file)")
            }
        }
        var message: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(text, &message) else {
            var reason = message.map { String(cString: $0) } ?? "libpq cannot parse it"
            PQfreemem(message)
            if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") {
                reason = reason.replacingOccurrences(of: String(text[scheme.upperBound..<at]), with: "…")
            } else if text.lowercased().contains("password") {
                reason = "libpq cannot parse it"
            }
            throw invalid(
                "is not a PostgreSQL URI or keyword string (\(PostgresFailure.oneLine(reason))); for example "
                    + "postgresql://mailcensus@db.namdinh.gov.vn/census, service=census or "
                    + "'host=db.namdinh.gov.vn dbname=census'")
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var variables: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if let value = option.pointee.val { options[name] = String(cString: value) }
            if let variable = option.pointee.envvar { variables[name] = String(cString: variable) }
            option += 1
        }
        if !text.contains("://") {
            shown = ErrorText.oneLine(
                options.filter { $0.key != "password" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: " "))
        }
        if options["password"] != nil {
            throw invalid("the location holds a password; " + refusal)
        }
        self.text = text
        self.options = options
        self.variables = variables
    }

    /// The server as the location names it, before libpq fills in what it leaves out.
    var server: PostgresServerName {
        PostgresServerName(
            host: options["host"] ?? "", port: options["port"] ?? "", database: options["dbname"] ?? "",
            service: options["service"])
    }

    /// libpq's keyword/value parameters for this location: mailcensus's defaults where neither
    /// the location, the environment nor the service sets the option, then the location, then
    /// the password, if one is given.
    ///
    /// - Parameter environment: the process's, which libpq reads itself (another one only in
    ///   tests of what mailcensus adds).
    func parameters(password: String?, environment: [String: String]) -> [(keyword: String, value: String)] {
        let service = (options["service"] ?? environment["PGSERVICE"]).map {
            PostgresService.options(named: $0, environment: environment)
        }
        func isSet(_ keyword: String) -> Bool {
            options[keyword] != nil || service?[keyword] != nil
                || variables[keyword].map { environment[$0]?.isEmpty == false } == true
        }
        var parameters: [(keyword: String, value: String)] = [("fallback_application_name", "mailcensus")]
        if !isSet("connect_timeout") { parameters.append(("connect_timeout", "10")) }
        if !isSet("sslmode") { parameters.append(("sslmode", "verify-full")) }
        let mode = options["sslmode"] ?? service?["sslmode"] ?? environment["PGSSLMODE"] ?? "verify-full"
        let home = environment["HOME"] ?? NSHomeDirectory()
        if mode.hasPrefix("verify-"), !isSet("sslrootcert"),
            !FileManager.default.fileExists(atPath: home + "/.postgresql/root.crt"),
            let roots = Self.systemRoots.first(where: { FileManager.default.fileExists(atPath: $0) })
        {
            parameters.append(("sslrootcert", roots))
        }
        parameters.append(("dbname", text))
        if let password { parameters.append(("password", password)) }
        return parameters
    }

    /// Where the system's CA bundle may be (Debian's first).
    static let systemRoots = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
    ]

    /// The password from `$MAILCENSUS_STORE_PASSWORD` or `file` (readable only by its owner);
    /// nil when neither is given (libpq then looks in `~/.pgpass`, or the server trusts this user).
    func password(file: String?, environment: [String: String]) throws(StoreError) -> String? {
        guard file != nil || environment[Stores.passwordVariable] != nil else { return nil }
        do {
            return try Secret.load(variable: Stores.passwordVariable, file: file, environment: environment).value
        } catch {
            throw StoreError(.cannotOpen, location: server.description, error.message)
        }
    }

    /// Why libpq ignored the password file, if it did: libpq reads it only when no one else may
    /// (mode 0600), and warns on stderr otherwise.
    func passwordFileProblem(environment: [String: String]) -> String? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = options["passfile"] ?? environment["PGPASSFILE"] ?? home + "/.pgpass"
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        return "\(path) is ignored: others may read it (run `chmod 600 \(path)`)"
    }
}

/// A PostgreSQL server and database as messages name them: `postgres://HOST:PORT/DATABASE`.
struct PostgresServerName: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: String
    var database: String
    /// The service named, shown when libpq could not resolve it.
    var service: String?

    init(host: String, port: String, database: String, service: String? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.service = service
    }

    /// What libpq resolved for `connection` (from the location, the service, the environment or
    /// its defaults), or else `fallback`'s.
    init(_ connection: OpaquePointer, fallback: PostgresServerName) {
        func value(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
            pointer.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        host = value(PQhost(connection)) ?? fallback.host
        port = value(PQport(connection)) ?? fallback.port
        database = value(PQdb(connection)) ?? fallback.database
        service = fallback.service
    }

    var description: String {
        if database.isEmpty, let service { return ErrorText.oneLine("service=\(service)") }
        return ErrorText.oneLine(
            "postgres://\(host.isEmpty ? "localhost" : host):\(port.isEmpty ? "5432" : port)/\(database)")
    }
}

/// The connection service file, read as libpq reads it, only so that mailcensus knows which
/// options a service sets: its own defaults give way to them.
enum PostgresService {
    /// The options of the service `name`: from the user's file (`$PGSERVICEFILE`, else
    /// `~/.pg_service.conf`), or else the system's (`$PGSYSCONFDIR/pg_service.conf`, Debian's
    /// `/etc/postgresql-common/pg_service.conf`). Empty when neither has it (libpq then refuses
    /// the connection, saying so).
    static func options(named name: String, environment: [String: String]) -> [String: String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let files = [
            environment["PGSERVICEFILE"] ?? home + "/.pg_service.conf",
            (environment["PGSYSCONFDIR"] ?? "/etc/postgresql-common") + "/pg_service.conf",
        ]
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let options = entry(name, in: text)
            else { continue }
            return options
        }
        return [:]
    }

    /// The `key=value` lines of the section `[name]` of a service file; nil when it has none.
    static func entry(_ name: String, in text: String) -> [String: String]? {
        var options: [String: String]?
        var inSection = false
        for line in text.split(whereSeparator: \.isNewline) {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                if inSection { break }
                inSection = line == "[\(name)]"
                if inSection { options = [:] }
            } else if inSection, let equals = line.firstIndex(of: "=") {
                options?[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return options
    }
}

/// A PostgreSQL error, told plainly on one line: the server's message and SQLSTATE, or what
/// libpq says of the connection. Statements and their values stay out.
struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    /// The server asked for a password and none was given.
    var needsPassword = false
    /// The SQLSTATE of a server's error.
    var state: String?

    init(_ description: String) { self.description = description }

    /// libpq's message of a failed connection or call.
    init(connection message: String) { description = Self.oneLine(message) }

    /// A failed connection: libpq's message, with what to do about an untrusted certificate.
    init(connectionMessage message: String, needsPassword: Bool) {
        var text = Self.oneLine(message)
        if text.contains("certificate verify failed") || text.contains("does not match host name") {
            text =
                "TLS: the server's certificate is not trusted, or does not name the host (give its CA with "
                + "sslrootcert=CA.pem): \(text)"
        }
        description = text
        self.needsPassword = needsPassword
    }

    /// The error of a statement's result.
    init(result: OpaquePointer, connection: String) {
        let field = { (code: UInt8) -> String? in
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        state = field(UInt8(ascii: "C"))
        if let message = field(UInt8(ascii: "M")) {
            description = "the server says: \(Self.oneLine(message))" + (state.map { ", SQLSTATE \($0)" } ?? "")
        } else {
            description = Self.oneLine(connection)
        }
    }

    /// libpq's messages on one line: lines joined by `; `, runs of spaces made one, and control
    /// characters escaped.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        var text = lines.filter { !$0.isEmpty }.joined(separator: "; ")
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        return ErrorText.oneLine(text)
    }
}
