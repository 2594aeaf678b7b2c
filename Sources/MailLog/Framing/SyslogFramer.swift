import Basics

/// One log line split into its syslog frame: time, host, program and message body.
///
/// Ranges are offsets into the line the frame was read from.
public struct FramedLine: Sendable, Equatable {
    public var time: LineTime
    /// The host name; empty when the format has none (Dovecot's own `log_path` files).
    public var host: Range<Int>
    /// The program as logged, e.g. `postfix/submission/smtpd` or `dovecot`.
    public var program: Range<Int>
    /// The process id, when logged.
    public var pid: Range<Int>?
    /// The message after the program's `: `.
    public var body: Range<Int>
}

/// Reads the frame of a log line in any of the formats mail servers are found logging in.
///
/// - Classic syslog (RFC 3164, rsyslog's traditional format, Postfix's `maillog_file`):
///   `Nov 25 08:09:01 host postfix/smtpd[123]: …`, with or without fractional seconds, with or
///   without a leading `<PRI>`.
/// - ISO 8601 stamps (rsyslog's high-precision format, `journalctl -o short-iso`):
///   `2026-11-25T08:09:01.123456+07:00 host prog[123]: …`, offsets as `Z`, `+07:00` or `+0700`.
/// - RFC 5424: `<22>1 2026-11-25T08:09:01+07:00 host prog 123 - - …`.
/// - Dovecot's own log file: `Nov 25 08:09:01 imap-login: Info: …` (no host).
public enum SyslogFramer {
    /// The frame of `line`, or nil when no known format fits.
    public static func frame(_ line: ByteView) -> FramedLine? {
        guard line.count >= 16 else { return nil }
        var start = 0
        if line[0] == UInt8(ascii: "<") {
            guard let close = line.firstIndex(of: UInt8(ascii: ">"), from: 1), close <= 4 else { return nil }
            start = close + 1
            if line.matches("1 ", at: start) { return frameRFC5424(line, from: start + 2) }
        }
        if let (time, end) = classicStamp(line, at: start) {
            return frameTail(line, time: time, from: end)
        }
        if let (time, end) = isoStamp(line, at: start) {
            return frameTail(line, time: time, from: end)
        }
        return nil
    }

    /// The frame of `line`, as `frame(_:)` reads it, with the stamp taken from `memo` when the
    /// line starts with the same 16 bytes as the last one it holds: most lines share their second
    /// with the line before.
    @inline(__always)
    static func frame(_ line: ByteView, memo: StampMemo) -> FramedLine? {
        guard line.count >= 16, line[0] != UInt8(ascii: "<") else { return frame(line) }
        let raw = UnsafeRawPointer(line.base)
        let first = raw.loadUnaligned(as: UInt64.self)
        let second = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if memo.isSet && first == memo.first && second == memo.second {
            return frameTail(line, time: memo.time, from: 16)
        }
        guard let (time, end) = classicStamp(line, at: 0) else { return frame(line) }
        if end == 16 {
            // `Mmm dd HH:MM:SS `: a stamp read from these 16 bytes alone.
            memo.first = first
            memo.second = second
            memo.time = time
            memo.isSet = true
        }
        return frameTail(line, time: time, from: end)
    }

    /// The last 16-byte classic stamp read by one parsing task (`frame(_:memo:)`), and its time.
    ///
    /// One parsing task's own, read and written by one thread, never in overlapping accesses:
    /// no run-time exclusivity checks.
    final class StampMemo {
        @exclusivity(unchecked) var isSet = false
        @exclusivity(unchecked) var first: UInt64 = 0
        @exclusivity(unchecked) var second: UInt64 = 0
        @exclusivity(unchecked) var time = LineTime.utc(0)
    }

    // MARK: Stamps

