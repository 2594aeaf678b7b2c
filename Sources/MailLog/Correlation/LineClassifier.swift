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

/// What one line of a log is to an ingest: a `LineVerdict` whose event holds interned strings.
enum FactVerdict: Sendable {
    case mail(TimedFact?)
    case otherProgram
    case unrecognised
    /// A line with Roundcube's shape that cannot be read: unrecognised, shown with what is
    /// wrong with it instead of its text (`LineClassifier.roundcubeSample`).
    case unreadableRoundcube(RoundcubeLogProblem.Code)
    case unreadableHeader(HeaderProblem)
}

/// What a parsing thread needs to turn lines into facts: the table it interns into, the domain
/// bare login names complete to, and its own memory of the addresses it met. Lent to one parsing
/// task at a time (`Ingestor.Run.contexts`), and kept from chunk to chunk.
struct FactContext {
    let strings: StringTable
    /// `@domain`, lower case, when bare login names take a domain.
    let loginSuffix: [UInt8]?
    /// The webmail's hosts (`IngestOptions.webmailHosts`), as bytes.
    let webmailHosts: [[UInt8]]
    /// Every address met, in memory of this context's own.
    private let interns = LocalInterns()
    /// The stamp of the last line framed, for the next one that starts with the same bytes.
    let stamps = SyslogFramer.StampMemo()

    init(strings: StringTable, loginDomain: String?, webmailHosts: Set<String> = []) {
        self.strings = strings
        loginSuffix = loginDomain.map { Array(("@" + $0.lowercased()).utf8) }
        self.webmailHosts = webmailHosts.sorted().map { Array($0.utf8) }
    }

    /// An address as logged, ASCII letters lowered.
    @inline(__always)
    func address(_ bytes: ByteView) -> StringID {
        guard bytes.count > 0 else { return 0 }
        let hash = StringTable.hash(bytes, fold: true)
        return interns.id(of: bytes, hash: hash) { strings.intern(bytes, foldCase: true, hash: hash) }
    }

