import Basics

/// One login that Roundcube logged in `userlogins.log` (`$config['log_logins'] = true`).
public struct RoundcubeLogin: Sendable, Equatable {
    /// Success (`Successful login for U (ID: n) from …`) or failure (`Failed login for U from …
    /// (error: n)`).
    public enum Outcome: Sendable, Equatable {
        /// Roundcube's own user number (`ID: n`).
        case succeeded(userID: Int)
        /// Roundcube's error code (0: the IMAP server refused the login).
        case failed(errorCode: Int)
    }

    /// When, in UTC seconds (the stamp carries its offset).
    public var utcSeconds: Int64
    /// The stamp's offset from UTC, in seconds (`+0700`: 25 200).
    public var utcOffset: Int
    /// The login name as typed (lower-cased; a failure's may be anything, at most 259 characters).
    public var user: String
    /// The address the request came from (`REMOTE_ADDR`: the browser, or a reverse proxy).
    public var remoteAddress: String
    /// The `X-Forwarded-For` header Roundcube logged after the address, if any.
    public var forwardedFor: String?
    /// The `X-Real-IP` header Roundcube logged after the address, if any.
    public var realIP: String?
    /// Roundcube's session (the first 16 characters of its id).
    public var session: String
    public var outcome: Outcome

    public var succeeded: Bool {
        if case .succeeded = outcome { return true }
        return false
    }

    public init(
        utcSeconds: Int64, utcOffset: Int, user: String, remoteAddress: String, forwardedFor: String? = nil,
        realIP: String? = nil, session: String, outcome: Outcome
    ) {
        self.utcSeconds = utcSeconds
        self.utcOffset = utcOffset
        self.user = user
        self.remoteAddress = remoteAddress
        self.forwardedFor = forwardedFor
        self.realIP = realIP
        self.session = session
        self.outcome = outcome
    }
}

/// A line of `userlogins.log` that could not be read, and why (never the line's text: it holds
/// addresses).
public struct RoundcubeLogProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The line does not start with Roundcube's stamp `[02-Dec-2026 10:42:13 +0700]: `.
        case unknownStamp
        /// The stamp has Roundcube's shape but no such date or time (`31-Feb-2026`, `25:00:00`).
        case invalidDate
        /// The text after the stamp is neither a successful nor a failed login.
        case notALogin
        /// The line's bytes are not UTF-8, or it holds a NUL.
        case notText
    }

    /// The line's number in the file, from 1.
    public var line: Int
    public var code: Code

    public init(line: Int, code: Code) {
        self.line = line
        self.code = code
    }

    public var description: String { "line \(line): " + explanation }

    /// What is wrong and what to do, without the line's number.
    public var explanation: String {
        switch code {
        case .unknownStamp:
            return "the line does not start with Roundcube's default stamp [02-Dec-2026 10:42:13 +0700]; "
                + "set $config['log_date_format'] = 'd-M-Y H:i:s O' (Roundcube's default) in Roundcube's "
                + "config.inc.php, or convert the file; the line was not counted"
        case .invalidDate:
            return "the stamp names a date or time that does not exist; the line was not counted"
        case .notALogin:
            return "the text after the stamp is not a Roundcube login ('Successful login for … from … "
                + "in session …' or 'Failed login for … from … in session … (error: n)'); is this userlogins.log?"
        case .notText:
            return "the line is not UTF-8 text; the line was not counted"
        }
    }
}

/// What one line of `userlogins.log` holds.
public enum RoundcubeLogLine: Sendable, Equatable {
    case login(RoundcubeLogin)
    /// An empty line: nothing to count, nothing wrong.
    case blank
    case problem(RoundcubeLogProblem)
}

