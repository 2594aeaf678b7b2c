/// Parses the message part of Postfix log lines (after `postfix/PROGRAM[PID]: `).
///
/// The parser reads every Postfix program's lines the same way: an optional queue id, then
/// `key=value` lists (`to=<…>, relay=…, status=sent (…)`, `client=…, sasl_username=…`) or one of
/// a few fixed phrases (`removed`, `connect from …`, `sender non-delivery notification: …`).
/// Text it does not know is left alone, never an error: Postfix has hundreds of warnings.
public enum PostfixParser {
    /// The fields of `body`.
    public static func parse(_ body: ByteView) -> PostfixFields {
        var fields = PostfixFields()
        var offset = 0
        if body.matches("NOQUEUE: ") {
            fields.queueID = 0..<7
            offset = 9
        } else if let idEnd = queueIDEnd(body) {
            fields.queueID = 0..<idEnd
            offset = idEnd + 2
        } else if body.matches("warning: "), let idEnd = queueIDEnd(body.suffix(from: 9)) {
            // `warning: QUEUEID: …` (cleanup's map lookup problems).
            fields.queueID = 9..<(9 + idEnd)
            offset = 9 + idEnd + 2
        }
        let rest = body.suffix(from: offset)
        if fields.queueID != nil {
            if rest.count == 7 && rest.matches("removed") {
                fields.isRemoved = true
                return fields
            }
            if rest.matches("message-id=") {
                // The value runs to the end: broken clients put spaces in it.
                let start = offset + 11
                var value = start..<body.count
                if body.count > start + 1 && body[start] == UInt8(ascii: "<")
                    && body[body.count - 1] == UInt8(ascii: ">")
                {
                    value = (start + 1)..<(body.count - 1)
                }
                fields.messageID = value
                return fields
            }
            if let notice = notificationID(rest) {
                fields.notificationQueueID = (offset + notice.lowerBound)..<(offset + notice.upperBound)
                return fields
            }
        }
        // Most queue-id lines are `key=value` lists (to=, from=, client=): read those first.
        if fields.queueID != nil && startsWithKey(rest) {
            parseKeyValues(body, from: offset, into: &fields)
            return fields
        }
        if let tail = rest.firstRange(of: "; from=<") ?? rest.firstRange(of: "; to=<") {
            // `reject: RCPT from host[ip]: …; from=<a> to=<b> proto=ESMTP helo=<h>` and its kin
            // (milter-reject, discard, hold, warning, info, proxy-accept).
            let isReject = rest.matches("reject: ") || rest.matches("milter-reject: ")
            fields.isNoQueueReject = isReject && body.matches("NOQUEUE: ")
            fields.isCleanupReject = isReject && !fields.isNoQueueReject && fields.queueID != nil
            if let from = body[offset..<(offset + tail.lowerBound)].firstRange(of: " from ") {
                parsePeer(body, from: offset + from.upperBound, into: &fields, asClient: true)
            }
            parseKeyValues(body, from: offset + tail.lowerBound + 2, into: &fields)
            return fields
        }
        parsePeerLine(body, from: offset, into: &fields)
        return fields
    }

    /// The fields of `body` when it starts with a queue id that ends at `queueIDEnd` (followed
    /// by `: `) and then a `key=value` list (`startsWithKey`) that is not `message-id=`: what
    /// `parse` finds for such a line, without its checks for the other shapes.
    static func parseKeyValueLine(_ body: ByteView, queueIDEnd idEnd: Int) -> PostfixFields {
        var fields = PostfixFields()
        fields.queueID = 0..<idEnd
        parseKeyValues(body, from: idEnd + 2, into: &fields)
        return fields
    }

