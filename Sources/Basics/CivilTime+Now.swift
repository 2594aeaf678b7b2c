import Foundation

extension CivilTime {
    /// Today's day number (days since 1970-01-01) on a clock `offsetSeconds` east of UTC.
    ///
    /// - Parameter offsetSeconds: The clock's offset east of UTC, e.g. the mail server's
    ///   `Policy.utcOffset`.
    /// - Returns: The day number of the current moment on that clock.
    public static func today(offsetSeconds: Int) -> Int {
        day(of: Int64(Date().timeIntervalSince1970.rounded(.down)), offsetSeconds: offsetSeconds)
    }
}
