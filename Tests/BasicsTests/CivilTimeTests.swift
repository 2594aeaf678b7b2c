import Basics
import Testing

@Suite("Civil-calendar arithmetic")
struct CivilTimeTests {
    @Test(
        "the day number of a Unix time on a clock east or west of UTC",
        arguments: [
            (utc: Int64(0), offset: 0, day: 0),
            (utc: 86_399, offset: 0, day: 0),
            (utc: 86_400, offset: 0, day: 1),
            (utc: -1, offset: 0, day: -1),
            (utc: -86_400, offset: 0, day: -1),
            (utc: -86_401, offset: 0, day: -2),
            // 2026-12-01T17:00:00Z is already 2 December at UTC+7, still 1 December at UTC-5.
            (utc: Int64(20_788) * 86_400 + 17 * 3600, offset: 7 * 3600, day: 20_789),
            (utc: Int64(20_788) * 86_400 + 17 * 3600, offset: -5 * 3600, day: 20_788),
            (utc: Int64(20_788) * 86_400 + 3 * 3600, offset: -5 * 3600, day: 20_787),
        ])
    func dayOfUnixTime(utc: Int64, offset: Int, day: Int) {
        #expect(CivilTime.day(of: utc, offsetSeconds: offset) == day)
    }

    @Test("day numbers and dates agree")
    func dates() {
        #expect(CivilTime.days(year: 2026, month: 12, day: 1) == 20_788)
        #expect(CivilTime.isoDate(days: 20_788) == "2026-12-01")
        #expect(CivilTime.isoDate(days: -1) == "1969-12-31")
        #expect(
            CivilTime.iso8601(Int64(20_788) * 86_400 + 17 * 3600, offsetSeconds: 7 * 3600)
                == "2026-12-02T00:00:00+07:00")
    }

    @Test("stamps carry every field, padded, at any offset, before 1970 and past 9999")
    func stamps() {
        #expect(CivilTime.iso8601(0, offsetSeconds: 0) == "1970-01-01T00:00:00+00:00")
        #expect(CivilTime.iso8601(-1, offsetSeconds: 0) == "1969-12-31T23:59:59+00:00")
        #expect(CivilTime.iso8601(951_782_400 + 86_399, offsetSeconds: 0) == "2000-02-29T23:59:59+00:00")
        #expect(CivilTime.iso8601(1_767_225_599, offsetSeconds: 25_200) == "2026-01-01T06:59:59+07:00")
        #expect(CivilTime.iso8601(1_767_225_599, offsetSeconds: -34_200) == "2025-12-31T14:29:59-09:30")
        #expect(CivilTime.iso8601(-62_167_219_200, offsetSeconds: 0) == "0000-01-01T00:00:00+00:00")
        #expect(CivilTime.iso8601(253_402_300_800, offsetSeconds: 3600) == "10000-01-01T01:00:00+01:00")
    }

    @Test("today on a clock lies within a day of today in UTC")
    func today() {
        let utc = CivilTime.today(offsetSeconds: 0)
        #expect(abs(CivilTime.today(offsetSeconds: 14 * 3600) - utc) <= 1)
        #expect(abs(CivilTime.today(offsetSeconds: -12 * 3600) - utc) <= 1)
    }
}
