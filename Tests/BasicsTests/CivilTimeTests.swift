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

    @Test("today on a clock lies within a day of today in UTC")
    func today() {
        let utc = CivilTime.today(offsetSeconds: 0)
        #expect(abs(CivilTime.today(offsetSeconds: 14 * 3600) - utc) <= 1)
        #expect(abs(CivilTime.today(offsetSeconds: -12 * 3600) - utc) <= 1)
    }
}
