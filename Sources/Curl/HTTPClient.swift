import CCurl
import Dispatch
import Foundation
public import Logging

/// libcurl's global state, set up once before the first handle (HTTP and SMTP alike).
let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// TLS settings: verification is on unless `insecure` says otherwise.
public struct TLSOptions: Sendable {
    /// A CA bundle (PEM) to verify servers with, e.g. a provincial CA.
    public var caFile: String?
    /// Skip certificate and host-name verification. Warned about on every client made with it.
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// A small HTTP client on libcurl: JSON requests, verified TLS, timeouts, and retries.
///
/// Each request runs on a Dispatch worker (libcurl blocks), with a fresh easy handle.
/// Redirects are not followed: a POST redirected would silently become a GET. The log gets the
/// method, URL, status and timing of each send, never a header value or a body.
///
/// Requests carry an admin token, so plain `http://` goes only to a loopback address
/// (127.0.0.0/8, ::1, localhost), and then straight to it: the proxies that `http_proxy` and
/// `ALL_PROXY` name are not used for it. `allowPlaintext` lifts both (the caller warns). `https://`
/// may go through a proxy of the environment: libcurl tunnels it (CONNECT), TLS stays end to end.
/// Other schemes (`file:`, `ftp:`, …) are refused.
public final class HTTPClient: Sendable {
    public let tls: TLSOptions
    /// Seconds allowed to connect, and for a whole request.
    public let connectTimeout: Double
    public let timeout: Double
    public let retry: RetryPolicy
    /// Plain `http://` to any host, through any proxy of the environment.
    public let allowPlaintext: Bool
    let logger: Logger

    public init(
        tls: TLSOptions = TLSOptions(), connectTimeout: Double = 10, timeout: Double = 60,
        retry: RetryPolicy = RetryPolicy(), allowPlaintext: Bool = false,
        logger: Logger = Logger(label: "mailcensus.http")
    ) {
        self.tls = tls
        self.allowPlaintext = allowPlaintext
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.retry = retry
        self.logger = logger
        if tls.insecure {
            logger.warning("TLS verification is off (--insecure): the server's identity is not checked")
        }
    }

    /// Sends `request`, retrying connection failures, timeouts, 429 and 5xx as `retry` says.
    ///
    /// - Returns: the last answer, whatever its status (retries exhausted on a 5xx return it).
    /// - Throws: `CurlError` when no answer came, after the retries.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            let started = Date()
            do {
                var response = try await perform(request)
                response.attempts = attempt
                let millis = Int(Date().timeIntervalSince(started) * 1000)
                logger.debug("\(request.method.rawValue) \(request.url) → \(response.status) (\(millis) ms)")
                guard RetryPolicy.isRetryable(status: response.status), attempt < retry.maxAttempts else {
                    return response
                }
                let wait = retry.delay(
                    afterAttempt: attempt, retryAfter: response.headers["retry-after"], random: Double.random(in: 0...1)
                )
                logger.warning(
                    "\(request.method.rawValue) \(request.url) answered \(response.status); retrying in \(Self.seconds(wait)) s (attempt \(attempt + 1) of \(retry.maxAttempts))"
                )
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            } catch let error as CurlError where error.code == .connection || error.code == .timeout {
                guard attempt < retry.maxAttempts else { throw error }
                let wait = retry.delay(afterAttempt: attempt, retryAfter: nil, random: Double.random(in: 0...1))
                logger.warning(
                    "\(request.method.rawValue) \(request.url): \(error.message); retrying in \(Self.seconds(wait)) s (attempt \(attempt + 1) of \(retry.maxAttempts))"
                )
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
            attempt += 1
        }
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }

    /// How a URL may be reached.
    public enum Transport: Sendable, Equatable {
        /// `https://`: TLS, through a proxy of the environment if one is set.
        case tls
        /// `http://` to a loopback address: straight to it, never through a proxy.
        case loopback
        /// `http://` elsewhere, allowed by `allowPlaintext`: in the clear, proxies as the environment says.
        case plaintext
    }