    /// A login or SASL name as an address: lower case, with the login domain when bare.
    func login(_ bytes: ByteView) -> StringID {
        guard let loginSuffix, bytes.count > 0, bytes.firstIndex(of: UInt8(ascii: "@")) == nil else {
            return address(bytes)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + loginSuffix.count) { buffer in
            let base = buffer.baseAddress!
            base.update(from: bytes.base, count: bytes.count)
            loginSuffix.withUnsafeBufferPointer { (base + bytes.count).update(from: $0.baseAddress!, count: $0.count) }
            return address(ByteView(base: base, count: bytes.count + loginSuffix.count))
        }
    }
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
        let context = FactContext(strings: StringTable(), loginDomain: nil)
        switch classify(line, stamp: &stamp, context) {
        case .mail(let timed):
            return .mail(timed.map { TimedEvent(time: $0.time, event: $0.fact.event(context.strings)) })
        case .otherProgram: return .otherProgram
        case .unrecognised, .unreadableRoundcube: return .unrecognised
        case .unreadableHeader(let problem): return .unreadableHeader(problem)
        }
    }

    /// Classifies `line` as `classify(_:stamp:)` does, interning its strings with `context`;
    /// `isClean` is `line.isCleanText`, when the caller knows it already.
    static func classify(
        _ line: ByteView, stamp: inout LineTime?, _ context: FactContext, isClean: Bool? = nil
    ) -> FactVerdict {
        guard isClean ?? line.isCleanText, let frame = SyslogFramer.frame(line, memo: context.stamps) else {
            // Roundcube's lines, read or not, before any sample could show their names.
            return line.matches("[") ? roundcubeVerdict(line, stamp: &stamp, context) : .unrecognised
        }
        stamp = frame.time
        let program = line[frame.program]
        let body = line[frame.body]
        if let service = postfixService(program) {
            let host = frame.host.isEmpty ? 0 : hostHash(line[frame.host])
            var problem: HeaderProblem?
            let fact = postfixFact(service: service, body: body, host: host, problem: &problem, context)
            if let problem { return .unreadableHeader(problem) }
            return .mail(fact.map { TimedFact(time: frame.time, fact: $0) })
        }
        if DovecotParser.isDovecot(program: program) {
            return .mail(
                dovecotFact(program: program, body: body, context).map { TimedFact(time: frame.time, fact: $0) })
        }
        if program.matches("imap(") {
            // Dovecot's own log file names the user's process as the program: its `ID sent:`,
            // and its session's end.
            if let id = DovecotClientID.parse(program: program, body: body) {
                return .mail(TimedFact(time: frame.time, fact: clientIDFact(id, context)))
            }
            if let session = sessionEnd(program: program, body: body) {
                return .mail(TimedFact(time: frame.time, fact: .sessionEnd(session)))
            }
        }
        if program.matches("roundcube"), let fact = roundcubeFact(body, context) {
            // Roundcube's `log_driver = 'syslog'`: its login lines, stamped by syslog.
            return .mail(TimedFact(time: frame.time, fact: fact))
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
        // From the end: the service is short, the path before it long (`postfix/submission/smtpd`).
        var start = program.count
        while start > 0 && program[start - 1] != UInt8(ascii: "/") { start -= 1 }
        return program.suffix(from: start == 0 ? program.count : start)
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
    static func postfixFact(
        service: ByteView, body: ByteView, host: UInt32, problem: inout HeaderProblem?, _ context: FactContext
    ) -> MailFact? {
        // Most lines carry no queue id (connect, disconnect, TLS, anvil, postscreen): leave fast.
        if body.matches("NOQUEUE: ") {
            return body.matches("NOQUEUE: reject: ") || body.matches("NOQUEUE: milter-reject: ") ? .noQueueReject : nil
        }
        guard let (queueID, idEnd) = PostfixParser.leadingQueueID(body, host: host) else { return nil }
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
                return .displayName(
                    queueID, address: context.strings.intern(address), name: context.strings.intern(name))
            case .unreadable(let found)?:
                problem = found
                return nil
            case .noName?, nil:
                return nil
            }
        }
        if let sender = queueActiveSender(rest) {
            // qmgr's `from=<…>, size=N, nrcpt=N (queue active)`, the most common queue-id line
            // after deliveries: read without the general parse, which would find the same.
            return .queueActive(queueID, sender: context.address(sender))
        }
        if let fields = PostfixParser.parseDelivery(body, from: idEnd + 2) {
            // A delivery (`to=<…>, relay=…, …, status=…`), the commonest queue-id line: only the
            // fields its event needs, read as the general parse reads them.
            return statusFact(queueID, fields, service: service, body: body, host: host, context)
        }
        // A `key=value` list (deliveries, `client=`) is what the general parse would read after
        // the queue id it already found; go straight to it.
        let fields =
            PostfixParser.startsWithKey(rest)
            ? PostfixParser.parseKeyValueLine(body, queueIDEnd: idEnd) : PostfixParser.parse(body)
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
            return .queueActive(queueID, sender: context.address(body[from]))
        }
        if fields.status != nil {
            return statusFact(queueID, DeliveryFields(fields), service: service, body: body, host: host, context)
        }
        if (service.matches("smtpd") || service.isEmpty) && rest.matches("client=") {
            return .client(
                queueID, saslUser: fields.saslUsername.map { context.login(body[$0]) },
                isLoopback: fields.clientIP.map { isLoopback(body[$0]) } ?? false)
        }
        return nil
    }

    /// The sender of qmgr's `from=<SENDER>, size=N, nrcpt=N` line, optionally followed by
    /// ` (…)`; nil for any other text. Exactly the lines the general parse reads as queue-active
    /// with this sender (it stops at the ` (`).
    @inline(__always)
    static func queueActiveSender(_ rest: ByteView) -> ByteView? {
        guard rest.matches("from=<") else { return nil }
        let close = PostfixParser.closingAngle(rest, from: 6)
        guard close < rest.count, rest.matches(", size=", at: close + 1) else { return nil }
        var index = close + 8
        let sizeStart = index
        while index < rest.count, rest[index] &- 0x30 < 10 { index += 1 }
        guard index > sizeStart, rest.matches(", nrcpt=", at: index) else { return nil }
        index += 8
        let countStart = index
        while index < rest.count, rest[index] &- 0x30 < 10 { index += 1 }
        guard index > countStart, index == rest.count || rest.matches(" (", at: index) else { return nil }
        return rest[6..<close]
    }

    /// The event of a line with a `status=`: a delivery, or a message expired.
    @inline(__always)
    static func statusFact(
        _ queueID: QueueID, _ fields: DeliveryFields, service: ByteView, body: ByteView, host: UInt32,
        _ context: FactContext
    ) -> MailFact? {
        let word = body[fields.status!]
        if fields.to == nil {
            return word.matches("expired") ? .expired(queueID) : nil
        }
        return .delivery(
            queueID, delivery(service: service, fields: fields, status: word, body: body, host: host, context))
    }

    static func delivery(
        service: ByteView, fields: DeliveryFields, status word: ByteView, body: ByteView, host: UInt32,
        _ context: FactContext
    ) -> DeliveryFact {
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
            let original = context.address(body[origTo])
            let recipient = context.address(body[fields.to!])
            if original != recipient {
                return DeliveryFact(
                    agent: agent, recipient: recipient, status: status, handoff: handoff, originalRecipient: original)
            }
        }
        return DeliveryFact(
            agent: agent, recipient: handoff == nil ? context.address(body[fields.to!]) : 0, status: status,
            handoff: handoff)
    }

    /// The agent of a delivery line whose program name lost its service: `relay=local`,
    /// `relay=virtual`, a relay on a socket (`host[private/dovecot-lmtp]`) or a `delivered …`
    /// reply is a mailbox; a relay at `host[ip]:port` is another server. (LMTP over TCP reads
    /// as another server here; name the service in the log to tell it apart.)
    static func inferredAgent(_ fields: DeliveryFields, _ body: ByteView) -> DeliveryAgent {
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
