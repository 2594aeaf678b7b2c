public import Basics
import CCurl
import Dispatch
import Foundation
public import Logging

/// An SMTP server to submit mail to, and how.
///
/// `smtp://host:587` upgrades with STARTTLS, which is required unless `allowPlaintext` (for a
/// relay on the same machine; it warns); `smtps://host:465` speaks TLS from the start. The
/// certificate is verified unless `tls.insecure`.
public struct SMTPServer: Sendable {
    public var url: String
    public var username: String?
    public var password: Secret?
    public var tls: TLSOptions
    public var allowPlaintext: Bool
    /// Seconds to connect, and for one message.
    public var connectTimeout: Double
    public var timeout: Double

    public init(
        url: String, username: String? = nil, password: Secret? = nil, tls: TLSOptions = TLSOptions(),
        allowPlaintext: Bool = false, connectTimeout: Double = 10, timeout: Double = 120
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.tls = tls
        self.allowPlaintext = allowPlaintext
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    var isImplicitTLS: Bool { url.lowercased().hasPrefix("smtps://") }
}

/// An SMTP failure, with the server's own answer when it gave one; never a credential.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No connection, or it broke, or no answer in time: try again later.
        case unavailable
        /// TLS could not be set up or the certificate was not trusted: fix the set-up.
        case tls
        /// The server refused the credentials (535) or wants them (530).
        case authentication
        /// A 4xx answer: try again later.
        case temporary
        /// A 5xx answer: the message will not be accepted as it is.
        case permanent
        /// The message or the settings are wrong (a bad address, a bad URL).
        case invalid
        /// An envelope address holds a CR, LF or NUL (it would add an SMTP command, a
        /// recipient): this message is refused before anything is sent; the others may go.
        case unsafeAddress
    }

    public var code: Code
    /// The server, as configured.
    public var server: String
    /// The server's last reply (`550 5.1.1 <x@…>: Recipient address rejected`), when it gave one.
    public var reply: String?
    public var message: String

    public init(_ code: Code, server: String, reply: String? = nil, _ message: String) {
        self.code = code
        self.server = server
        self.reply = reply
        self.message = message
    }

    /// Whether sending again later may succeed.
    public var isTransient: Bool { code == .unavailable || code == .temporary }

    public var description: String {
        "\(server): \(message)" + (reply.map { " (the server said: \($0))" } ?? "")
    }
}

/// A session with one SMTP server: messages go out one after another over the same connection,
/// which libcurl keeps open between them and opens again when it drops.
///
/// libcurl blocks, so each message is sent on the session's own Dispatch queue. The log gets
/// the server, the envelope's size and the reply code, never the credentials or the message.
///
/// `@unchecked Sendable`: its only mutable state, the libcurl handle, is touched only on `queue`.
public final class SMTPSession: @unchecked Sendable {
    public let server: SMTPServer
    let logger: Logger
    private let queue = DispatchQueue(label: "mailcensus.smtp")
    /// Only touched on `queue`.
    private var handle: UnsafeMutableRawPointer?
    private var connectionCount = 0

    public init(server: SMTPServer, logger: Logger = Logger(label: "mailcensus.smtp")) {
        self.server = server
        self.logger = logger
        if server.tls.insecure {
            logger.warning("TLS verification is off (--insecure): the mail server's identity is not checked")
        }
        if server.allowPlaintext && !server.isImplicitTLS {
            logger.warning("STARTTLS is not required: mail and credentials may cross the network in clear")
        }
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }

    /// Connections opened so far: one for many messages when the server keeps it open.
    public var connections: Int { queue.sync { connectionCount } }

