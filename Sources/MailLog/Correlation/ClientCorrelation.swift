/// IMAP sessions waiting to be joined to their client: a login waiting for the `ID` its client
/// sends after it (Dovecot logs `Login:` first, then `imap(U)<pid><session>: ID sent: …`), and
/// an `ID` sent before the login waiting for it (`imap-login: ID sent: …: user=<>, …,
/// session=<S>`, then `Login: …, session=<S>`).
///
/// A login waits until its `ID` comes, its session's process logs `Disconnected`, or
/// `window` seconds of log time pass (clients send `ID` at once); then it is recorded, with or
/// without a client. At most `limit` sessions wait: past it, the oldest is recorded at once.
/// Saved with the correlator's state, so that a session cut by a commit or a crash is joined
/// all the same.
struct ClientSessions: Sendable, Equatable {
    struct PendingLogin: Sendable, Equatable {
        var user: StringID
        var time: Int64
    }

    struct PendingID: Sendable, Equatable {
        var name: StringID
        var os: StringID
        var time: Int64
    }

    /// How long a login waits for its client's `ID`, and an `ID` for its login, in seconds of log time.
    static let window: Int64 = 300
    /// The most sessions that wait at once.
    static let limit = 65_536

    var logins: [SessionKey: PendingLogin] = [:]
    var ids: [SessionKey: PendingID] = [:]
    /// Sessions in the order they began to wait (some since joined), for ending the oldest first.
    var order: [SessionKey] = []
    var orderStart = 0
    /// The newest stamp of a Dovecot line seen.
    var clock: Int64 = 0

    init() {}

    var isEmpty: Bool { logins.isEmpty && ids.isEmpty }

    var waiting: Int { logins.count + ids.count }

    init(_ saved: SavedClientSessions, _ strings: StringTable) {
        var started: [(time: Int64, session: SessionKey)] = []
        for login in saved.logins {
            let session = SessionKey(rawValue: login.session)
            logins[session] = PendingLogin(user: strings.intern(login.user), time: login.time)
            started.append((login.time, session))
        }
        for id in saved.ids {
            let session = SessionKey(rawValue: id.session)
            ids[session] = PendingID(name: strings.intern(id.name), os: strings.intern(id.os), time: id.time)
            started.append((id.time, session))
        }
        order = started.sorted { ($0.time, $0.session.rawValue) < ($1.time, $1.session.rawValue) }.map(\.session)
        clock = saved.clock
    }

    /// As it is saved: strings looked up, in a stable order.
    func saved(_ strings: StringTable) -> SavedClientSessions {
        SavedClientSessions(
            logins: logins.map {
                SavedPendingLogin(session: $0.key.rawValue, user: strings[$0.value.user], time: $0.value.time)
            }
            .sorted { ($0.time, $0.session) < ($1.time, $1.session) },
            ids: ids.map {
                SavedPendingID(
                    session: $0.key.rawValue, name: strings[$0.value.name], os: strings[$0.value.os],
                    time: $0.value.time)
            }.sorted { ($0.time, $0.session) < ($1.time, $1.session) },
            clock: clock)
    }

    static func == (lhs: ClientSessions, rhs: ClientSessions) -> Bool {
        lhs.logins == rhs.logins && lhs.ids == rhs.ids && lhs.clock == rhs.clock
    }
}

/// `ClientSessions` as saved, with strings.
struct SavedClientSessions: Codable, Equatable {
    var logins: [SavedPendingLogin] = []
    var ids: [SavedPendingID] = []
    var clock: Int64 = 0
}

struct SavedPendingLogin: Codable, Equatable {
    var session: UInt64
    var user: String
    var time: Int64
}

struct SavedPendingID: Codable, Equatable {
    var session: UInt64
    var name: String
    var os: String
    var time: Int64
}

extension Correlator {
    /// A Dovecot login or failure: recorded with its origin and client, or, for an IMAP login
    /// whose client may still send its `ID`, kept waiting for it.
    mutating func clientLogin<Recorder: ActivityRecorder>(
        _ login: LoginFact, at time: Int64, to recorder: inout Recorder
    ) {
        advanceClients(to: time, &recorder)
        let earlyID = login.session.flatMap { state.clients.ids.removeValue(forKey: $0) }
        guard let user = login.user else { return }
        let attempts = login.succeeded ? 0 : Int(login.attempts)
        switch login.service {
        case .submission:
            return
        case .pop3:
            recordClient(
                ClientLogin(user: user, origin: .pop3, succeeded: login.succeeded, attempts: attempts), time, &recorder)
        case .imap:
            if login.fromWebmailHost {
                recorder.recordClientEvidence(.webmailHost, at: time)
                recordClient(
                    ClientLogin(user: user, origin: .webmailHost, succeeded: login.succeeded, attempts: attempts), time,
                    &recorder)
                return
            }
            if login.succeeded, earlyID == nil, let session = login.session {
                if let older = state.clients.logins[session] {
                    // The same session twice: the first is over.
                    recordClient(
                        ClientLogin(user: older.user, origin: .imap, succeeded: true, attempts: 0), older.time,
                        &recorder)
                }
                state.clients.logins[session] = ClientSessions.PendingLogin(user: user, time: time)
                state.clients.order.append(session)
                bound(&recorder)
                return
            }
            recordClient(
                ClientLogin(
                    user: user, origin: .imap, name: earlyID?.name ?? 0, os: earlyID?.os ?? 0,
                    succeeded: login.succeeded,
                    attempts: attempts), time, &recorder)
        }
    }

