/// What one line of a log is to mailcensus.
public enum LineVerdict: Sendable, Equatable {
    /// A Postfix or Dovecot line; `event` when it matters to activity.
    case mail(TimedEvent?)
    /// A well-formed line of another program (opendkim, amavis, cron, …): skipped.
    case otherProgram
    /// A line no known log format fits: skipped, and shown as a sample.
    case unrecognised
    /// A Postfix line logging a From header that cannot be read: a parsed line, whose name is
    /// not kept (the message counts without it), counted and shown apart.
    case unreadableHeader(HeaderProblem)
}

/// Turns a raw log line into an event: frame, pick the parser by program, keep what counts.
public enum LineClassifier {
    public static func classify(_ line: ByteView) -> LineVerdict {
        var stamp: LineTime?
        return classify(line, stamp: &stamp)
    }

    /// Classifies `line`, and sets `stamp` to its time whenever its frame can be read, whatever
    /// the program: every such stamp helps to settle the year of classic syslog stamps.
    ///
    /// A line that is not valid UTF-8 or holds a NUL is unrecognised, whatever it looks like:
    /// its fields could not be stored as they were logged.
    public static func classify(_ line: ByteView, stamp: inout LineTime?) -> LineVerdict {
        guard line.isCleanText, let frame = SyslogFramer.frame(line) else { return .unrecognised }
        stamp = frame.time
        let program = line[frame.program]
        let body = line[frame.body]
        if let service = postfixService(program) {
            let host = frame.host.isEmpty ? 0 : hostHash(line[frame.host])
            var problem: HeaderProblem?
            let event = postfixEvent(service: service, body: body, host: host, problem: &problem)
            if let problem { return .unreadableHeader(problem) }
            return .mail(event.map { TimedEvent(time: frame.time, event: $0) })
        }
        if DovecotParser.isDovecot(program: program) {
            switch DovecotParser.parse(program: program, body: body) {
            case .login(let service, let user):
                return .mail(
                    TimedEvent(time: frame.time, event: .login(user: body[user].lowercasedString, service: service)))
            case .loginFailed(let service, let user, let attempts):
                let name = user.map { body[$0].lowercasedString }
                return .mail(
                    TimedEvent(time: frame.time, event: .loginFailed(user: name, service: service, attempts: attempts)))
            case .other:
                return .mail(nil)
            }
        }
        return .otherProgram
    }

    /// The Postfix service of a program name: the last path element of `postfix…/…/NAME`.
    ///
    /// Empty when the program is a bare `postfix`: rsyslog's RFC 5424 output cuts the program
    /// name at its first `/` by default, and the service must then be told from the line itself.
    @inline(__always)
    static func postfixService(_ program: ByteView) -> ByteView? {
        guard program.matches("postfix") else { return nil }
        var start = program.count
        for index in 0..<program.count where program[index] == UInt8(ascii: "/") { start = index + 1 }
        return program.suffix(from: start)
    }

