public import Foundation

/// When and how long to wait before sending a request again.
///
/// Connection failures, timeouts, 429 and 5xx answers are retried; any other 4xx is final.
/// Delays grow exponentially with full jitter (a random delay up to the bound) so that many
/// clients do not retry in step; a server's `Retry-After` is honoured, up to `maxRetryAfter`.
public struct RetryPolicy: Sendable {
    /// Sends at most, the first one included.
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 20, maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether an answer with this status is worth another try.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }

    /// Seconds to wait after the `attempt`-th send (1-based) failed.
    ///
    /// - Parameters:
    ///   - retryAfter: the server's `Retry-After` header, if any: seconds or an HTTP date.
    ///   - random: a number in 0...1 (the jitter).
    public func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date = Date(), random: Double) -> Double {
        if let retryAfter, let seconds = RetryPolicy.seconds(retryAfter, now: now) {
            return min(max(0, seconds), maxRetryAfter)
        }
        let bound = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return bound * min(max(random, 0), 1)
    }

    /// `Retry-After` in seconds: a number, or an HTTP date (RFC 9110).
    static func seconds(_ header: String, now: Date) -> Double? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { $0.timeIntervalSince(now) }
    }
}
