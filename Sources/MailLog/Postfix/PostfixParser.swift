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
            offset = 9
            fields.isNoQueueReject = body.matches("reject: ", at: offset) || body.matches("milter-reject: ", at: offset)
        } else if let idEnd = queueIDEnd(body) {
            fields.queueID = 0..<idEnd
            offset = idEnd + 2
        } else {
            parseSessionLine(body, into: &fields)
            return fields
        }
        let rest = body.suffix(from: offset)
        if rest.matches("removed") && rest.count == 7 {
            fields.isRemoved = true
            return fields
        }
        if rest.matches("reject: ") || rest.matches("milter-reject: ") {
            fields.isCleanupReject = fields.queueID != nil
            parseRejectTail(body, from: offset, into: &fields)
            return fields
        }
        if rest.matches("milter-") {
            parseRejectTail(body, from: offset, into: &fields)
            return fields
        }
        if rest.matches("sender non-delivery notification: ") || rest.matches("sender delivery status notification: ")
            || rest.matches("postmaster non-delivery notification: ")
            || rest.matches("sender delay notification: ")
        {
            if let colon = rest.firstRange(of: ": ") {
                let start = offset + colon.upperBound
                let end = body.firstIndex(of: 0x20, from: start) ?? body.count
                fields.notificationQueueID = start..<end
            }
            return fields
        }
        if rest.matches("host ") || rest.matches("lost connection with ") || rest.matches("conversation with ") {
            parsePeer(body, from: offset + (rest.firstIndex(of: 0x20).map { $0 + 1 } ?? 0), into: &fields)
            if rest.matches("lost connection with ") || rest.matches("conversation with ") {
                parsePeer(body, from: offset + (rest.firstRange(of: " with ")?.upperBound ?? 0), into: &fields)
            }
            return fields
        }
        parseKeyValues(body, from: offset, into: &fields)
        return fields
    }

    /// The end of a leading queue id followed by `: `, if the body starts with one.
    @inline(__always)
    static func queueIDEnd(_ body: ByteView) -> Int? {
        var index = 0
        let limit = Swift.min(body.count, QueueID.maxLength + 1)
        while index < limit {
            let byte = body[index]
            if byte == UInt8(ascii: ":") {
                guard index >= QueueID.minLength, index + 1 < body.count, body[index + 1] == 0x20 else { return nil }
                return index
            }
            guard QueueID.code(of: byte) != nil else { return nil }
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
            } else {
                valueEnd = valueStart
                while valueEnd < body.count {
                    let byte = body[valueEnd]
                    if byte == UInt8(ascii: ",") || byte == 0x20 { break }
                    valueEnd += 1
                }
                next = valueEnd
            }
            let value = valueStart..<valueEnd
            store(key: key, value: value, in: body, into: &fields)
            if key.matches("status") && key.count == 6 {
                // `status=sent (250 2.0.0 …)`: the rest of the line is the detail.
                if next + 1 < body.count && body[next] == 0x20 && body[next + 1] == UInt8(ascii: "(") {
                    let detailEnd = body[body.count - 1] == UInt8(ascii: ")") ? body.count - 1 : body.count
                    fields.statusDetail = (next + 2)..<Swift.max(next + 2, detailEnd)
                    if let queued = body[fields.statusDetail!].firstRange(of: "queued as ") {
                        let idStart = next + 2 + queued.upperBound
                        var idEnd = idStart
                        while idEnd < detailEnd, QueueID.code(of: body[idEnd]) != nil { idEnd += 1 }
                        if idEnd > idStart { fields.queuedAs = idStart..<idEnd }
                    }
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

    @inline(__always)
    static func closingAngle(_ body: ByteView, from start: Int) -> Int {
        var index = start
        var candidate = -1
        while index < body.count {
            if body[index] == UInt8(ascii: ">") {
                candidate = index
                let after = index + 1
                if after == body.count || body[after] == UInt8(ascii: ",") || body[after] == 0x20 { return index }
            }
            index += 1
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

    /// `…; from=<a> to=<b> proto=ESMTP helo=<h>` after a reject, and the client in `from host[ip]`.
    static func parseRejectTail(_ body: ByteView, from start: Int, into fields: inout PostfixFields) {
        if let from = body.firstRange(of: " from ", from: start) {
            parsePeer(body, from: from.upperBound, into: &fields, asClient: true)
        }
        if let tail = body.firstRange(of: "; from=<", from: start) {
            parseKeyValues(body, from: tail.lowerBound + 2, into: &fields)
        }
    }

    /// Lines without a queue id: `connect from host[ip]`, `disconnect from …`,
    /// `lost connection after DATA from host[ip]`, TLS lines, postscreen's `CONNECT from [ip]:port`.
    static func parseSessionLine(_ body: ByteView, into fields: inout PostfixFields) {
        if let from = body.firstRange(of: " from ") ?? (body.matches("from ") ? 0..<5 : nil) {
            parsePeer(body, from: from.upperBound, into: &fields, asClient: true)
        } else if let to = body.firstRange(of: " to ") {
            parsePeer(body, from: to.upperBound, into: &fields)
        } else if body.matches("PASS ") || body.matches("DISCONNECT ") || body.matches("HANGUP ")
            || body.matches("WHITELISTED ") || body.matches("PREGREET ") || body.matches("DNSBL ")
            || body.matches("COMMAND ") || body.matches("NON-SMTP ") || body.matches("BARE NEWLINE ")
            || body.matches("BLACKLISTED ") || body.matches("DENYLISTED ") || body.matches("ALLOWLISTED ")
        {
            if let open = body.firstIndex(of: UInt8(ascii: "[")) {
                parsePeer(body, from: open, into: &fields, asClient: true)
            }
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
