/// Receives what the correlator finds, one fact at a time, in log order.
public protocol ActivityRecorder {
    /// `user` submitted an accepted message (authenticated smtpd).
    mutating func recordSubmission(user: String, at time: Int64)
    /// A message was delivered into `mailbox`.
    mutating func recordReceipt(mailbox: String, at time: Int64)
    /// `sender` sent a message to `recipient` (one message, first delivery attempt).
    mutating func recordExchange(sender: String, recipient: String, at time: Int64)
    /// Mail for `original` went on to `recipient` (an alias or a forward), once per message.
    mutating func recordForward(original: String, recipient: String, at time: Int64)
    mutating func recordLogin(user: String, service: LoginService, at time: Int64)
    mutating func recordFailedLogin(user: String, attempts: Int, at time: Int64)
    /// The From header of one accepted message showed `name` (folded) for `address`: once per
    /// message, never for a notification or a content filter's re-injected copy.
    mutating func recordDisplayName(address: String, name: String, at time: Int64)

    // The same facts with interned strings, as the correlator gives them; by default looked up
    // in `strings` and passed on to the methods above.
    mutating func recordSubmission(user: StringID, at time: Int64, strings: StringTable)
    mutating func recordReceipt(mailbox: StringID, at time: Int64, strings: StringTable)
    mutating func recordExchange(sender: StringID, recipient: StringID, at time: Int64, strings: StringTable)
    mutating func recordForward(original: StringID, recipient: StringID, at time: Int64, strings: StringTable)
    mutating func recordLogin(user: StringID, service: LoginService, at time: Int64, strings: StringTable)
    mutating func recordFailedLogin(user: StringID, attempts: Int, at time: Int64, strings: StringTable)
    mutating func recordDisplayName(address: StringID, name: StringID, at time: Int64, strings: StringTable)

    // Client evidence (`ClientCorrelation.swift`); by default ignored.
    /// A login or failed attempts through an origin, with the client it named.
    mutating func recordClientLogin(_ login: ClientLogin, at time: Int64, strings: StringTable)
    /// A line that is evidence of clients, whatever it named.
    mutating func recordClientEvidence(_ kind: ClientEvidenceKind, at time: Int64)
}

extension ActivityRecorder {
    public mutating func recordSubmission(user: StringID, at time: Int64, strings: StringTable) {
        recordSubmission(user: strings[user], at: time)
    }

    public mutating func recordReceipt(mailbox: StringID, at time: Int64, strings: StringTable) {
        recordReceipt(mailbox: strings[mailbox], at: time)
    }

    public mutating func recordExchange(sender: StringID, recipient: StringID, at time: Int64, strings: StringTable) {
        recordExchange(sender: strings[sender], recipient: strings[recipient], at: time)
    }

    public mutating func recordForward(original: StringID, recipient: StringID, at time: Int64, strings: StringTable) {
        recordForward(original: strings[original], recipient: strings[recipient], at: time)
    }

    public mutating func recordLogin(user: StringID, service: LoginService, at time: Int64, strings: StringTable) {
        recordLogin(user: strings[user], service: service, at: time)
    }

    public mutating func recordFailedLogin(user: StringID, attempts: Int, at time: Int64, strings: StringTable) {
        recordFailedLogin(user: strings[user], attempts: attempts, at: time)
    }

    public mutating func recordDisplayName(address: StringID, name: StringID, at time: Int64, strings: StringTable) {
        recordDisplayName(address: strings[address], name: strings[name], at: time)
    }
}

