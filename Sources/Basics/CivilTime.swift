/// Civil-calendar arithmetic, free of Foundation so that it runs in the per-line path.
public enum CivilTime {
    /// The day number (days since 1970-01-01) of a Unix time on a clock `offsetSeconds` east of UTC.
    ///
    /// Times before 1970 round down, so that every day is 86 400 seconds long.
    ///
    /// - Parameters:
    ///   - utcSeconds: Seconds since 1970-01-01T00:00:00Z.
    ///   - offsetSeconds: The clock's offset east of UTC (`25_200` for UTC+7); 0 for UTC, or for
    ///     `utcSeconds` that are already local seconds.
    /// - Returns: The day number on that clock.
    @inlinable
    public static func day(of utcSeconds: Int64, offsetSeconds: Int) -> Int {
        let local = utcSeconds + Int64(offsetSeconds)
        return Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date.
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count from 1970-01-01.
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether the date exists (29 February only in leap years).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : lengths[month - 1])
    }

    /// An ISO 8601 stamp with the given UTC offset, e.g. `2026-11-25T08:09:01+07:00`.
    public static func iso8601(_ utcSeconds: Int64, offsetSeconds: Int) -> String {
        let days = Self.day(of: utcSeconds, offsetSeconds: offsetSeconds)
        let second = Int(utcSeconds + Int64(offsetSeconds) - Int64(days) * 86_400)
        let (year, month, day) = date(days: days)
        let sign = offsetSeconds < 0 ? "-" : "+"
        let offset = abs(offsetSeconds)
        // Written digit by digit: reads print two stamps for each of tens of thousands of addresses.
        if (0...9999).contains(year) && offset < 100 * 3600 {
            return String(unsafeUninitializedCapacity: 25) { bytes in
                func put(_ value: Int, at position: Int, width: Int = 2) {
                    var value = value
                    for digit in (position..<position + width).reversed() {
                        bytes[digit] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                (bytes[4], bytes[7], bytes[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
                (bytes[13], bytes[16], bytes[22]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: ":"))
                bytes[19] = sign.utf8.first!
                put(year, at: 0, width: 4)
                put(month, at: 5)
                put(day, at: 8)
                put(second / 3600, at: 11)
                put(second / 60 % 60, at: 14)
                put(second % 60, at: 17)
                put(offset / 3600, at: 20)
                put(offset / 60 % 60, at: 23)
                return 25
            }
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(second / 3600)):\(pad(second / 60 % 60)):"
            + "\(pad(second % 60))\(sign)\(pad(offset / 3600)):\(pad(offset / 60 % 60))"
    }

    /// `YYYY-MM-DD` of a day count.
    public static func isoDate(days: Int) -> String {
        let (year, month, day) = date(days: days)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