/// Reads Roundcube's login log, `userlogins.log`, written with `$config['log_logins'] = true`
/// and `$config['log_driver'] = 'file'` (Roundcube 1.4 to 1.6):
///
///     [30-Nov-2026 08:10:08 +0700]: <snpu39eq> Successful login for thangdq@namdinh.gov.vn (ID: 1) from 127.0.30.2 in session snpu39eqkhc6s6s9
///     [30-Nov-2026 08:10:17 +0700]: <32q685pe> Failed login for lanpt@namdinh.gov.vn from 127.0.30.6 in session 32q685perolmvr0f (error: 0)
///
/// The stamp is Roundcube's default `log_date_format`, `d-M-Y H:i:s O`; `<…>` is the session's
/// start (`log_session_id`, absent when it is 0); the address may be followed by
/// ` (X-Real-IP: …,X-Forwarded-For: …)` behind a reverse proxy.
public enum RoundcubeLoginLog {
    /// Every line of a file's contents: its logins, and a numbered problem for each line that
    /// could not be read (the others are read all the same).
    public static func parse(contents: [UInt8]) -> (logins: [RoundcubeLogin], problems: [RoundcubeLogProblem]) {
        var logins: [RoundcubeLogin] = []
        var problems: [RoundcubeLogProblem] = []
        contents.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let all = ByteView(base: base, count: buffer.count)
            var start = 0
            var number = 1
            while start < all.count {
                let end = all.firstIndex(of: 0x0A, from: start) ?? all.count
                var lineEnd = end
                if lineEnd > start, all[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                switch parse(line: all[start..<lineEnd], number: number) {
                case .login(let login): logins.append(login)
                case .blank: break
                case .problem(let problem): problems.append(problem)
                }
                start = end + 1
                number += 1
            }
        }
        return (logins, problems)
    }

    /// One line (without its line break); `number` is its line number, for problems.
    public static func parse(line: ByteView, number: Int) -> RoundcubeLogLine {
        if line.isEmpty { return .blank }
        guard line.isCleanText else { return .problem(RoundcubeLogProblem(line: number, code: .notText)) }
        guard let (utc, offset, end) = stamp(line) else {
            let code: RoundcubeLogProblem.Code = hasStampShape(line) ? .invalidDate : .unknownStamp
            return .problem(RoundcubeLogProblem(line: number, code: code))
        }
        guard let login = message(line.suffix(from: end), utcSeconds: utc, utcOffset: offset) else {
            return .problem(RoundcubeLogProblem(line: number, code: .notALogin))
        }
        return .login(login)
    }

    /// The login in the text after the stamp (with or without the `<session>` prefix), as
    /// Roundcube writes it to a file or to syslog (`log_driver = 'syslog'`).
    public static func message(_ text: ByteView, utcSeconds: Int64, utcOffset: Int) -> RoundcubeLogin? {
        var start = 0
        if text.matches("<"), let close = text.firstIndex(of: UInt8(ascii: ">")), close < 64,
            close + 1 < text.count, text[close + 1] == 0x20
        {
            start = close + 2
        }
        let succeeded: Bool
        if text.matches("Successful login for ", at: start) {
            succeeded = true
            start += 21
        } else if text.matches("Failed login for ", at: start) {
            succeeded = false
            start += 17
        } else {
            return nil
        }
        var end = text.count
        var outcome: RoundcubeLogin.Outcome
        if succeeded {
            outcome = .succeeded(userID: 0)
        } else {
            // `… in session S (error: N)`
            guard text.count > start, text[end - 1] == UInt8(ascii: ")"),
                let open = lastRange(of: " (error: ", in: text, before: end, after: start),
                let code = Int(text[open.upperBound..<(end - 1)].string)
            else { return nil }
            outcome = .failed(errorCode: code)
            end = open.lowerBound
        }
        guard let inSession = lastRange(of: " in session ", in: text, before: end, after: start) else { return nil }
        let session = text[inSession.upperBound..<end].string
        guard let from = lastRange(of: " from ", in: text, before: inSession.lowerBound, after: start) else {
            return nil
        }
        let origin = text[from.upperBound..<inSession.lowerBound]
        var userEnd = from.lowerBound
        if succeeded {
            // `U (ID: N)`
            guard userEnd > start, text[userEnd - 1] == UInt8(ascii: ")"),
                let open = lastRange(of: " (ID: ", in: text, before: userEnd, after: start),
                let id = Int(text[open.upperBound..<(userEnd - 1)].string)
            else { return nil }
            outcome = .succeeded(userID: id)
            userEnd = open.lowerBound
        }
        guard userEnd > start else { return nil }
        let user = text[start..<userEnd].lowercasedString
        let (address, forwarded, real) = split(origin: origin)
        guard !address.isEmpty, !address.contains(" "), !session.isEmpty else { return nil }
        return RoundcubeLogin(
            utcSeconds: utcSeconds, utcOffset: utcOffset, user: user, remoteAddress: address,
            forwardedFor: forwarded, realIP: real, session: session, outcome: outcome)
    }