/// Follows messages through the queue by queue id and turns log events into activity.
///
/// A message lives from its first line to qmgr's `removed`; the same queue id after that is a
/// new message, as it is when a new client (smtpd's `client=`, pickup's `uid=`) names the id of
/// a message already delivered whose `removed` line is missing. Its state — who authenticated, the envelope sender, which recipients have been
/// seen — is kept until then, and is saved with each ingest checkpoint so that a message whose
/// lines span two runs (or a crash) is counted exactly once.
///
/// Counting rules (DESIGN.md, "Definitions"):
/// - a submission is counted when an authenticated message reaches the active queue;
/// - a receipt for each recipient with `status=sent` by a mailbox agent, once per message,
///   bounce notifications included (they are deliveries, though nobody's correspondence);
/// - an exchange between sender and recipient at the first delivery attempt of each recipient
///   that is not a hop, for messages that are not notifications (`from=<>`);
/// - a message handed to a content filter on this machine and re-injected under a new queue id,
///   or re-queued by local(8) after expanding an alias or a `.forward` (`forwarded as ID`), is
///   one message: the hop is not a delivery and the new id is not counted again;
/// - a forward from the address a message was sent to (`orig_to`) to its final recipient, once
///   per message and recipient, on the first line that names it (with a content filter, the hop);
/// - the From header's display name once per accepted message that is neither a notification
///   nor a re-injected copy: at once when the message is surely an original (its client
///   authenticated or came from another machine), else when it can no longer turn out to be a
///   re-injection (`hopWindow` after its removal, in log time; the name waits in the state).
public struct Correlator: Sendable {
    /// What the correlator knows of open and recently removed messages. Addresses in it are
    /// interned in `strings`; it is saved with them written out (`encoded()`; older versions
    /// saved JSON, `SavedState`).
    public struct State: Sendable, Codable, Equatable {
        /// The strings the state's ids name; the parsing threads intern into it too.
        public let strings: StringTable
        var open = QueueTable<OpenMessage>()
        /// Ids named by a content-filter hop before their own lines were seen.
        var handoffs = QueueTable<Int64>()
        /// Ids named as notifications by bounce before their own lines were seen.
        var notices = QueueTable<Int64>()
        /// Messages counted and removed within the last hour, by id, with the time of removal: a
        /// content filter's re-injected copy can be delivered and removed before the hop that
        /// names it is logged.
        var recentlyRemoved = QueueTable<RemovedMessage>()
        /// The same ids in the order they were removed, for forgetting the oldest first.
        var removalOrder: [QueueID] = []
        var removalStart = 0
        /// The newest stamp seen, for retiring stale state.
        var clock: Int64 = 0
        /// IMAP sessions waiting for their login or their client's `ID` (`ClientSessions`).
        var clients = ClientSessions()

        public init() {
            strings = StringTable()
        }

        /// Messages still in the queue at the end of the log read so far.
        public var openMessages: Int { open.count }

        public init(from decoder: any Decoder) throws {
            let saved = try decoder.singleValueContainer().decode(SavedState.self)
            self.init()
            let strings = self.strings
            func name(_ saved: SavedHeaderName?) -> HeaderName? {
                saved.map {
                    HeaderName(address: strings.intern($0.address), name: strings.intern($0.name), time: $0.time)
                }
            }
            func recipients(_ saved: SavedRecipientSet) -> RecipientSet {
                var set = RecipientSet()
                for recipient in saved.elements { set.insert(strings.intern(recipient)) }
                return set
            }
            open.reserveCapacity(saved.open.count)
            for (id, message) in saved.open {
                open[id] = OpenMessage(
                    saslUser: message.saslUser.map(strings.intern), sender: message.sender.map(strings.intern),
                    counted: message.counted, isReinjection: message.isReinjection,
                    isNotification: message.isNotification, exchanged: recipients(message.exchanged),
                    delivered: recipients(message.delivered), forwarded: message.forwarded.map(recipients),
                    lastSeen: message.lastSeen, isExternal: message.isExternal, hasName: message.hasName,
                    pendingName: name(message.pendingName), isDelivered: message.isDelivered)
            }
            for (id, time) in saved.handoffs { handoffs[id] = time }
            for (id, time) in saved.notices { notices[id] = time }
            for (id, removed) in saved.recentlyRemoved {
                recentlyRemoved[id] = RemovedMessage(
                    isNotification: removed.isNotification, time: removed.time, pendingName: name(removed.pendingName))
            }
            removalOrder = saved.removalOrder
            removalStart = saved.removalStart
            clock = saved.clock
            if let sessions = saved.clients { clients = ClientSessions(sessions, strings) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(saved)
        }

        /// The state with its strings looked up, as it is saved.
        var saved: SavedState {
            func name(_ name: HeaderName?) -> SavedHeaderName? {
                name.map { SavedHeaderName(address: strings[$0.address], name: strings[$0.name], time: $0.time) }
            }
            func recipients(_ set: RecipientSet) -> SavedRecipientSet {
                SavedRecipientSet(set.elements.map { strings[$0] })
            }
            var saved = SavedState()
            saved.open.reserveCapacity(open.count)
            for (id, message) in open {
                saved.open[id] = SavedMessage(
                    saslUser: message.saslUser.map { strings[$0] }, sender: message.sender.map { strings[$0] },
                    counted: message.counted, isReinjection: message.isReinjection,
                    isNotification: message.isNotification, exchanged: recipients(message.exchanged),
                    delivered: recipients(message.delivered), forwarded: message.forwarded.map(recipients),
                    lastSeen: message.lastSeen, isExternal: message.isExternal, hasName: message.hasName,
                    pendingName: name(message.pendingName), isDelivered: message.isDelivered)
            }
            for (id, time) in handoffs { saved.handoffs[id] = time }
            for (id, time) in notices { saved.notices[id] = time }
            for (id, removed) in recentlyRemoved {
                saved.recentlyRemoved[id] = SavedRemovedMessage(
                    isNotification: removed.isNotification, time: removed.time, pendingName: name(removed.pendingName))
            }
            saved.removalOrder = removalOrder
            saved.removalStart = removalStart
            saved.clock = clock
            saved.clients = clients.isEmpty ? nil : clients.saved(strings)
            return saved
        }

        /// Equal when they say the same, whichever tables their strings are interned in.
        public static func == (lhs: State, rhs: State) -> Bool {
            lhs.saved == rhs.saved
        }
    }

