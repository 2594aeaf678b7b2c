import Basics
import Curl
public import Provisioning

/// The mail server's admin API and how to reach it (`--server`, `--token-file`, …).
public struct AdminServer: Sendable {
    /// The admin base URL (Modoboa), e.g. `https://mail.namdinh.gov.vn`.
    public var url: String
    /// A file holding the admin API token; nil for `$MAILCENSUS_ADMIN_TOKEN`.
    public var tokenFile: String?
    public var caFile: String?
    public var insecure: Bool
    public var allowPlaintext: Bool

    public init(
        url: String, tokenFile: String? = nil, caFile: String? = nil, insecure: Bool = false,
        allowPlaintext: Bool = false
    ) {
        self.url = url
        self.tokenFile = tokenFile
        self.caFile = caFile
        self.insecure = insecure
        self.allowPlaintext = allowPlaintext
    }

    /// Refuses, before anything is read or sent, a server URL the token may not go to: one
    /// without `https://` (or `http://` to this machine), or refused by
    /// `HTTPClient.transport(for:allowPlaintext:)`; warns through `log` of a plaintext one allowed.
    ///
    /// - Throws: `JobError` (bad input) saying what to give.
    public func check(log: JobLog) throws {
        let scheme = url.prefix { $0 != ":" && $0 != "/" }.lowercased()
        guard url.contains("://"), scheme == "https" || scheme == "http" else {
            throw JobError(
                .badInput,
                "--server \(url): give the admin URL with its scheme, like "
                    + "https://\(url.contains("://") ? "mail.example.gov.vn" : url) (http:// only to this machine)")
        }
        switch Result(catching: { () throws(CurlError) in
            try HTTPClient.transport(for: url, allowPlaintext: allowPlaintext)
        }) {
        case .failure(let error):
            throw JobError(.badInput, "--server \(error)")
        case .success(.plaintext):
            log(
                "mailcensus: warning: --allow-plaintext: the admin token and every change go unencrypted to "
                    + "\(url), and through any proxy that http_proxy or ALL_PROXY names")
        case .success:
            break
        }
    }

    /// The admin client, for a URL `check` accepted.
    ///
    /// - Throws: `JobError` (bad input) when there is no token; the token file's error.
    public func admin() throws -> ModoboaAdmin {
        let token: Secret
        do {
            token = try Secret.load(variable: "MAILCENSUS_ADMIN_TOKEN", file: tokenFile)
        } catch {
            guard tokenFile == nil else { throw error }
            throw JobError(
                .badInput,
                "no admin token: set $MAILCENSUS_ADMIN_TOKEN, or give --token-file FILE "
                    + "(a file only you can read, mode 0600)")
        }
        let client = HTTPClient(tls: TLSOptions(caFile: caFile, insecure: insecure), allowPlaintext: allowPlaintext)
        return ModoboaAdmin(baseURL: url, token: token, client: client)
    }
}