    /// `127.0.0.1 (X-Real-IP: a,X-Forwarded-For: b, c)` → the address and the two headers
    /// (Roundcube's `rcube_utils::remote_ip()`).
    static func split(origin: ByteView) -> (String, String?, String?) {
        guard let space = origin.firstIndex(of: 0x20), space + 1 < origin.count, origin[space + 1] == UInt8(ascii: "("),
            origin[origin.count - 1] == UInt8(ascii: ")")
        else { return (origin.string, nil, nil) }
        let address = origin[0..<space].string
        var rest = origin[(space + 2)..<(origin.count - 1)]
        var forwarded: String?
        var real: String?
        if let range = rest.firstRange(of: "X-Forwarded-For: ") {
            forwarded = rest.suffix(from: range.upperBound).string
            rest = rest[0..<range.lowerBound]
        }
        if let range = rest.firstRange(of: "X-Real-IP: ") {
            var value = rest.suffix(from: range.upperBound)
            if !value.isEmpty, value[value.count - 1] == UInt8(ascii: ",") { value = value[0..<(value.count - 1)] }
            real = value.string
        }
        return (address, forwarded, real)
    }

    /// The last occurrence of `literal` that starts at or after `after` and ends at or before `before`.
    static func lastRange(of literal: StaticString, in text: ByteView, before: Int, after: Int) -> Range<Int>? {
        let length = literal.utf8CodeUnitCount
        var index = before - length
        while index >= after {
            if text.matches(literal, at: index) { return index..<(index + length) }
            index -= 1
        }
        return nil
    }

    static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `[dd-Mon-yyyy HH:MM:SS ±hhmm]: ` → UTC seconds, the offset, and where the text starts.
    static func stamp(_ line: ByteView) -> (Int64, Int, Int)? {
        // [02-Dec-2026 10:42:13 +0700]:␠ is 30 bytes.
        guard hasStampShape(line) else { return nil }
        guard let day = line[1..<3].decimalValue, let year = line[8..<12].decimalValue,
            let hour = line[13..<15].decimalValue, let minute = line[16..<18].decimalValue,
            let second = line[19..<21].decimalValue, let offsetHours = line[23..<25].decimalValue,
            let offsetMinutes = line[25..<27].decimalValue
        else { return nil }
        guard let month = months.firstIndex(where: { line.matches($0, at: 4) }).map({ $0 + 1 }) else { return nil }
        guard CivilTime.isValid(year: year, month: month, day: day), hour < 24, minute < 60, second < 61,
            offsetHours <= 14, offsetMinutes < 60
        else { return nil }
        let sign = line[22] == UInt8(ascii: "-") ? -1 : 1
        let offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        let local =
            Int64(CivilTime.days(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
        return (local - Int64(offset), offset, 30)
    }

    /// Whether the line starts with `[NN-Xxx-NNNN NN:NN:NN ±NNNN]: `, whatever the numbers say.
    static func hasStampShape(_ line: ByteView) -> Bool {
        guard line.count >= 30, line[0] == UInt8(ascii: "["), line[3] == UInt8(ascii: "-"),
            line[7] == UInt8(ascii: "-"), line[12] == 0x20, line[15] == UInt8(ascii: ":"),
            line[18] == UInt8(ascii: ":"), line[21] == 0x20,
            line[22] == UInt8(ascii: "+") || line[22] == UInt8(ascii: "-"),
            line.matches("]: ", at: 27)
        else { return false }
        return true
    }
}
