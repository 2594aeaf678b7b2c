import Basics

/// A moment on the mail server's clock: when a report was made.
public struct ReportTime: Sendable, Equatable {
    /// Seconds since 1970-01-01 00:00 UTC.
    public var utcSeconds: Int64
    /// The mail server's offset from UTC, in seconds (`Policy.utcOffset`).
    public var offsetSeconds: Int

    public init(utcSeconds: Int64, offsetSeconds: Int) {
        self.utcSeconds = utcSeconds
        self.offsetSeconds = offsetSeconds
    }

    /// `2026-12-02T10:42:17+07:00`, as machine formats (JSON) carry it.
    public var iso8601: String { CivilTime.iso8601(utcSeconds, offsetSeconds: offsetSeconds) }

    /// The day (a day number) and the hour and minute on the server's clock.
    var local: (day: Int, hour: Int, minute: Int) {
        let day = CivilTime.day(of: utcSeconds, offsetSeconds: offsetSeconds)
        let minutes = (utcSeconds + Int64(offsetSeconds) - Int64(day) * 86_400) / 60
        return (day, Int(minutes / 60), Int(minutes % 60))
    }
}