    @inline(__always)
    static func hostHash(_ host: ByteView) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for index in 0..<host.count {
            hash = (hash ^ UInt32(host[index] | 0x20)) &* 16_777_619
        }
        return hash
    }

    /// The event of a Postfix line, if it has one; `problem` is set for a From header that
    /// cannot be read.
    static func postfixEvent(service: ByteView, body: ByteView, host: UInt32, problem: inout HeaderProblem?)
        -> MailEvent?
    {
        // Most lines carry no queue id (connect, disconnect, TLS, anvil, postscreen): leave fast.
        if body.matches("NOQUEUE: ") {
            return body.matches("NOQUEUE: reject: ") || body.matches("NOQUEUE: milter-reject: ") ? .noQueueReject : nil
        }
        guard let idEnd = PostfixParser.queueIDEnd(body) else { return nil }
        guard let queueID = QueueID(body[0..<idEnd], host: host) else { return nil }
        let rest = body.suffix(from: idEnd + 2)
        if rest.count == 7 && rest.matches("removed") { return .removed(queueID) }
        if rest.matches("message-id=") { return nil }
        if rest.matches("uid=") {
            // pickup's `uid=N from=<…>`: a message submitted on this machine starts.
            return service.isEmpty || service.matches("pickup")
                ? .client(queueID, saslUser: nil, isLoopback: true) : nil
        }
        if rest.matches("info: header ") {
            // cleanup's `header_checks` INFO; smtp's `smtp_header_checks` log the same way.
            guard service.isEmpty || service.matches("cleanup") else { return nil }
            switch FromHeader.parse(rest) {
            case .name(let address, let name)?:
                return .displayName(queueID, address: address, name: name)
            case .unreadable(let found)?:
                problem = found
                return nil
            case .noName?, nil:
                return nil
            }
        }
        let fields = PostfixParser.parse(body)
        if fields.isCleanupReject {
            // cleanup's reject ends the message; smtpd's `QUEUEID: reject: RCPT …` only refuses
            // one recipient of a message that goes on.
            let isMessageReject = service.isEmpty ? !isCommandReject(rest) : service.matches("cleanup")
            return isMessageReject ? .cleanupReject(queueID) : nil
        }
        if let notice = fields.notificationQueueID {
            return QueueID(body[notice], host: host).map { .notification($0) }
        }
        if fields.isQueueActive, let from = fields.from {
            return .queueActive(queueID, sender: body[from].lowercasedString)
        }
        if let status = fields.status {
            let word = body[status]
            if fields.to == nil {
                return word.matches("expired") ? .expired(queueID) : nil
            }
            return .delivery(queueID, delivery(service: service, fields: fields, status: word, body: body, host: host))
        }
        if (service.matches("smtpd") || service.isEmpty) && rest.matches("client=") {
            return .client(
                queueID, saslUser: fields.saslUsername.map { body[$0].lowercasedString },
                isLoopback: fields.clientIP.map { isLoopback(body[$0]) } ?? false)
        }
        return nil
    }

    static func delivery(
        service: ByteView, fields: PostfixFields, status word: ByteView, body: ByteView, host: UInt32
    ) -> Delivery {
        let status: DeliveryStatus
        switch word.count {
        case 4 where word.matches("sent"): status = .sent
        case 8 where word.matches("deferred"): status = .deferred
        case 7 where word.matches("bounced"): status = .bounced
        case 7 where word.matches("expired"): status = .expired
        default: status = .other
        }
        let agent: DeliveryAgent
        switch service.count {
        case 0:
            agent = inferredAgent(fields, body)
        case 4 where service.matches("lmtp"), 4 where service.matches("pipe"), 5 where service.matches("local"),
            7 where service.matches("virtual"):
            agent = .mailbox
        case 4 where service.matches("smtp"), 5 where service.matches("relay"):
            agent = .remote
        default:
            agent = .other
        }
        var handoff: QueueID?
        if status == .sent, let queued = fields.queuedAs, let ip = fields.relayIP, isLoopback(body[ip]) {
            handoff = QueueID(body[queued], host: host)
        } else if status == .sent, let forwarded = fields.forwardedAs {
            // local(8) expanded an alias or a `.forward` into a new queue file.
            handoff = QueueID(body[forwarded], host: host)
        }
        // A hop's recipient is not needed, unless forwarded: the re-injected copy names it again.
        // `orig_to` is logged only when an alias or a forward changed the recipient.
        if let origTo = fields.origTo {
            let original = body[origTo].lowercasedString
            let recipient = body[fields.to!].lowercasedString
            if original != recipient {
                return Delivery(
                    agent: agent, recipient: recipient, status: status, handoff: handoff, originalRecipient: original)
            }
        }
        return Delivery(
            agent: agent, recipient: handoff == nil ? body[fields.to!].lowercasedString : "", status: status,
            handoff: handoff)
    }

    /// The agent of a delivery line whose program name lost its service: `relay=local`,
    /// `relay=virtual`, a relay on a socket (`host[private/dovecot-lmtp]`) or a `delivered …`
    /// reply is a mailbox; a relay at `host[ip]:port` is another server. (LMTP over TCP reads
    /// as another server here; name the service in the log to tell it apart.)
    static func inferredAgent(_ fields: PostfixFields, _ body: ByteView) -> DeliveryAgent {
        guard let relay = fields.relay else { return .other }
        let value = body[relay]
        if (value.count == 5 && value.matches("local")) || (value.count == 7 && value.matches("virtual")) {
            return .mailbox
        }
        if let ip = fields.relayIP, body[ip].firstIndex(of: UInt8(ascii: "/")) != nil { return .mailbox }
        if let detail = fields.statusDetail, body[detail].matches("delivered ") { return .mailbox }
        return fields.relayPort != nil ? .remote : .other
    }

    /// Whether a `reject:` refuses one SMTP command (`RCPT`, `MAIL`, …) rather than the message.
    static func isCommandReject(_ rest: ByteView) -> Bool {
        let command = rest.suffix(from: rest.matches("reject: ") ? 8 : 15)
        return command.matches("RCPT ") || command.matches("MAIL ") || command.matches("DATA ")
            || command.matches("VRFY ") || command.matches("ETRN ") || command.matches("CONNECT ")
            || command.matches("HELO ") || command.matches("EHLO ") || command.matches("BDAT ")
    }

    static func isLoopback(_ ip: ByteView) -> Bool {
        ip.matches("127.") || (ip.count == 3 && ip.matches("::1")) || ip.matches("ipv6:::1")
            || (ip.count == 9 && ip.matches("localhost"))
    }
}