    struct RemovedMessage: Sendable, Equatable {
        var isNotification: Bool
        var time: Int64
        /// A From name waiting until no hop can name this message any more (older states lack it).
        var pendingName: HeaderName?
    }

    /// A From header's address and folded name, with the time it was logged.
    struct HeaderName: Sendable, Equatable {
        var address: StringID
        var name: StringID
        var time: Int64
    }

    /// How long a removed message is remembered for a late content-filter hop.
    static let hopWindow: Int64 = 3600

    struct OpenMessage: Sendable, Equatable {
        var saslUser: StringID?
        /// nil until qmgr names it; the empty string (0) for a notification.
        var sender: StringID?
        var counted = false
        var isReinjection = false
        var isNotification = false
        /// Recipients seen and delivered.
        var exchanged = RecipientSet()
        var delivered = RecipientSet()
        /// Recipients an alias or forward led to (nil: none yet; older saved states lack it).
        var forwarded: RecipientSet?
        var lastSeen: Int64
        /// True when the client was on another machine: no content filter's re-injection.
        var isExternal: Bool?
        /// True once a From header was read for it: later ones (smtp's header checks) are ignored.
        var hasName: Bool?
        /// The From name, until the message is known to be an original, accepted message.
        var pendingName: HeaderName?
        /// True once a recipient's delivery was final (sent, bounced, expired, or a hop): a new
        /// client for its id then starts a new message, even without qmgr's `removed` (older
        /// saved states lack it).
        var isDelivered: Bool?

        /// Whether it is surely no re-injection: re-injections never authenticate and come from this machine.
        var isOriginal: Bool { saslUser != nil || isExternal == true }
    }

    /// State older than this (seconds of log time) is retired: Postfix gives up on a message
    /// after 5 days by default, so 10 days of silence means its end was never logged.
    public static let retirement: Int64 = 10 * 86_400

    public internal(set) var state: State
    public private(set) var statistics = IngestStatistics()
    /// Appended to bare user names (`annv`) to make addresses, when the server logs them so.
    public let loginDomain: String?

    public init(state: State = State(), loginDomain: String? = nil) {
        self.state = state
        self.loginDomain = loginDomain?.lowercased()
    }

    /// Takes the statistics gathered since the last call, and resets them.
    public mutating func takeStatistics() -> IngestStatistics {
        defer { statistics = IngestStatistics() }
        return statistics
    }

    /// Counts lines the reader classified; `unreadableHeaders` are among the `parsed` ones.
    public mutating func countLines(
        read: Int, parsed: Int, otherPrograms: Int, unrecognised: Int, unreadableHeaders: Int = 0
    ) {
        statistics.linesRead += read
        statistics.linesParsed += parsed
        statistics.linesSkipped += otherPrograms + unrecognised
        statistics.linesUnrecognised += unrecognised
        statistics.unreadableHeaders += unreadableHeaders
    }