    /// The fields of a delivery line (`to=<…>, [orig_to=<…>, ]relay=…, delay=…, delays=…,
    /// dsn=…, status=… (…)`) after its queue id, read with the general parse's rules but only
    /// for these keys: nil as soon as the list holds another key (`from=`, `client=`,
    /// `sasl_username=`, …), a separator other than `, `, or ends before a `status=`, so that the
    /// caller falls back to `parse`. When not nil, `parse` finds the same values (see
    /// `LazyParseTests`), and no queue-active, reject or notice flag.
    @inline(__always)
    static func parseDelivery(_ body: ByteView, from start: Int) -> DeliveryFields? {
        var fields = DeliveryFields()
        var index = start
        while true {
            // The key: lower-case letters and `_` up to `=`.
            let keyStart = index
            while index < body.count, body[index] &- 0x61 < 26 || body[index] == UInt8(ascii: "_") { index += 1 }
            guard index < body.count, index > keyStart, body[index] == UInt8(ascii: "=") else { return nil }
            let key = body[keyStart..<index]
            var valueStart = index + 1
            var valueEnd: Int
            var next: Int
            if valueStart < body.count && body[valueStart] == UInt8(ascii: "<") {
                valueStart += 1
                valueEnd = closingAngle(body, from: valueStart)
                next = valueEnd + 1
            } else {
                valueEnd = body.firstCommaOrSpace(from: valueStart)
                next = valueEnd
            }
            let value = valueStart..<valueEnd
            switch key.count {
            case 2 where key.matches("to"):
                fields.to = value
            case 7 where key.matches("orig_to"):
                fields.origTo = value
            case 5 where key.matches("relay"):
                fields.relay = value
                var host: Range<Int>?
                splitHostAddress(body, value, host: &host, ip: &fields.relayIP, port: &fields.relayPort)
            case 6 where key.matches("status"):
                fields.status = value
                if let detail = statusDetail(body, after: next) {
                    (fields.statusDetail, fields.queuedAs, fields.forwardedAs) = detail
                }
                return fields
            case 3 where key.matches("dsn"), 5 where key.matches("delay"), 6 where key.matches("delays"),
                8 where key.matches("conn_use"):
                break
            default:
                return nil
            }
            // Only `, ` before the next key: any other separator is left to the general parse.
            guard next + 2 < body.count, body[next] == UInt8(ascii: ","), body[next + 1] == 0x20 else { return nil }
            index = next + 2
        }
    }

    /// `sender non-delivery notification: ID` and the other notices bounce writes.
    static func notificationID(_ rest: ByteView) -> Range<Int>? {
        guard
            rest.matches("sender non-delivery notification: ") || rest.matches("sender delivery status notification: ")
                || rest.matches("postmaster non-delivery notification: ") || rest.matches("sender delay notification: ")
                || rest.matches("postmaster delay notification: ")
        else { return nil }
        guard let colon = rest.firstRange(of: "notification: ") else { return nil }
        let end = rest.firstIndex(of: 0x20, from: colon.upperBound) ?? rest.count
        return colon.upperBound..<end
    }