    /// `Mmm dd HH:MM:SS[.ffffff] `; returns the offset after the space.
    ///
    /// The day is two characters (`25`, ` 7`, `07`), or one digit after a single space
    /// (`Mar 7 02:09:33`), as some relays and hand-made logs write it.
    static func classicStamp(_ line: ByteView, at offset: Int) -> (LineTime, Int)? {
        guard offset + 15 <= line.count, line[offset + 3] == 0x20 else { return nil }
        guard let month = monthNumber(line[offset], line[offset + 1], line[offset + 2]) else { return nil }
        // `shift` is -1 when the day is one digit after one space.
        let shift = line[offset + 5] == 0x20 && line[offset + 4] != 0x20 ? -1 : 0
        guard offset + 16 + shift <= line.count, line[offset + 6 + shift] == 0x20 else { return nil }
        let dayTens = shift < 0 || line[offset + 4] == 0x20 ? 0 : Int(line[offset + 4] &- 0x30)
        let dayUnits = Int(line[offset + 5 + shift] &- 0x30)
        guard dayTens < 4, dayUnits < 10 else { return nil }
        let day = dayTens * 10 + dayUnits
        guard day >= 1, day <= 31, let second = clock(line, at: offset + 7 + shift) else { return nil }
        var end = skipFraction(line, from: offset + 15 + shift)
        guard end < line.count, line[end] == 0x20 else { return nil }
        end += 1
        return (.yearless(month: UInt8(month), day: UInt8(day), secondOfDay: Int32(second)), end)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM|±HHMM] `; returns the offset after the space.
    static func isoStamp(_ line: ByteView, at offset: Int) -> (LineTime, Int)? {
        guard offset + 20 <= line.count, line[offset + 4] == UInt8(ascii: "-"), line[offset + 7] == UInt8(ascii: "-"),
            line[offset + 10] == UInt8(ascii: "T") || line[offset + 10] == 0x20,
            let year = line[offset..<(offset + 4)].decimalValue,
            let month = line[(offset + 5)..<(offset + 7)].decimalValue,
            let day = line[(offset + 8)..<(offset + 10)].decimalValue,
            CivilTime.isValid(year: year, month: month, day: day),
            let second = clock(line, at: offset + 11)
        else { return nil }
        let local = Int64(CivilTime.days(year: year, month: month, day: day)) * 86_400 + Int64(second)
        var end = skipFraction(line, from: offset + 19)
        guard end < line.count else { return nil }
        var time = LineTime.local(local)
        switch line[end] {
        case UInt8(ascii: "Z"):
            time = .utc(local)
            end += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = line[end] == UInt8(ascii: "+") ? 1 : -1
            guard end + 5 <= line.count, let hours = line[(end + 1)..<(end + 3)].decimalValue else { return nil }
            var minutesAt = end + 3
            if minutesAt < line.count && line[minutesAt] == UInt8(ascii: ":") { minutesAt += 1 }
            guard minutesAt + 2 <= line.count, let minutes = line[minutesAt..<(minutesAt + 2)].decimalValue else {
                return nil
            }
            time = .utc(local - sign * Int64(hours * 3600 + minutes * 60))
            end = minutesAt + 2
        default:
            break
        }
        guard end < line.count, line[end] == 0x20 else { return nil }
        return (time, end + 1)
    }

    /// `HH:MM:SS` as seconds of the day.
    @inline(__always)
    static func clock(_ line: ByteView, at offset: Int) -> Int? {
        guard line[offset + 2] == UInt8(ascii: ":"), line[offset + 5] == UInt8(ascii: ":") else { return nil }
        let h1 = Int(line[offset] &- 0x30)
        let h2 = Int(line[offset + 1] &- 0x30)
        let m1 = Int(line[offset + 3] &- 0x30)
        let m2 = Int(line[offset + 4] &- 0x30)
        let s1 = Int(line[offset + 6] &- 0x30)
        let s2 = Int(line[offset + 7] &- 0x30)
        guard h1 < 3, h2 < 10, m1 < 6, m2 < 10, s1 < 7, s2 < 10 else { return nil }
        let hours = h1 * 10 + h2
        guard hours < 24 else { return nil }
        return hours * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2
    }

    @inline(__always)
    static func skipFraction(_ line: ByteView, from offset: Int) -> Int {
        guard offset < line.count, line[offset] == UInt8(ascii: ".") else { return offset }
        var end = offset + 1
        while end < line.count, line[end] &- 0x30 < 10 { end += 1 }
        return end
    }

    @inline(__always)
    static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        // One integer to switch on: a few comparisons, not a chain of twelve.
        switch UInt32(a) << 16 | UInt32(b | 0x20) << 8 | UInt32(c | 0x20) {
        case 0x4A_61_6E: return 1  // Jan
        case 0x46_65_62: return 2  // Feb
        case 0x4D_61_72: return 3  // Mar
        case 0x41_70_72: return 4  // Apr
        case 0x4D_61_79: return 5  // May
        case 0x4A_75_6E: return 6  // Jun
        case 0x4A_75_6C: return 7  // Jul
        case 0x41_75_67: return 8  // Aug
        case 0x53_65_70: return 9  // Sep
        case 0x4F_63_74: return 10  // Oct
        case 0x4E_6F_76: return 11  // Nov
        case 0x44_65_63: return 12  // Dec
        default: return nil
        }
    }

    // MARK: After the stamp

    /// `host program[pid]: body`, or `program: body` when there is no host.
    static func frameTail(_ line: ByteView, time: LineTime, from offset: Int) -> FramedLine? {
        guard let firstSpace = line.firstIndex(of: 0x20, from: offset), firstSpace > offset else { return nil }
        if line[firstSpace - 1] == UInt8(ascii: ":") {
            // No host: `imap-login: Info: …`.
            return frameProgram(line, time: time, host: offset..<offset, from: offset)
        }
        return frameProgram(line, time: time, host: offset..<firstSpace, from: firstSpace + 1)
    }

    /// `program[pid]: body` starting at `offset`.
    static func frameProgram(_ line: ByteView, time: LineTime, host: Range<Int>, from offset: Int) -> FramedLine? {
        var index = offset
        var programEnd = -1
        var pid: Range<Int>?
        while true {
            index = firstBracketColonOrSpace(line, from: index)
            guard index < line.count else { break }
            let byte = line[index]
            if byte == UInt8(ascii: "[") {
                // Only the first `[` opens the pid; a later one is part of the name.
                guard programEnd < 0 else {
                    index += 1
                    continue
                }
                programEnd = index
                guard let close = line.firstIndex(of: UInt8(ascii: "]"), from: index + 1) else { return nil }
                pid = (index + 1)..<close
                index = close + 1
                continue
            }
            if byte == UInt8(ascii: ":") {
                if programEnd < 0 { programEnd = index }
                break
            }
            return nil  // a space
        }
        guard index < line.count, programEnd > offset else { return nil }
        let bodyStart = index + 1 < line.count && line[index + 1] == 0x20 ? index + 2 : index + 1
        return FramedLine(time: time, host: host, program: offset..<programEnd, pid: pid, body: bodyStart..<line.count)
    }

    /// The first offset at or after `start` that holds `[`, `:` or a space; `line.count` when none
    /// does. Eight bytes a step: a byte is one of the three when its XOR with it is zero, and
    /// the lowest flagged byte of `(w - 0x01…) & ~w & 0x80…` is always a true zero.
    @inline(__always)
    static func firstBracketColonOrSpace(_ line: ByteView, from start: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(line.base)
        @inline(__always) func zeroBytes(_ word: UInt64) -> UInt64 {
            (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        }
        while index + 8 <= line.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let found =
                zeroBytes(word ^ 0x5B5B_5B5B_5B5B_5B5B) | zeroBytes(word ^ 0x3A3A_3A3A_3A3A_3A3A)
                | zeroBytes(word ^ 0x2020_2020_2020_2020)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < line.count {
            let byte = line[index]
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: ":") || byte == 0x20 { return index }
            index += 1
        }
        return index
    }

    /// `TIMESTAMP HOST APP PROCID MSGID SD MSG` after `<PRI>1 `.
    static func frameRFC5424(_ line: ByteView, from offset: Int) -> FramedLine? {
        guard let (time, afterStamp) = isoStamp(line, at: offset) else { return nil }
        var fields: [Range<Int>] = []
        fields.reserveCapacity(4)
        var index = afterStamp
        for _ in 0..<4 {
            guard let space = line.firstIndex(of: 0x20, from: index) else { return nil }
            fields.append(index..<space)
            index = space + 1
        }
        // Structured data: `-` or one or more `[…]` elements with `\]` escapes.
        guard index < line.count else { return nil }
        if line[index] == UInt8(ascii: "-") {
            index += 1
        } else {
            while index < line.count && line[index] == UInt8(ascii: "[") {
                index += 1
                while index < line.count && line[index] != UInt8(ascii: "]") {
                    index += line[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            }
        }
        if index < line.count && line[index] == 0x20 { index += 1 }
        if line.matches("\u{FEFF}", at: index) { index += 3 }
        // rsyslog puts a space of its own before the message.
        while index < line.count && line[index] == 0x20 { index += 1 }
        let nilValue: (Range<Int>) -> Bool = { $0.count == 1 && line[$0.lowerBound] == UInt8(ascii: "-") }
        let host = nilValue(fields[0]) ? fields[0].lowerBound..<fields[0].lowerBound : fields[0]
        guard !nilValue(fields[1]) else { return nil }
        return FramedLine(
            time: time, host: host, program: fields[1], pid: nilValue(fields[2]) ? nil : fields[2],
            body: Swift.min(index, line.count)..<line.count)
    }
}