    /// Applies one event at `time` (UTC seconds).
    public mutating func apply<Recorder: ActivityRecorder>(
        _ event: MailEvent, at time: Int64, to recorder: inout Recorder
    ) {
        let strings = state.strings
        let fact: MailFact
        switch event {
        case .client(let id, let saslUser, let isLoopback):
            fact = .client(id, saslUser: saslUser.map { strings.intern(normalise($0)) }, isLoopback: isLoopback)
        case .queueActive(let id, let sender): fact = .queueActive(id, sender: strings.intern(sender))
        case .cleanupReject(let id): fact = .cleanupReject(id)
        case .noQueueReject: fact = .noQueueReject
        case .delivery(let id, let delivery):
            fact = .delivery(
                id,
                DeliveryFact(
                    agent: delivery.agent, recipient: strings.intern(delivery.recipient), status: delivery.status,
                    handoff: delivery.handoff, originalRecipient: delivery.originalRecipient.map(strings.intern)))
        case .expired(let id): fact = .expired(id)
        case .notification(let id): fact = .notification(id)
        case .removed(let id): fact = .removed(id)
        case .displayName(let id, let address, let name):
            fact = .displayName(id, address: strings.intern(address), name: strings.intern(name))
        case .login(let user, let service):
            fact = .login(
                LoginFact(user: strings.intern(normalise(user)), service: service, succeeded: true, attempts: 0))
        case .loginFailed(let user, let service, let attempts):
            fact = .login(
                LoginFact(
                    user: user.map { strings.intern(normalise($0)) }, service: service, succeeded: false,
                    attempts: Int32(clamping: attempts)))
        case .dovecotLogin(let login):
            fact = .login(
                LoginFact(
                    user: login.user.map { strings.intern(normalise($0)) }, service: login.service,
                    succeeded: login.succeeded, fromWebmailHost: login.fromWebmailHost,
                    attempts: Int32(clamping: login.attempts), session: login.session))
        case .clientID(let id):
            fact = .clientID(
                ClientIDFact(
                    user: id.user.map { strings.intern(normalise($0)) } ?? 0, session: id.session,
                    name: strings.intern(id.name), os: strings.intern(id.os)))
        case .webmailLogin(let user, let succeeded):
            fact = .webmailLogin(user: strings.intern(normalise(user)), succeeded: succeeded)
        case .sessionEnd(let session): fact = .sessionEnd(session)
        }
        apply(fact, at: time, to: &recorder)
    }

