import Basics

/// When a log line says it was written, before the year and zone are settled.
///
/// Classic syslog stamps carry neither year nor zone, ISO 8601 stamps may carry both; the
/// reader settles each into UTC seconds in order, with a `YearResolver`.
public enum LineTime: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z.
    case utc(Int64)
    /// A wall-clock time in the server's zone, as seconds since 1970-01-01T00:00:00 of that zone.
    case local(Int64)
    /// A wall-clock time in the server's zone with no year (classic syslog).
    case yearless(month: UInt8, day: UInt8, secondOfDay: Int32)
}

/// Settles yearless and local stamps into UTC, one line after another.
///
/// Classic syslog omits the year. The first stamp of a file takes the year that puts it at or
/// before the file's last modification (a day of slack); every later stamp takes the year that
/// puts it nearest the stamp before it, so a log that crosses New Year moves on to the next
/// year, and a line a few seconds out of order across midnight on 31 December stays put.
///
/// A stamp with a full date (ISO 8601) settles the year too, unless it lies more than
/// `jumpLimit` from the last settled stamp: one line with a wrong year among classic ones must
/// not move the rest of the file to that year. Such a line is counted at the time of the line
/// before it; a second full date near it, with no classic stamp between, confirms the jump (a
/// log really moved on, or came back after months of silence).
public struct YearResolver: Sendable {
    /// How far a full-date stamp may lie from the last settled stamp and still settle the year.
    public static let jumpLimit: Int64 = 92 * 86_400
    /// The server's offset from UTC, in seconds, for stamps that do not carry one.
    public var utcOffset: Int
    /// The last settled stamp, as local seconds, or nil before the first.
    public var lastLocal: Int64?
    /// Local seconds of the file's modification time, the anchor for the first stamp.
    public var anchorLocal: Int64
    /// The last yearless date settled, and the local start of that day: the next stamp of the
    /// same date is in the same year, without calendar arithmetic.
    private var lastDate: (month: UInt8, day: UInt8, start: Int64)?
    /// A full-date stamp too far from the last settled one, as local seconds, until another
    /// near it confirms it or a classic stamp comes between.
    private var unconfirmedJump: Int64?

    public init(utcOffset: Int, anchorUTC: Int64) {
        self.utcOffset = utcOffset
        self.anchorLocal = anchorUTC + Int64(utcOffset)
    }

    /// The stamp in UTC seconds.
    public mutating func resolve(_ time: LineTime) -> Int64 {
        switch time {
        case .utc(let seconds):
            return settle(fullDate: seconds + Int64(utcOffset)) - Int64(utcOffset)
        case .local(let seconds):
            return settle(fullDate: seconds) - Int64(utcOffset)
        case .yearless(let month, let day, let secondOfDay):
            unconfirmedJump = nil
            if let lastDate, lastDate.month == month, lastDate.day == day, lastLocal != nil {
                let local = lastDate.start + Int64(secondOfDay)
                lastLocal = local
                return local - Int64(utcOffset)
            }
            let reference = lastLocal ?? anchorLocal
            let referenceYear = CivilTime.date(days: CivilTime.day(of: reference, offsetSeconds: 0)).year
            var best: Int64 = 0
            var bestDistance = Int64.max
            for year in (referenceYear - 1)...(referenceYear + 1) {
                guard CivilTime.isValid(year: year, month: Int(month), day: Int(day)) else { continue }
                let local =
                    Int64(CivilTime.days(year: year, month: Int(month), day: Int(day))) * 86_400 + Int64(secondOfDay)
                // Before the first line, a stamp may not lie past the anchor (plus a day).
                if lastLocal == nil && local > anchorLocal + 86_400 { continue }
                let distance = abs(local - reference)
                if distance < bestDistance {
                    bestDistance = distance
                    best = local
                }
            }
            if bestDistance == Int64.max {
                // 29 February with no leap year near: keep the reference day.
                best = reference
            }
            lastLocal = best
            lastDate = (month, day, best - Int64(secondOfDay))
            return best - Int64(utcOffset)
        }
    }

    /// Lets a full-date stamp (local seconds) settle the year, unless it jumps too far; returns
    /// the local time to count its line at: its own, or for a jump not (yet) confirmed the last
    /// settled one, so that a stamp years off cannot age out the messages still in the queue.
    private mutating func settle(fullDate local: Int64) -> Int64 {
        if let last = lastLocal, abs(local - last) > YearResolver.jumpLimit {
            guard let jump = unconfirmedJump, abs(local - jump) <= YearResolver.jumpLimit else {
                unconfirmedJump = local
                return last
            }
        }
        unconfirmedJump = nil
        lastLocal = local
        // The yearless day remembered may now lie in another year than the nearest one.
        if let date = lastDate, local - date.start < 0 || local - date.start >= 86_400 { lastDate = nil }
        return local
    }
}