    /// Whether the text begins `key=`, a key being lower-case letters, `_` and `-`.
    static func startsWithKey(_ rest: ByteView) -> Bool {
        var index = 0
        while index < rest.count {
            let byte = rest[index]
            if byte == UInt8(ascii: "=") { return index > 0 }
            guard (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else {
                return false
            }
            index += 1
        }
        return false
    }

    /// The end of a leading queue id followed by `: `, if the body starts with one.
    ///
    /// A queue id holds a digit or a capital letter; all-lower-case words (`warning:`,
    /// `statistics:`) are not queue ids.
    @inline(__always)
    static func queueIDEnd(_ body: ByteView) -> Int? {
        var index = 0
        var hasDigitOrCapital = false
        let limit = Swift.min(body.count, QueueID.maxLength + 1)
        while index < limit {
            let byte = body[index]
            if byte == UInt8(ascii: ":") {
                guard hasDigitOrCapital, index >= QueueID.minLength, index + 1 < body.count, body[index + 1] == 0x20
                else { return nil }
                return index
            }
            guard QueueID.code(of: byte) != nil else { return nil }
            if byte <= 0x5A { hasDigitOrCapital = true }
            index += 1
        }
        return nil
    }

    /// The leading queue id that `queueIDEnd` finds, packed as `QueueID(_:host:)` packs it, and
    /// where it ends: one pass over its characters instead of two.
    @inline(__always)
    static func leadingQueueID(_ body: ByteView, host: UInt32) -> (QueueID, Int)? {
        var index = 0
        // A digit or a capital (codes up to 36) must be among the characters.
        var lowestCode = UInt8.max
        var high: UInt64 = 0
        var low: UInt64 = 0
        let limit = Swift.min(body.count, QueueID.maxLength + 1)
        while index < limit {
            let byte = body[index]
            if byte == UInt8(ascii: ":") {
                guard lowestCode <= 36, index >= QueueID.minLength, index + 1 < body.count, body[index + 1] == 0x20
                else { return nil }
                return (QueueID(high: high, low: low, host: host), index)
            }
            let code = QueueID.rawCode(of: byte)
            guard code != 0 else { return nil }
            lowestCode = Swift.min(lowestCode, code)
            high = (high << 6) | (low >> 58)
            low = (low << 6) | UInt64(code)
            index += 1
        }
        return nil
    }

    // MARK: key=value lists

    /// Reads `key=value` items separated by `, ` (delivery, client and qmgr lines) or by spaces
    /// (the `from=<…> to=<…> proto=…` tail of rejects).
    static func parseKeyValues(_ body: ByteView, from start: Int, into fields: inout PostfixFields) {
        var index = start
        while index < body.count {
            guard let equals = body.firstIndex(of: UInt8(ascii: "="), from: index) else { return }
            let key = body[index..<equals]
            guard !key.isEmpty, key.firstIndex(of: 0x20) == nil else { return }
            var valueStart = equals + 1
            var valueEnd: Int
            var next: Int
            if valueStart < body.count && body[valueStart] == UInt8(ascii: "<") {
                // `<address>`: up to the `>` that ends the item (addresses can hold `,` or `>` when quoted).
                valueStart += 1
                valueEnd = closingAngle(body, from: valueStart)
                next = valueEnd + 1
            } else if key.count == 13 && key.matches("sasl_username") {
                // A login name may hold `,` or spaces (`x,y@…`, `"quoted name"@…`), and smtpd logs
                // it as it is: it runs to the next field smtpd writes after it, or to the end.
                valueEnd = saslUsernameEnd(body, from: valueStart)
                next = valueEnd
            } else {
                valueEnd = body.firstCommaOrSpace(from: valueStart)
                next = valueEnd
            }
            let value = valueStart..<valueEnd
            store(key: key, value: value, in: body, into: &fields)
            if key.matches("status") && key.count == 6 {
                if let detail = statusDetail(body, after: next) {
                    (fields.statusDetail, fields.queuedAs, fields.forwardedAs) = detail
                }
                return
            }
            // Skip the separator: `, ` or ` `.
            if next < body.count && body[next] == UInt8(ascii: ",") { next += 1 }
            while next < body.count && body[next] == 0x20 { next += 1 }
            if next < body.count && body[next] == UInt8(ascii: "(") { return }
            index = next
        }
    }

    /// Where a `sasl_username=` value that starts at `start` ends: at the `, sasl_sender=` or
    /// `, orig_…=` that smtpd may log after it, else at the end of the line.
    static func saslUsernameEnd(_ body: ByteView, from start: Int) -> Int {
        var index = start
        while let comma = body.firstIndex(of: UInt8(ascii: ","), from: index) {
            if body.matches(", sasl_sender=", at: comma) || body.matches(", orig_queue_id=", at: comma)
                || body.matches(", orig_client=", at: comma)
            {
                return comma
            }
            index = comma + 1
        }
        return body.count
    }

    /// The queue id characters from `start`, or nil when there are none.
    /// `status=sent (250 2.0.0 …)`: the rest of the line after the status (which ends at
    /// `next`) is its detail, in parentheses; with the queue id it names when it hands the
    /// message on (`queued as ID`, `forwarded as ID`). Nil when the status has no detail.
    @inline(__always)
    static func statusDetail(_ body: ByteView, after next: Int) -> (Range<Int>, Range<Int>?, Range<Int>?)? {
        guard next + 1 < body.count && body[next] == 0x20 && body[next + 1] == UInt8(ascii: "(") else { return nil }
        let detailEnd = body[body.count - 1] == UInt8(ascii: ")") ? body.count - 1 : body.count
        let range = (next + 2)..<Swift.max(next + 2, detailEnd)
        let detail = body[range]
        if let queued = detail.firstRange(of: "queued as ") {
            return (range, queueIDRun(body, from: next + 2 + queued.upperBound, to: detailEnd), nil)
        }
        if detail.matches("forwarded as ") {
            return (range, nil, queueIDRun(body, from: next + 2 + 13, to: detailEnd))
        }
        return (range, nil, nil)
    }

    static func queueIDRun(_ body: ByteView, from start: Int, to end: Int) -> Range<Int>? {
        var index = start
        while index < end, QueueID.code(of: body[index]) != nil { index += 1 }
        return index > start ? start..<index : nil
    }

    @inline(__always)
    static func closingAngle(_ body: ByteView, from start: Int) -> Int {
        var index = start
        var candidate = -1
        while let found = body.firstIndexFar(of: UInt8(ascii: ">"), from: index) {
            candidate = found
            let after = found + 1
            if after == body.count || body[after] == UInt8(ascii: ",") || body[after] == 0x20 { return found }
            index = after
        }
        return candidate >= 0 ? candidate : body.count
    }

    @inline(__always)
    static func store(key: ByteView, value: Range<Int>, in body: ByteView, into fields: inout PostfixFields) {
        switch key.count {
        case 2 where key.matches("to"):
            fields.to = value
        case 3 where key.matches("dsn"):
            fields.dsn = value
        case 4 where key.matches("from"):
            fields.from = value
            if fields.queueID != nil && body.firstRange(of: ", nrcpt=", from: value.upperBound) != nil {
                fields.isQueueActive = true
            }
        case 5 where key.matches("relay"):
            fields.relay = value
            splitHostAddress(body, value, host: &fields.relayHost, ip: &fields.relayIP, port: &fields.relayPort)
        case 6 where key.matches("client"):
            splitHostAddress(body, value, host: &fields.clientHost, ip: &fields.clientIP, port: &fields.clientPort)
        case 6 where key.matches("status"):
            fields.status = value
        case 7 where key.matches("orig_to"):
            fields.origTo = value
        case 10 where key.matches("message-id"):
            fields.messageID = value
        case 11 where key.matches("sasl_method"):
            fields.saslMethod = value
        case 13 where key.matches("sasl_username"):
            fields.saslUsername = value
        default:
            break
        }
    }

    /// Splits `host[ip]:port` (port optional; `[ip]` may hold a socket path or be absent).
    static func splitHostAddress(
        _ body: ByteView, _ value: Range<Int>, host: inout Range<Int>?, ip: inout Range<Int>?, port: inout Range<Int>?
    ) {
        let view = body[value]
        guard let open = view.firstIndex(of: UInt8(ascii: "[")),
            let close = view.firstIndex(of: UInt8(ascii: "]"), from: open + 1)
        else {
            host = value
            return
        }
        host = value.lowerBound..<(value.lowerBound + open)
        ip = (value.lowerBound + open + 1)..<(value.lowerBound + close)
        if close + 1 < view.count && view[close + 1] == UInt8(ascii: ":") {
            port = (value.lowerBound + close + 2)..<value.upperBound
        }
    }

    // MARK: Other shapes

    /// Lines that name a peer but no list of keys: `connect from host[ip]`, `lost connection after
    /// DATA from …`, `host mx[ip] said: …`, `connect to host[ip]:25: …`, TLS set-up, postscreen's
    /// `PASS NEW [ip]:port`, anvil's `(smtpd:ip)`, dnsblog's `addr ip listed by …`.
    static func parsePeerLine(_ body: ByteView, from offset: Int, into fields: inout PostfixFields) {
        let rest = body.suffix(from: offset)
        if rest.matches("host ") {
            parsePeer(body, from: offset + 5, into: &fields)
        } else if rest.matches("statistics: "), let open = rest.firstIndex(of: UInt8(ascii: "(")),
            var colon = rest.firstIndex(of: UInt8(ascii: ":"), from: open),
            let close = rest.firstIndex(of: UInt8(ascii: ")"), from: colon)
        {
            // `(smtpd:ip)`, or `(127.0.0.1:2525:ip)` when the service is an address and port.
            if rest[open + 1] &- 0x30 < 10, let second = rest.firstIndex(of: UInt8(ascii: ":"), from: colon + 1),
                second < close
            {
                colon = second
            }
            fields.clientIP = (offset + colon + 1)..<(offset + close)
        } else if rest.matches("addr "), let end = rest.firstIndex(of: 0x20, from: 5) {
            fields.clientIP = (offset + 5)..<(offset + end)
        } else if rest.matches("warning: "), let space = rest.firstIndex(of: 0x20, from: 9),
            rest[9..<space].firstIndex(of: UInt8(ascii: "[")) != nil
        {
            // `warning: host[ip]: SASL LOGIN authentication failed: …`
            parsePeer(body, from: offset + 9, into: &fields, asClient: true)
        } else if let server = rest.firstRange(of: "; server ") {
            parsePeer(body, from: offset + server.upperBound, into: &fields)
        } else if let from = rest.firstRange(of: " from ") {
            parsePeer(body, from: offset + from.upperBound, into: &fields, asClient: true)
        } else if let first = rest.count > 0 ? rest[0] : nil, first >= 0x41 && first <= 0x5A,
            let open = rest.firstRange(of: " [")
        {
            // postscreen: `PASS NEW [ip]:port`, `DNSBL rank 3 for [ip]:port`.
            parsePeer(body, from: offset + open.lowerBound + 1, into: &fields, asClient: true)
        } else if let to = rest.firstRange(of: " to ") ?? rest.firstRange(of: " for ") ?? rest.firstRange(of: " with ")
        {
            parsePeer(body, from: offset + to.upperBound, into: &fields)
        } else if rest.firstIndex(of: 0x20) == nil, rest.firstIndex(of: UInt8(ascii: "[")) != nil {
            // A bare `host[socket]`, as a relay names itself.
            parsePeer(body, from: offset, into: &fields)
        }
    }

    /// `host[ip]:port` or `[ip]:port` at `start`, ending at a space, `,`, `:` after `]`, or `;`.
    static func parsePeer(_ body: ByteView, from start: Int, into fields: inout PostfixFields, asClient: Bool = false) {
        guard start < body.count, let open = body.firstIndex(of: UInt8(ascii: "["), from: start),
            let close = body.firstIndex(of: UInt8(ascii: "]"), from: open + 1)
        else { return }
        // The host runs to the `[` and may not hold a space.
        if body[start..<open].firstIndex(of: 0x20) != nil { return }
        var end = close + 1
        var port: Range<Int>?
        if end < body.count && body[end] == UInt8(ascii: ":") {
            var portEnd = end + 1
            while portEnd < body.count, body[portEnd] &- 0x30 < 10 { portEnd += 1 }
            if portEnd > end + 1 { port = (end + 1)..<portEnd }
            end = portEnd
        }
        if asClient {
            fields.clientHost = start..<open
            fields.clientIP = (open + 1)..<close
            fields.clientPort = port
        } else {
            fields.relayHost = start..<open
            fields.relayIP = (open + 1)..<close
            fields.relayPort = port
        }
    }
}