    /// Applies one fact at `time` (UTC seconds); its strings are interned in `state.strings`,
    /// login names already completed with the login domain.
    mutating func apply<Recorder: ActivityRecorder>(_ fact: MailFact, at time: Int64, to recorder: inout Recorder) {
        if case .webmailLogin(let user, let succeeded) = fact {
            // Roundcube's own log, another file: its stamps must not move the mail log's clock.
            webmailLogin(user: user, succeeded: succeeded, at: time, to: &recorder)
            return
        }
        if time > state.clock {
            if time / 60 != state.clock / 60 { retireStale(at: time, to: &recorder) }
            state.clock = time
        }
        switch fact {
        case .client(let id, let user, let isLoopback):
            // Moved out of the table and back (`consume`), never copied: a copy retains and
            // releases its recipient sets.
            var taken = state.open.take(id)
            if taken?.counted == true && taken?.isDelivered == true {
                // The id was reused (it only names a queue file) and the old message's `removed`
                // line is missing: that message was delivered, and this client starts a new one.
                state.open[id] = taken.take()
                remove(id, at: time)
            }
            var message = taken.take() ?? OpenMessage(lastSeen: time)
            message.lastSeen = time
            message.saslUser = user
            if !isLoopback { message.isExternal = true }
            settleName(&message, to: &recorder)
            state.open[id] = consume message
        case .displayName(let id, let address, let name):
            var message = state.open.take(id) ?? OpenMessage(lastSeen: time)
            message.lastSeen = time
            if message.hasName != true {
                message.hasName = true
                let known = message.isReinjection || message.isNotification || state.handoffs[id] != nil
                if !known && state.notices[id] == nil {
                    message.pendingName = HeaderName(address: address, name: name, time: time)
                    settleName(&message, to: &recorder)
                }
            }
            state.open[id] = consume message
        case .queueActive(let id, let sender):
            var message = state.open.take(id) ?? OpenMessage(lastSeen: time)
            message.lastSeen = time
            message.sender = sender
            if state.handoffs.removeValue(forKey: id) != nil { message.isReinjection = true }
            if state.notices.removeValue(forKey: id) != nil || sender == 0 { message.isNotification = true }
            if message.isReinjection || message.isNotification { message.pendingName = nil }
            if !message.counted {
                message.counted = true
                if !message.isReinjection {
                    if message.isNotification {
                        statistics.notifications += 1
                    } else {
                        statistics.messages += 1
                        if let user = message.saslUser {
                            statistics.submissions += 1
                            recorder.recordSubmission(user: user, at: time, strings: state.strings)
                        }
                    }
                }
            }
            settleName(&message, to: &recorder)
            state.open[id] = consume message
        case .cleanupReject(let id):
            statistics.rejected += 1
            state.open.removeValue(forKey: id)
        case .noQueueReject:
            statistics.rejected += 1
        case .delivery(let id, let delivery):
            deliver(delivery, of: id, at: time, to: &recorder)
        case .expired(let id):
            statistics.expired += 1
            update(id, at: time) { $0.isDelivered = true }
        case .notification(let id):
            if var message = state.open[id] {
                if message.counted && !message.isNotification && !message.isReinjection {
                    statistics.messages -= 1
                    statistics.notifications += 1
                }
                message.isNotification = true
                message.pendingName = nil
                state.open[id] = message
            } else {
                state.notices[id] = time
            }
        case .removed(let id):
            remove(id, at: time)
        case .login(let login):
            if login.succeeded {
                statistics.logins += 1
                if let user = login.user {
                    recorder.recordLogin(user: user, service: login.service, at: time, strings: state.strings)
                }
            } else {
                let attempts = Int(login.attempts)
                statistics.loginFailures += attempts
                if let user = login.user {
                    recorder.recordFailedLogin(user: user, attempts: attempts, at: time, strings: state.strings)
                }
            }
            clientLogin(login, at: time, to: &recorder)
        case .clientID(let id):
            clientID(id, at: time, to: &recorder)
        case .sessionEnd(let session):
            endSession(session, at: time, to: &recorder)
        case .webmailLogin:
            break
        }
    }

    /// Ends message `id`: its queue file is gone, and the id may name a new message next.
    mutating func remove(_ id: QueueID, at time: Int64) {
        if let message = state.open.removeValue(forKey: id), message.counted, !message.isReinjection {
            state.recentlyRemoved[id] = RemovedMessage(
                isNotification: message.isNotification, time: time,
                pendingName: message.isNotification ? nil : message.pendingName)
            state.removalOrder.append(id)
        }
    }

    mutating func deliver<Recorder: ActivityRecorder>(
        _ delivery: DeliveryFact, of id: QueueID, at time: Int64, to recorder: inout Recorder
    ) {
        // Taken out of the table while it changes, and moved back, so that its recipient sets
        // are never copied.
        var message = state.open.take(id) ?? OpenMessage(lastSeen: time)
        message.lastSeen = time
        deliver(delivery, to: &message, at: time, to: &recorder)
        state.open[id] = consume message
    }