    /// An `ID sent:` line: joined to its session's waiting login, or (sent before the login)
    /// kept for the login to come.
    mutating func clientID<Recorder: ActivityRecorder>(_ id: ClientIDFact, at time: Int64, to recorder: inout Recorder)
    {
        advanceClients(to: time, &recorder)
        recorder.recordClientEvidence(.clientID, at: time)
        guard let session = id.session else { return }
        if let pending = state.clients.logins.removeValue(forKey: session) {
            recordClient(
                ClientLogin(user: pending.user, origin: .imap, name: id.name, os: id.os, succeeded: true, attempts: 0),
                pending.time, &recorder)
        } else if id.user == 0 {
            if state.clients.ids[session] == nil { state.clients.order.append(session) }
            state.clients.ids[session] = ClientSessions.PendingID(name: id.name, os: id.os, time: time)
            bound(&recorder)
        }
    }

    /// A session's process logged its end: a login still waiting sent no `ID`.
    mutating func endSession<Recorder: ActivityRecorder>(
        _ session: SessionKey, at time: Int64, to recorder: inout Recorder
    ) {
        advanceClients(to: time, &recorder)
        state.clients.ids.removeValue(forKey: session)
        if let pending = state.clients.logins.removeValue(forKey: session) {
            recordClient(
                ClientLogin(user: pending.user, origin: .imap, succeeded: true, attempts: 0), pending.time, &recorder)
        }
    }

    /// A line of Roundcube's login log: a webmail login (or a failed one) of its own.
    mutating func webmailLogin<Recorder: ActivityRecorder>(
        user: StringID, succeeded: Bool, at time: Int64, to recorder: inout Recorder
    ) {
        recorder.recordClientEvidence(.webmailLog, at: time)
        recordClient(
            ClientLogin(user: user, origin: .webmail, succeeded: succeeded, attempts: succeeded ? 0 : 1), time,
            &recorder)
    }

    private func recordClient<Recorder: ActivityRecorder>(
        _ login: ClientLogin, _ time: Int64, _ recorder: inout Recorder
    ) {
        recorder.recordClientLogin(login, at: time, strings: state.strings)
    }

    /// Moves the sessions' clock on; once a minute, ends what waited longer than the window.
    private mutating func advanceClients<Recorder: ActivityRecorder>(to time: Int64, _ recorder: inout Recorder) {
        guard time > state.clients.clock else { return }
        let minute = time / 60 != state.clients.clock / 60
        state.clients.clock = time
        if minute { endWaiting(before: time - ClientSessions.window, &recorder) }
    }

    /// Ends the oldest waiting sessions while there are more than `ClientSessions.limit`.
    private mutating func bound<Recorder: ActivityRecorder>(_ recorder: inout Recorder) {
        if state.clients.waiting > ClientSessions.limit {
            endWaiting(before: .max, keeping: ClientSessions.limit, &recorder)
        }
    }

    /// Ends, oldest first, the sessions that began to wait before `cutoff`, until `keeping` wait.
    private mutating func endWaiting<Recorder: ActivityRecorder>(
        before cutoff: Int64, keeping: Int = 0, _ recorder: inout Recorder
    ) {
        while state.clients.orderStart < state.clients.order.count, state.clients.waiting > keeping {
            let session = state.clients.order[state.clients.orderStart]
            let login = state.clients.logins[session]
            let id = state.clients.ids[session]
            if login != nil || id != nil {
                guard min(login?.time ?? .max, id?.time ?? .max) < cutoff else { break }
                state.clients.logins.removeValue(forKey: session)
                state.clients.ids.removeValue(forKey: session)
                if let login {
                    recordClient(
                        ClientLogin(user: login.user, origin: .imap, succeeded: true, attempts: 0), login.time,
                        &recorder)
                }
            }
            state.clients.orderStart += 1
        }
        if state.clients.orderStart > 4096 && state.clients.orderStart * 2 > state.clients.order.count {
            state.clients.order.removeFirst(state.clients.orderStart)
            state.clients.orderStart = 0
        }
        if state.clients.isEmpty {
            state.clients.order.removeAll(keepingCapacity: true)
            state.clients.orderStart = 0
        }
    }
}
