import Basics
import Census
import Foundation
import MailLog
import TestSupport

/// The clients capture (`Logs/captured-clients`) read with the MailLog parsers into what the
/// store gives the census: `ClientData` (logins per day, address, origin and client) and the
/// daily activity of `CensusData` (logins and failed attempts), as the ingest would write them.
enum ClientCapture {
    static let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
    static let offset = 7 * 3600
    /// The capture's three days, Monday 30 November to Wednesday 2 December 2026.
    static let period = DayRange(
        from: CivilTime.days(year: 2026, month: 11, day: 30), through: CivilTime.days(year: 2026, month: 12, day: 2))

    struct Key: Hashable {
        var day: Int32
        var address: String
        var origin: LoginOrigin
        var name: String
        var os: String
    }

    /// - Parameters:
    ///   - withIDLines: keep Dovecot's `ID sent:` lines (a server with `imap_id_log`);
    ///   - withRoundcube: read Roundcube's `userlogins.log`;
    ///   - webmailHosts: the policy's `webmail_hosts`.
    static func load(
        withIDLines: Bool = true, withRoundcube: Bool = true, webmailHosts: Set<String> = ["127.0.0.1"]
    ) throws -> (clients: ClientData, census: CensusData) {
        let text = try String(contentsOf: folder.appendingPathComponent("mail.log"), encoding: .utf8)
        var identities: [String: ClientIdentity] = [:]
        var logins: [(login: DovecotLogin, utc: Int64)] = []
        for line in text.split(separator: "\n") where withIDLines || !line.contains("ID sent: ") {
            String(line).withByteView { bytes in
                guard let frame = SyslogFramer.frame(bytes) else { return }
                let (program, body) = (bytes[frame.program], bytes[frame.body])
                switch DovecotClientID.parse(program: program, body: body) {
                case .afterLogin(_, let session?, let identity), .beforeLogin(let session?, _, let identity):
                    identities[session] = identity
                default: break
                }
                guard let login = DovecotLoginDetails.parse(program: program, body: body), login.user != nil,
                    case .yearless(let month, let day, let second) = frame.time
                else { return }
                let local = Int64(CivilTime.days(year: 2026, month: Int(month), day: Int(day))) * 86_400 + Int64(second)
                logins.append((login, local - Int64(offset)))
            }
        }
        var rows: [Key: ClientLogins] = [:]
        var evidence: [Int32: ClientEvidence] = [:]
        var activity: [String: [Int32: (logins: Int32, failed: Int32)]] = [:]
        var addresses: [String] = []
        var number: [String: Int32] = [:]
        func id(_ address: String) -> Int32 {
            if let known = number[address] { return known }
            number[address] = Int32(addresses.count)
            addresses.append(address)
            return Int32(addresses.count - 1)
        }
        func add(_ key: Key, succeeded: Bool, failed: Int, utc: Int64) {
            var row =
                rows[key]
                ?? ClientLogins(
                    day: key.day, address: id(key.address), origin: key.origin, clientName: key.name,
                    clientOS: key.os, logins: 0, failed: 0, lastSeen: utc)
            if succeeded { row.logins += 1 } else { row.failed += Int32(failed) }
            row.lastSeen = max(row.lastSeen, utc)
            rows[key] = row
        }
        for (login, utc) in logins {
            let user = login.user!
            let day = Int32(CivilTime.day(of: utc, offsetSeconds: offset))
            let failed = max(login.failedAttempts, 1)
            var counters = activity[user, default: [:]][day] ?? (0, 0)
            if login.succeeded { counters.logins += 1 } else { counters.failed += Int32(failed) }
            activity[user, default: [:]][day] = counters
            let identity = login.session.flatMap { identities[$0] }
            let origin: LoginOrigin
            if let ip = login.remoteIP, webmailHosts.contains(ip) {
                origin = .webmailHost
                evidence[day, default: []].insert(.webmailHosts)
            } else {
                origin = login.service == .pop3 ? .pop3 : .imap
            }
            if identity?.name != nil { evidence[day, default: []].insert(.clientIDs) }
            let key = Key(
                day: day, address: user, origin: origin, name: origin == .imap ? identity?.name ?? "" : "",
                os: origin == .imap ? identity?.os ?? "" : "")
            add(key, succeeded: login.succeeded, failed: failed, utc: utc)
        }
        if withRoundcube {
            let userlogins = try [UInt8](Data(contentsOf: folder.appendingPathComponent("userlogins.log")))
            for login in RoundcubeLoginLog.parse(contents: userlogins).logins {
                let day = Int32(CivilTime.day(of: login.utcSeconds, offsetSeconds: offset))
                evidence[day, default: []].insert(.webmailLog)
                let key = Key(day: day, address: login.user.lowercased(), origin: .webmail, name: "", os: "")
                add(key, succeeded: login.succeeded, failed: 1, utc: login.utcSeconds)
            }
        }
        let clientRows = rows.values.sorted {
            ($0.day, $0.address, $0.origin.rawValue) < ($1.day, $1.address, $1.origin.rawValue)
        }
        var census = CensusData(coverage: period.from...period.through)
        census.addresses = addresses
        for (address, days) in activity {
            for (day, counters) in days {
                census.activity.append(
                    .init(
                        day: day, address: id(address), submitted: 0, received: 0, logins: counters.logins,
                        failedLogins: counters.failed))
            }
        }
        census.addresses = addresses
        return (ClientData(addresses: addresses, logins: clientRows, evidence: evidence), census)
    }

    static func roster() throws -> [StaffMember] {
        try Roster.load(path: folder.appendingPathComponent("roster.csv").path).members
    }

    static func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("truth.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func policy(webmailHosts: [String] = ["127.0.0.1"]) -> Policy {
        var policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"])
        policy.webmailHosts = webmailHosts
        return policy
    }

    /// The census of the capture's three days.
    static func report(
        withIDLines: Bool = true, withRoundcube: Bool = true, webmailHosts: [String] = ["127.0.0.1"],
        clients: Bool = true
    ) throws -> CensusReport {
        let (clientData, census) = try load(
            withIDLines: withIDLines, withRoundcube: withRoundcube, webmailHosts: Set(webmailHosts))
        let adoption = AdoptionCensus(
            policy: policy(webmailHosts: webmailHosts), roster: try roster(), data: census,
            clients: clients ? clientData : nil)
        return adoption.report(period: period)
    }
}
