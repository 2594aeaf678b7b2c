public import Basics

/// An HTTP transport failure: what went wrong with which URL, and what to do.
///
/// HTTP statuses are not errors here (the caller reads `HTTPResponse.status`); this is for
/// requests that got no answer. Header values and bodies never appear in it.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Could not connect, or the connection broke (retried).
        case connection
        /// No complete answer within the time allowed (retried).
        case timeout
        /// The server's certificate could not be verified, or TLS failed (not retried).
        case tls
        /// The request could not be made (bad URL, libcurl could not start).
        case invalidRequest
    }

    public var code: Code
    /// The URL, as requested.
    public var url: String
    public var message: String

    public init(_ code: Code, url: String, _ message: String) {
        self.code = code
        self.url = url
        self.message = message
    }

    public var description: String { "\(url): \(message)" }
}

extension CurlError: CommandFailure {
    /// A request that got no answer.
    public var isBadInput: Bool { false }
}
