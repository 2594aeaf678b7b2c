import Basics

/// The adoption census: who uses the official mail service, department by department, by the
/// definitions of DESIGN.md. Pure: it reads the roster, the policy and the store's data, and
/// does no I/O.
public struct AdoptionCensus: Sendable {
    public let policy: Policy
    /// Roster members, in roster order.
    public let roster: [StaffMember]
    public let data: CensusData
    /// IT's decisions on earlier candidates.
    public let confirmations: Confirmations
    /// The store's client evidence for the period (`ClientCensus`); nil: the report says
    /// nothing of clients, as before the client census.
    public let clients: ClientData?
    let classifier: AddressClassifier
    let classes: [AddressClass]
    let index: [String: Int32]

    /// - Parameter data: the store's data for every day the report looks at (the period, the
    ///   one before, the weeks of the trend).
    ///   Attribution reads every day of `data` up to the period's end.
    /// - Parameter clients: the store's client evidence for at least the period's days (an
    ///   empty one when the store has none: the report then says it is missing); nil: no
    ///   client census.
    public init(
        policy: Policy, roster: [StaffMember], data: CensusData, confirmations: Confirmations = Confirmations(),
        clients: ClientData? = nil
    ) {
        self.policy = policy
        self.roster = roster
        self.data = data
        self.confirmations = confirmations
        self.clients = clients
        classifier = AddressClassifier(policy: policy)
        classes = data.addresses.concurrentMap(minimumChunk: 4096) { [classifier] in classifier.classify($0) }
        index = Dictionary(
            data.addresses.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The census of `period`, compared with the period before, with a weekly trend.
    public func report(period: DayRange, trendWeeks: Int = 8) -> CensusReport {
        let staff = roster.filter { member in
            member.status == .active && (member.startDay ?? .min) <= period.through
                && (member.endDay ?? .max) >= period.through
        }
        let departments = departmentList(staff)
        let context = Context(census: self, staff: staff, departments: departments)
        let span = DayRange(from: Int.min / 2, through: period.through)
        let previous = comparable(period.previous)
        let weeks = (0..<trendWeeks).reversed().compactMap {
            comparable(DayRange(days: 7, endingOn: period.through - 7 * $0))
        }
        // The period's tally and its clients' are made while attribution weighs the evidence of
        // the whole span; then each range's figures (the period, the one before, each week of the
        // trend), on every core, each range's tally made and dropped in turn.
        let ranges = [period] + [previous].compactMap { $0 } + weeks
        let (attributed, tallied) = concurrently(
            { context.attribute(using: tally(span), over: span) },
            { (tally(period), clients.map { clientTally($0, period: period) }) })
        let attributions = attributed.get()
        let (periodTally, clientsTallied) = tallied.get()
        let results = ranges.indices.concurrentMap(minimumChunk: 1) { index in
            context.figures(
                index == 0 ? periodTally : tally(ranges[index]), attributions: attributions, detail: index == 0)
        }
        var (figures, total) = results[0]
        if previous != nil {
            let (before, beforeTotal) = results[1]
            for (index, department) in before.enumerated() {
                figures[index].previous = .init(
                    officialSharePercent: department.officialSharePercent,
                    officialActivePercent: department.officialActivePercent)
            }
            total.previous = .init(
                officialSharePercent: beforeTotal.officialSharePercent,
                officialActivePercent: beforeTotal.officialActivePercent)
        }
        let trend = zip(weeks, results.suffix(weeks.count)).map { days, result in
            let (_, weekTotal) = result
            return TrendPoint(
                days: days, officialSharePercent: weekTotal.officialSharePercent,
                officialActivePercent: weekTotal.officialActivePercent)
        }
        var report = CensusReport(
            province: policy.province, period: period, coverage: data.coverage, departments: figures, total: total,
            trend: trend, attributions: attributions.all, candidates: attributions.candidates)
        if let clientsTallied { addClients(clientsTallied, to: &report) }
        return report
    }

    /// What the client census counts of a period, per address.
    struct ClientTally {
        /// Each address's client use, by its text.
        var usage: [String: ClientUsage]
        /// The census's own view of logins: daily activity's logins and failed attempts.
        var failed: [Int32: Int] = [:]
        var loggedIn = Set<Int32>()
        var evidence: ClientEvidenceSummary
    }

    /// The client census of `period`, per address.
    func clientTally(_ clients: ClientData, period: DayRange) -> ClientTally {
        let census = ClientCensus(data: clients, table: policy.clientClasses)
        var tally = ClientTally(
            usage: census.usageByAddress(over: period),
            evidence: census.evidence(over: period, utcOffset: policy.utcOffset))
        for row in data.activity where period.contains(Int(row.day)) {
            if row.logins > 0 { tally.loggedIn.insert(row.address) }
            if row.failedLogins > 0 { tally.failed[row.address, default: 0] += Int(row.failedLogins) }
        }
        return tally
    }

    /// The client census into `report`: each person's classes and failed-only finding, each
    /// department's official-active staff by class, the evidence.
    func addClients(_ tally: ClientTally, to report: inout CensusReport) {
        let (usage, failed, loggedIn) = (tally.usage, tally.failed, tally.loggedIn)
        var total = ClientFigures()
        for department in report.departments.indices {
            var figures = ClientFigures()
            for position in report.departments[department].staff.indices {
                let address = report.departments[department].staff[position].officialAddress?.lowercased()
                let use = address.flatMap { usage[$0] } ?? ClientUsage()
                let id = address.flatMap { index[$0] }
                let attempts = use.failed + (id.flatMap { failed[$0] } ?? 0)
                let succeeded = !use.classes.isEmpty || id.map(loggedIn.contains) == true
                // Changed in place: a copy of the person would copy every string it holds.
                report.departments[department].staff[position].clients = use
                report.departments[department].staff[position].failedOnly = attempts > 0 && !succeeded
                figures.add(report.departments[department].staff[position])
                total.add(report.departments[department].staff[position])
            }
            report.departments[department].clients = figures
        }
        report.total.clients = total
        report.clientEvidence = tally.evidence
    }

    /// `days`, when the logs cover any of it.
    func comparable(_ days: DayRange) -> DayRange? {
        guard let coverage = data.coverage, days.overlaps(coverage) else { return nil }
        return days
    }

    /// The policy's departments, or the roster's when the policy lists none.
    func departmentList(_ staff: [StaffMember]) -> [Department] {
        if !policy.departments.isEmpty { return policy.departments }
        var seen: [String: Department] = [:]
        for member in staff where seen[member.departmentCode] == nil {
            seen[member.departmentCode] = Department(
                code: member.departmentCode,
                name: member.departmentName.isEmpty ? member.departmentCode : member.departmentName,
                level: member.level)
        }
        return seen.values.sorted { $0.code < $1.code }
    }

    // MARK: Tallies

    /// What the logs say of a range of days, per address: the counts in arrays indexed by the
    /// address's number in `data.addresses`.
    struct Tally {
        /// Addresses that submitted mail or logged in.
        var active: [Bool]
        var submitted: [Int]
        /// Deliveries into each mailbox, bounce notifications included.
        var received: [Int]
        var logins: [Int]
        /// Messages an address sent or received.
        var messages: [Int]
        /// For webmail addresses: messages with official addresses, in all and per address.
        var withOfficial: [Int32: [Int32: Int]] = [:]
        /// Messages forwarded from an address to public webmail.
        var forwardedToWebmail: [Int32: [Int32: Int]] = [:]
        var hasData = false

        init(addresses: Int) {
            active = [Bool](repeating: false, count: addresses)
            submitted = [Int](repeating: 0, count: addresses)
            received = submitted
            logins = submitted
            messages = submitted
        }
    }

    func tally(_ days: DayRange) -> Tally {
        var tally = Tally(addresses: data.addresses.count)
        tally.hasData = comparable(days) != nil
        for row in data.activity where days.contains(Int(row.day)) {
            let address = Int(row.address)
            if row.submitted > 0 || row.logins > 0 { tally.active[address] = true }
            tally.submitted[address] += Int(row.submitted)
            tally.received[address] += Int(row.received)
            tally.logins[address] += Int(row.logins)
        }
        for pair in data.exchanges where days.contains(Int(pair.day)) && pair.from != pair.to {
            let messages = Int(pair.messages)
            tally.messages[Int(pair.from)] += messages
            tally.messages[Int(pair.to)] += messages
            let (fromClass, toClass) = (classes[Int(pair.from)], classes[Int(pair.to)])
            if fromClass == .webmail && toClass == .official {
                tally.withOfficial[pair.from, default: [:]][pair.to, default: 0] += messages
            } else if toClass == .webmail && fromClass == .official {
                tally.withOfficial[pair.to, default: [:]][pair.from, default: 0] += messages
            }
        }
        for pair in data.forwards where days.contains(Int(pair.day)) && classes[Int(pair.to)] == .webmail {
            tally.forwardedToWebmail[pair.from, default: [:]][pair.to, default: 0] += Int(pair.messages)
        }
        return tally
    }
}

/// The roster and departments of one report, with the lookups the census makes.
struct Context {
    let census: AdoptionCensus
    let staff: [StaffMember]
    let departments: [Department]
    /// Department code of each official address that belongs to a department: its staff's,
    /// its list, its shared mailboxes.
    let departmentOf: [Int32: String]
    /// Each of those codes numbered, in the order of the codes.
    let departmentNumbers: [String: Int]
    /// Index into `staff` of each official address.
    let owner: [Int32: Int]
    /// By position in `staff`: the number of the member's official address in the data, and
    /// whether that address is outside the official domains.
    let officialIndex: [Int32?]
    let outsideOfficial: [Bool]

    init(census: AdoptionCensus, staff: [StaffMember], departments: [Department]) {
        self.census = census
        self.staff = staff
        self.departments = departments
        var departmentOf: [Int32: String] = [:]
        var owner: [Int32: Int] = [:]
        for department in departments {
            for address in department.shared + [department.alias].compactMap({ $0 }) {
                if let id = census.index[address] { departmentOf[id] = department.code }
            }
        }
        for (position, member) in staff.enumerated() {
            guard let address = member.officialAddress, let id = census.index[address] else { continue }
            departmentOf[id] = member.departmentCode
            owner[id] = position
        }
        self.departmentOf = departmentOf
        departmentNumbers = Dictionary(
            uniqueKeysWithValues: Set(departmentOf.values).sorted().enumerated().map { ($0.element, $0.offset) })
        self.owner = owner
        let officialIndex = staff.map { $0.officialAddress.flatMap { census.index[$0] } }
        self.officialIndex = officialIndex
        // An address the logs name is classified already.
        outsideOfficial = zip(staff, officialIndex).map { member, id in
            guard let address = member.officialAddress else { return false }
            return (id.map { census.classes[Int($0)] } ?? census.classifier.classify(address)) != .official
        }
    }

    /// Webmail addresses tied to staff, by kind, from the whole span of the logs.
    struct Attributions {
        /// Attributions of each staff member (index into `staff`).
        var byStaff: [Int: [Attribution]] = [:]
        /// Addresses tied to somebody (or to nobody, by the policy): never inferred, never
        /// "unattributed".
        var settled: Set<String> = []
        /// Unattributed addresses the evidence points to several staff members for: how many.
        var ambiguous: [String: Int] = [:]
        /// Inferred ties and rivals, for IT.
        var candidates: [AttributionCandidate] = []

        var all: [Attribution] {
            byStaff.keys.sorted().flatMap { byStaff[$0]! }
        }

        mutating func add(_ attribution: Attribution, staff position: Int) {
            settled.insert(attribution.address)
            byStaff[position, default: []].append(attribution)
        }
    }

    /// - Parameters:
    ///   - span: the tally of every day up to the period's end;
    ///   - days: those days.
    func attribute(using span: AdoptionCensus.Tally, over days: DayRange) -> Attributions {
        var result = Attributions()
        let positionOf = Dictionary(
            staff.enumerated().map { ($0.element.employeeID, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var decided = census.policy.attributions
        for (address, employeeID) in census.confirmations.confirmed where decided[address] == nil {
            decided[address] = .some(employeeID)
        }
        for (address, employeeID) in decided.sorted(by: { $0.key < $1.key }) {
            guard let employeeID else {
                result.settled.insert(address)
                continue
            }
            if let position = positionOf[employeeID] {
                result.add(Attribution(address: address, employeeID: employeeID, kind: .policy), staff: position)
            }
        }
        for (position, member) in staff.enumerated() {
            for address in member.personalAddresses
            where census.classifier.classify(address) == .webmail && !result.settled.contains(address) {
                result.add(
                    Attribution(address: address, employeeID: member.employeeID, kind: .declared), staff: position)
            }
        }
        // Forwarding: the owner of the official address reads its mail there.
        for (official, targets) in span.forwardedToWebmail.sorted(by: { $0.key < $1.key }) {
            guard let position = owner[official] else { continue }
            for (target, messages) in targets.sorted(by: { $0.key < $1.key }) {
                let address = census.data.addresses[Int(target)]
                if let existing = result.byStaff[position]?.firstIndex(where: { $0.address == address }) {
                    result.byStaff[position]![existing].forwardedMessages += messages
                    continue
                }
                guard !result.settled.contains(address) else { continue }
                var attribution = Attribution(
                    address: address, employeeID: staff[position].employeeID, kind: .forwarding)
                attribution.forwardedMessages = messages
                result.add(attribution, staff: position)
            }
        }
        // Inferred from the logs' evidence: the staff's names are worked out while the logs'
        // correspondence is gathered.
        let (inferring, gathered) = concurrently(
            { AttributionInference(context: self) },
            { [self] in AttributionInference.correspondence(days, context: self) })
        let (inference, correspondence) = (inferring.get(), gathered.get())
        let rejected = census.confirmations.rejected
        let open = correspondence.sorted(by: { $0.key < $1.key }).compactMap { webmail, evidence in
            let address = census.data.addresses[Int(webmail)]
            return result.settled.contains(address) ? nil : (address: address, correspondence: evidence)
        }
        // Each address decided on its own, on every core; the decisions filed in address order.
        let decisions = open.concurrentMap { inference.decide($0.address, $0.correspondence, rejected: rejected) }
        for ((address, _), decision) in zip(open, decisions) {
            if let tie = decision.tie {
                var attribution = Attribution(
                    address: address, employeeID: staff[tie.position].employeeID, kind: .inferred)
                attribution.evidence = tie.evidence
                result.add(attribution, staff: tie.position)
                result.candidates.append(
                    AttributionCandidate(
                        address: address, employeeID: attribution.employeeID, evidence: tie.evidence, isTied: true))
            } else if !decision.candidates.isEmpty {
                if decision.candidates.count > 1 { result.ambiguous[address] = decision.candidates.count }
                for candidate in decision.candidates {
                    result.candidates.append(
                        AttributionCandidate(
                            address: address, employeeID: staff[candidate.position].employeeID,
                            evidence: candidate.evidence, isTied: false))
                }
            }
        }
        return result
    }

    /// Figures per department and for the province over one range of days.
    ///
    /// - Parameter detail: keep each department's people and unattributed addresses.
    func figures(
        _ tally: AdoptionCensus.Tally, attributions: Attributions, detail: Bool
    ) -> ([DepartmentFigures], DepartmentFigures) {
        var figures = departments.map { DepartmentFigures(code: $0.code, name: $0.name, level: $0.level) }
        let slot = Dictionary(
            departments.enumerated().map { ($0.element.code, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var total = DepartmentFigures(code: "", name: census.policy.province, level: nil)
        for (position, member) in staff.enumerated() {
            guard let department = slot[member.departmentCode] else { continue }
            let person = self.person(member, position: position, tally, attributions)
            func count(_ figure: inout DepartmentFigures) {
                figure.headcount += 1
                if member.officialAddress != nil { figure.accounts += 1 }
                figure.categories[person.category, default: 0] += 1
                // Only mailboxes their owners use count as official correspondence; mail into
                // the others is a figure of its own.
                if person.officialActive {
                    figure.officialMessages += person.officialMessages
                } else if person.received > 0 {
                    figure.unopenedMessages += person.received
                    figure.unopenedMailboxes += 1
                }
                figure.webmailMessages += person.webmailMessages
            }
            count(&figures[department])
            count(&total)
            if detail { figures[department].staff.append(person) }
        }
        if detail {
            var perDepartment: [String: [Int32: Int]] = [:]
            for (webmail, correspondents) in tally.withOfficial {
                guard !attributions.settled.contains(census.data.addresses[Int(webmail)]) else { continue }
                for (official, messages) in correspondents {
                    guard let department = departmentOf[official] else { continue }
                    perDepartment[department, default: [:]][webmail, default: 0] += messages
                }
            }
            var overall: [Int32: Int] = [:]
            for (department, addresses) in perDepartment {
                overall.merge(addresses, uniquingKeysWith: +)
                if let target = slot[department] {
                    figures[target].topUnattributed = top(addresses, attributions, 5)
                }
            }
            total.topUnattributed = top(overall, attributions, 10)
        }
        return (figures, total)
    }

    /// The `count` addresses (the data's indexes) with the most messages, by address on a tie.
    func top(_ addresses: [Int32: Int], _ attributions: Attributions, _ count: Int) -> [UnattributedAddress] {
        // Only addresses with at least the count-th largest count of messages can be among them.
        guard count > 0, let least = addresses.values.sorted(by: >).prefix(count).last else { return [] }
        let names = census.data.addresses
        return addresses.filter { $0.value >= least }.map { (address: names[Int($0.key)], messages: $0.value) }
            .sorted { ($1.messages, $0.address) < ($0.messages, $1.address) }.prefix(count).map {
                UnattributedAddress(
                    address: $0.address, messages: $0.messages, matchingStaff: attributions.ambiguous[$0.address] ?? 0)
            }
    }

    func person(
        _ member: StaffMember, position: Int, _ tally: AdoptionCensus.Tally, _ attributions: Attributions
    ) -> StaffFigures {
        let official = officialIndex[position]
        let webmail = attributions.byStaff[position] ?? []
        let webmailIDs = webmail.compactMap { census.index[$0.address] }
        let isActive = official.map { tally.active[Int($0)] } ?? false
        let forwards = official.map { !(tally.forwardedToWebmail[$0] ?? [:]).isEmpty } ?? false
        let signal = forwards || webmailIDs.contains { !(tally.withOfficial[$0] ?? [:]).isEmpty }
        let category: Category
        if !tally.hasData || outsideOfficial[position] {
            category = .unknown
        } else if isActive {
            category = signal ? .mixed : .official
        } else if signal {
            category = .webmail
        } else {
            category = member.officialAddress == nil ? .noAccount : .dormant
        }
        return StaffFigures(
            employeeID: member.employeeID, name: member.fullName, position: member.position,
            officialAddress: member.officialAddress, category: category, officialActive: isActive,
            webmailSignal: signal, forwards: forwards, officialMessages: official.map { tally.messages[Int($0)] } ?? 0,
            webmailMessages: webmailIDs.map { tally.messages[Int($0)] }.reduce(0, +),
            submitted: official.map { tally.submitted[Int($0)] } ?? 0,
            received: official.map { tally.received[Int($0)] } ?? 0,
            logins: official.map { tally.logins[Int($0)] } ?? 0,
            lastActiveDay: official.flatMap { census.data.lastActive[$0] }.map(Int.init), webmail: webmail)
    }
}