    /// How `url` may be reached, or why not.
    ///
    /// - Throws: `CurlError` (`.invalidRequest`) for a scheme other than http and https, a URL
    ///   with a user name or password in it, no host, or plain `http://` to a host that is not
    ///   loopback without `allowPlaintext`.
    public static func transport(for url: String, allowPlaintext: Bool) throws(CurlError) -> Transport {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw CurlError(.invalidRequest, url: url, "not a URL like https://mail.example.gov.vn")
        }
        guard components.user == nil && components.password == nil else {
            throw CurlError(.invalidRequest, url: url, "a user name or password in the URL; give the token apart")
        }
        switch scheme {
        case "https":
            return .tls
        case "http" where isLoopback(host: host):
            return .loopback
        case "http" where allowPlaintext:
            return .plaintext
        case "http":
            throw CurlError(
                .invalidRequest, url: url,
                "plain http would send the admin token unencrypted; use https://, or --allow-plaintext (warns)")
        default:
            throw CurlError(.invalidRequest, url: url, "only https:// (or http:// to this machine) is supported")
        }
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 in dotted-quad form, or ::1.
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && Int(part).map { $0 <= 255 } == true
        }
    }

    /// One send, off the cooperative pool.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.performBlocking(request) })
            }
        }
    }

    /// One send with libcurl, blocking the calling thread.
    func performBlocking(_ request: HTTPRequest) throws(CurlError) -> HTTPResponse {
        let transport = try Self.transport(for: request.url, allowPlaintext: allowPlaintext)
        guard curlGlobalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw CurlError(.invalidRequest, url: request.url, "libcurl could not start")
        }
        defer { curl_easy_cleanup(handle) }
        let box = ResponseBox()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // No `Expect: 100-continue` pause before bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var options = EasyOptions(handle)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            withExtendedLifetime(box) {
                let context = Unmanaged.passUnretained(box).toOpaque()
                options.set(CURLOPT_URL, request.url)
                options.set(CURLOPT_PROTOCOLS_STR, "http,https")
                // Plain http to this machine goes straight to it: "" turns the environment's proxies off.
                if transport == .loopback { options.set(CURLOPT_PROXY, "") }
                options.set(CURLOPT_NOSIGNAL, 1)
                options.set(CURLOPT_FOLLOWLOCATION, 0)
                options.set(CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
                options.set(CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
                options.set(CURLOPT_SSL_VERIFYPEER, tls.insecure ? 0 : 1)
                options.set(CURLOPT_SSL_VERIFYHOST, tls.insecure ? 0 : 2)
                if let caFile = tls.caFile { options.set(CURLOPT_CAINFO, caFile) }
                options.set(CURLOPT_ERRORBUFFER, pointer: errors.baseAddress)
                options.set(CURLOPT_HTTPHEADER, list: headerList)
                switch request.method {
                case .get: options.set(CURLOPT_HTTPGET, 1)
                case .post: options.set(CURLOPT_POST, 1)
                default: options.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
                }
                if let body = request.body {
                    options.set(CURLOPT_POSTFIELDSIZE_LARGE, size: curl_off_t(body.count))
                    body.withUnsafeBytes { bytes in
                        // COPYPOSTFIELDS: libcurl keeps its own copy of the body.
                        options.set(
                            CURLOPT_COPYPOSTFIELDS,
                            pointer: UnsafeMutableRawPointer(
                                mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                    }
                } else if request.method != .get {
                    options.set(CURLOPT_POSTFIELDSIZE_LARGE, size: 0)
                    options.set(CURLOPT_COPYPOSTFIELDS, "")
                }
                options.set(CURLOPT_WRITEFUNCTION) { data, size, count, context in
                    let box = Unmanaged<ResponseBox>.fromOpaque(context!).takeUnretainedValue()
                    let length = size * count
                    if let data {
                        box.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
                    }
                    return length
                }
                options.set(CURLOPT_WRITEDATA, pointer: context)
                options.set(CURLOPT_HEADERFUNCTION) { data, size, count, context in
                    let box = Unmanaged<ResponseBox>.fromOpaque(context!).takeUnretainedValue()
                    let length = size * count
                    if let data {
                        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                        box.header(line)
                    }
                    return length
                }
                options.set(CURLOPT_HEADERDATA, pointer: context)
                guard options.refusal == nil else { return CURLE_BAD_FUNCTION_ARGUMENT }
                return curl_easy_perform(handle)
            }
        }
        if let refusal = options.refusal {
            throw CurlError(.invalidRequest, url: request.url, "libcurl refused \(refusal); nothing was sent")
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw CurlError(HTTPClient.classify(code), url: request.url, reason)
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: box.headers, body: box.body)
    }

    static func classify(_ code: CURLcode) -> CurlError.Code {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_RECV_ERROR,
            CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return .connection
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            return .tls
        default:
            return .invalidRequest
        }
    }
}

/// What the callbacks gather while a request runs; alive for the whole `curl_easy_perform`.
private final class ResponseBox {
    var body = Data()
    var headers: [String: String] = [:]

    /// One header line; a new status line (after a 100 Continue) starts afresh.
    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }
}
