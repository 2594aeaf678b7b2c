import Census
import Curl
import Foundation

/// A PostgreSQL store's address: `postgres://user@host[:port]/database[?sslmode=…&sslrootcert=…]`.
///
/// TLS is verified by default (`sslmode=verify-full`: the server's certificate must chain to the
/// system's roots, or to `sslrootcert`, and name the host); `sslmode=disable` turns it off, for
/// a server on this machine. A password in the URL is refused: it would be on the command line.
struct PostgresLocation: Sendable, Equatable {
    enum TLS: Sendable, Equatable {
        case disable
        /// Verified against the system's roots, or the CA file.
        case verifyFull(caFile: String?)
    }

    var host: String
    var port: Int
    var user: String
    var database: String
    var tls: TLS

    /// The URL without its user, password or query, for messages.
    var display: String { "postgres://\(host):\(port)/\(database)" }

    /// `text` as an error may show it: everything up to its last `@` (the user and any
    /// password, which may hold `/`, `?`, `#` or `@`) replaced by `…`, the query left out, on
    /// one line. With no `@`, a `user:password` mistaken for `host:port` shows nothing at all.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return "the --store URL" }
        var rest = Substring(text[scheme.upperBound...])
        if let at = rest.lastIndex(of: "@") {
            rest = "…@" + rest[rest.index(after: at)...]
        } else {
            let authority = rest.prefix { !"/?#".contains($0) }
            if let colon = authority.lastIndex(of: ":"),
                !authority[authority.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber })
            {
                return String(text[..<scheme.upperBound]) + "…"
            }
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        return ErrorText.oneLine(String(text[..<scheme.upperBound]) + rest)
    }

    init(_ text: String) throws(StoreError) {
        let shown = Self.redacted(text)
        func invalid(_ message: String) -> StoreError { StoreError(.badLocation, location: shown, message) }
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw invalid(
                "is not a PostgreSQL URL like postgres://mailcensus@db.namdinh.gov.vn/mailcensus (a password "
                    + "never goes in it: put it in $\(Stores.passwordVariable) or --store-password-file)")
        }
        guard url.password == nil else {
            throw invalid(
                "the URL holds a password; put it in $\(Stores.passwordVariable) or a file named by "
                    + "--store-password-file (mode 0600), never on the command line")
        }
        guard let user = url.user, !user.isEmpty else { throw invalid("names no user (postgres://USER@host/db)") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw invalid("names no database (postgres://user@host/DATABASE)") }
        self.host = host
        self.user = user
        self.database = database
        port = url.port ?? 5432
        var mode = "verify-full"
        var caFile: String?
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode": mode = item.value ?? ""
            case "sslrootcert": caFile = item.value
            default: throw invalid("has an unknown parameter \(item.name) (known: sslmode, sslrootcert)")
            }
        }
        switch mode {
        case "disable": tls = .disable
        case "verify-full": tls = .verifyFull(caFile: caFile)
        default:
            throw invalid(
                "sslmode=\(mode) is not supported: use verify-full (the default: TLS, the server's certificate "
                    + "checked) or disable (no TLS, for a server on this machine)")
        }
    }

    /// The password from `$MAILCENSUS_STORE_PASSWORD` or `file` (readable only by its owner);
    /// nil when neither is given (a server that trusts this user).
    func password(file: String?, environment: [String: String]) throws(StoreError) -> String? {
        guard file != nil || environment[Stores.passwordVariable] != nil else { return nil }
        do {
            return try Secret.load(variable: Stores.passwordVariable, file: file, environment: environment).value
        } catch {
            throw StoreError(.cannotOpen, location: display, error.message)
        }
    }
}