    /// Sends `message` (RFC 5322 bytes, CRLF line ends) from `from` to `recipients`.
    ///
    /// - Throws: `SMTPError` with the server's answer.
    public func send(from: String, to recipients: [String], message: [UInt8]) async throws -> Void {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                continuation.resume(
                    with: Result { try self.sendBlocking(from: from, to: recipients, message: message) })
            }
        }
    }

    /// Whether `address` may go into `MAIL FROM:<…>` or `RCPT TO:<…>`: no CR, LF or NUL (a new
    /// command), no `<` or `>` (the end of the path), not empty.
    static func isSafeEnvelopeAddress(_ address: String) -> Bool {
        !address.isEmpty && !address.unicodeScalars.contains { "\r\n\0<>".unicodeScalars.contains($0) }
    }

    /// One message, on `queue`.
    func sendBlocking(from: String, to recipients: [String], message: [UInt8]) throws(SMTPError) {
        for (role, address) in [("sender", from)] + recipients.map({ ("recipient", $0) })
        where !Self.isSafeEnvelopeAddress(address) {
            throw SMTPError(
                .unsafeAddress, server: server.url,
                "the \(role) address \"\(Self.escaped(address))\" is empty or holds a CR, LF, NUL, < or >, "
                    + "which would change the SMTP commands; the message is not sent")
        }
        guard !recipients.isEmpty else {
            throw SMTPError(.unsafeAddress, server: server.url, "the message has no recipient; it is not sent")
        }
        guard curlGlobalInit == CURLE_OK else {
            throw SMTPError(.invalid, server: server.url, "libcurl could not start")
        }
        if handle == nil { handle = curl_easy_init() }
        guard let handle else { throw SMTPError(.invalid, server: server.url, "libcurl could not start") }
        curl_easy_reset(handle)
        // Reset again on the way out: the handle, which keeps the connection for the next message,
        // must not point at this message's box, error buffer and recipient list once they are
        // gone (closing the connection later sends QUIT, whose reply would reach the callback).
        defer { curl_easy_reset(handle) }
        let box = TransferBox(message: message)
        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipientList) }
        for recipient in recipients { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var options = EasyOptions(handle)
        let started = Date()
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            withExtendedLifetime(box) {
                let context = Unmanaged.passUnretained(box).toOpaque()
                options.set(CURLOPT_URL, server.url)
                options.set(CURLOPT_NOSIGNAL, 1)
                options.set(CURLOPT_CONNECTTIMEOUT_MS, Int(server.connectTimeout * 1000))
                options.set(CURLOPT_TIMEOUT_MS, Int(server.timeout * 1000))
                options.set(CURLOPT_SSL_VERIFYPEER, server.tls.insecure ? 0 : 1)
                options.set(CURLOPT_SSL_VERIFYHOST, server.tls.insecure ? 0 : 2)
                if let caFile = server.tls.caFile { options.set(CURLOPT_CAINFO, caFile) }
                if !server.isImplicitTLS {
                    let mode = server.allowPlaintext ? CURLUSESSL_TRY : CURLUSESSL_ALL
                    options.set(CURLOPT_USE_SSL, Int(mode.rawValue))
                }
                if let username = server.username { options.set(CURLOPT_USERNAME, username) }
                if let password = server.password { options.set(CURLOPT_PASSWORD, password.value) }
                options.set(CURLOPT_MAIL_FROM, "<\(from)>")
                options.set(CURLOPT_MAIL_RCPT, list: recipientList)
                options.set(CURLOPT_UPLOAD, 1)
                options.set(CURLOPT_INFILESIZE_LARGE, size: curl_off_t(message.count))
                options.set(CURLOPT_ERRORBUFFER, pointer: errors.baseAddress)
                options.set(CURLOPT_READFUNCTION) { buffer, size, count, context in
                    let box = Unmanaged<TransferBox>.fromOpaque(context!).takeUnretainedValue()
                    guard let buffer else { return 0 }
                    return box.read(into: buffer, capacity: size * count)
                }
                options.set(CURLOPT_READDATA, pointer: context)
                // The server's replies, for error messages. Only what comes in is kept: what
                // goes out holds the AUTH exchange.
                options.set(CURLOPT_VERBOSE, 1)
                options.setDebugCallback { _, type, data, size, context in
                    guard type == CURLINFO_HEADER_IN, let data, let context else { return 0 }
                    let box = Unmanaged<TransferBox>.fromOpaque(context).takeUnretainedValue()
                    box.reply(String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self))
                    return 0
                }
                options.set(CURLOPT_DEBUGDATA, pointer: context)
                guard options.refusal == nil else { return CURLE_BAD_FUNCTION_ARGUMENT }
                return curl_easy_perform(handle)
            }
        }
        if let refusal = options.refusal {
            throw SMTPError(.invalid, server: server.url, "libcurl refused \(refusal); the message is not sent")
        }
        var opened = 0
        ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &opened)
        connectionCount += opened
        var reply = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        if let refusal = box.refusal, let code = Int(refusal.prefix(3)) { reply = code }
        let millis = Int(Date().timeIntervalSince(started) * 1000)
        logger.debug(
            "SMTP \(server.url): \(recipients.count) recipient(s), \(message.count) bytes → \(reply) (\(millis) ms)")
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw SMTPError(
                Self.classify(code, reply: reply), server: server.url, reply: box.refusal ?? box.lastReply, reason)
        }
    }

    /// `text` with its control characters shown as escapes (`\r`, `\n`, `\0`), on one line.
    static func escaped(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "\r": "\\r"
            case "\n": "\\n"
            case "\0": "\\0"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: String(scalar)
            }
        }.joined()
    }

    /// The kind of a failure: the server's 4xx or 5xx answer first (libcurl reports a refused
    /// recipient as a send error), then libcurl's code.
    static func classify(_ code: CURLcode, reply: Int) -> SMTPError.Code {
        if reply == 530 || reply == 534 || reply == 535 || code == CURLE_LOGIN_DENIED { return .authentication }
        if reply == 421 { return .unavailable }  // the server is closing the connection
        if (400..<500).contains(reply) { return .temporary }
        if (500..<600).contains(reply) { return .permanent }
        switch code {
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            return .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalid
        default:
            // Refused, unresolved, timed out, reset: the server is not there to take mail now.
            return .unavailable
        }
    }
}

/// The message being read out and the server's replies; alive for the whole `curl_easy_perform`.
private final class TransferBox {
    let message: [UInt8]
    var offset = 0
    /// The last reply line the server sent, and the last that refused something (4xx, 5xx).
    var lastReply: String?
    var refusal: String?

    init(message: [UInt8]) {
        self.message = message
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, message.count - offset)
        guard count > 0 else { return 0 }
        message.withUnsafeBufferPointer { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    func reply(_ text: String) {
        let line = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        guard !line.isEmpty else { return }
        lastReply = line
        if let first = line.first, first == "4" || first == "5", Int(line.prefix(3)) != nil { refusal = line }
    }
}

extension SMTPError: CommandFailure {
    /// The SMTP server refused or failed.
    public var isBadInput: Bool { false }
}