    /// The changes `deliver(_:of:at:to:)` makes to its message.
    mutating func deliver<Recorder: ActivityRecorder>(
        _ delivery: DeliveryFact, to message: inout OpenMessage, at time: Int64, to recorder: inout Recorder
    ) {
        if delivery.status == .sent || delivery.status == .bounced || delivery.status == .expired {
            message.isDelivered = true
        }
        if let original = delivery.originalRecipient, delivery.status != .other, !message.isNotification,
            let sender = message.sender, sender != 0, message.forwarded?.contains(delivery.recipient) != true
        {
            if message.forwarded == nil { message.forwarded = RecipientSet() }
            message.forwarded!.insert(delivery.recipient)
            recorder.recordForward(original: original, recipient: delivery.recipient, at: time, strings: state.strings)
        }
        if let next = delivery.handoff {
            // A hop (content filter, local forward): the message comes back as `next`, which must not
            // count again. A From name only the copy's cleanup logged is the original's.
            var copyName: HeaderName?
            if var child = state.open.take(next) {
                if child.counted && !child.isReinjection {
                    // A re-injection never authenticates, so no submission was recorded for it.
                    if child.isNotification { statistics.notifications -= 1 } else { statistics.messages -= 1 }
                }
                child.isReinjection = true
                copyName = child.pendingName
                child.pendingName = nil
                state.open[next] = consume child
            } else if let removed = state.recentlyRemoved.removeValue(forKey: next) {
                if removed.isNotification { statistics.notifications -= 1 } else { statistics.messages -= 1 }
                copyName = removed.pendingName
            } else {
                state.handoffs[next] = time
            }
            if let copyName, message.hasName != true, !message.isNotification {
                message.hasName = true
                message.pendingName = copyName
                settleName(&message, to: &recorder)
            }
            return
        }
        let recipient = delivery.recipient
        if delivery.status == .sent && delivery.agent == .mailbox && message.delivered.insert(recipient) {
            // A receipt, notifications included: they are deliveries, though nobody's correspondence.
            statistics.delivered += 1
            recorder.recordReceipt(mailbox: recipient, at: time, strings: state.strings)
        }
        if message.isNotification || message.sender == 0 { return }
        switch delivery.status {
        case .sent:
            if delivery.agent == .remote {
                statistics.relayed += 1
            }
        case .deferred:
            statistics.deferred += 1
        case .bounced:
            statistics.bounced += 1
        case .expired, .other:
            break
        }
        guard delivery.status != .other, let sender = message.sender else { return }
        if message.exchanged.insert(recipient) {
            recorder.recordExchange(sender: sender, recipient: recipient, at: time, strings: state.strings)
        }
    }

    mutating func update(_ id: QueueID, at time: Int64, _ change: (inout OpenMessage) -> Void) {
        var message = state.open.take(id) ?? OpenMessage(lastSeen: time)
        message.lastSeen = time
        change(&message)
        state.open[id] = consume message
    }

    /// Records a message's waiting From name once it is surely an original, accepted message.
    mutating func settleName<Recorder: ActivityRecorder>(_ message: inout OpenMessage, to recorder: inout Recorder) {
        guard let pending = message.pendingName, message.counted, !message.isReinjection, !message.isNotification,
            message.isOriginal
        else { return }
        message.pendingName = nil
        statistics.displayNames += 1
        recorder.recordDisplayName(
            address: pending.address, name: pending.name, at: pending.time, strings: state.strings)
    }

    /// Forgets what can no longer matter: messages silent for `retirement`, removed ones past
    /// `hopWindow` (recording the From names they held: no hop can name them now).
    mutating func retireStale<Recorder: ActivityRecorder>(at time: Int64, to recorder: inout Recorder) {
        let hopCutoff = time - Correlator.hopWindow
        while state.removalStart < state.removalOrder.count {
            let id = state.removalOrder[state.removalStart]
            if let removed = state.recentlyRemoved[id] {
                guard removed.time < hopCutoff else { break }
                state.recentlyRemoved.removeValue(forKey: id)
                if let pending = removed.pendingName {
                    statistics.displayNames += 1
                    recorder.recordDisplayName(
                        address: pending.address, name: pending.name, at: pending.time, strings: state.strings)
                }
            }
            state.removalStart += 1
        }
        if state.removalStart > 4096 && state.removalStart * 2 > state.removalOrder.count {
            state.removalOrder.removeFirst(state.removalStart)
            state.removalStart = 0
        }
        // Open messages are scanned at most once an hour of log time.
        guard time / 3600 != state.clock / 3600 else { return }
        let cutoff = time - Correlator.retirement
        state.open.filter { $0.lastSeen >= cutoff }
        state.handoffs.filter { $0 >= cutoff }
        state.notices.filter { $0 >= cutoff }
    }

    /// A login or SASL name as an address: lower case, with the login domain when bare.
    func normalise(_ user: String) -> String {
        guard let loginDomain, !user.isEmpty, !user.contains("@") else { return user }
        return user + "@" + loginDomain
    }
}
