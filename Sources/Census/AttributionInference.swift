import Basics
import Foundation

/// Ties undeclared webmail addresses to staff from the logs' evidence (DESIGN.md,
/// "Attribution"), precision first.
///
/// For each webmail address that corresponded with official addresses, the candidates are the
/// staff its local part names (a name shape, digits and a place code dropped) and the staff
/// its From display names name (all parts of the roster's full name, in any order; or only
/// family and given name). The decision rule:
///
/// 1. Display names that fully name two different people: the address is shared, and tied to
///    nobody.
/// 2. When a display name fully names staff, they are the candidates (it outranks the shape);
///    otherwise every candidate is. A display name that names nobody on the roster, with none
///    that names a candidate, speaks against the shape: nobody is tied.
/// 3. Several candidates: the only one with self-mail (messages between the address and the
///    candidate's own official address) wins; else the one whose department had more than
///    twice the messages of any rival's; else nobody is tied and the candidates are listed as
///    rivals.
/// 4. The one left is tied only when the logs corroborate it: self-mail, or at least a quarter
///    of its messages with official addresses were with the candidate's department (counted
///    per message); and when its display names are the candidate's more often than a name on
///    nobody's roster line. Otherwise it stays a candidate for IT to confirm.
///
/// Pairs IT rejected (`Confirmations`) are never candidates.
struct AttributionInference {
    let context: Context
    /// Name keys of the staff, each with the staff it names and the shape.
    var shapes: [String: [(position: Int, shape: String)]] = [:]
    /// Staff by their full name's folded parts, sorted (`cong le quan`), and by family and
    /// given name only (`le quan`); and the same as Postfix logs names it cannot log in UTF-8
    /// (`c??ng l?? qu??n`).
    var fullNames: [String: [Int]] = [:]
    var shortNames: [String: [Int]] = [:]
    let placeCodes: Set<String>
    /// `placeCodes`, sorted.
    let sortedPlaceCodes: [String]

    init(context: Context) {
        self.context = context
        // A place code, or a unit's own name: its code (`snv`), the local part of its list or
        // shared mailboxes (`mythanh`, `vanthu`).
        var codes = Set(context.census.policy.placeCodes)
        for department in context.departments {
            codes.insert(department.code.lowercased().filter { $0.isASCII && $0.isLetter })
            for address in department.shared + [department.alias].compactMap({ $0 }) {
                codes.insert(String(NameShapes.segments(ofAddress: address).joined()))
            }
        }
        codes.remove("")
        placeCodes = codes
        sortedPlaceCodes = codes.sorted()
        // Each member's names worked out on every core, then filed in roster order.
        for (position, names) in context.staff.concurrentMap({ AttributionInference.names(of: $0) }).enumerated() {
            for (key, shape) in names.shapes { shapes[key, default: []].append((position, shape)) }
            for key in names.full { fullNames[key, default: []].append(position) }
            for key in names.short { shortNames[key, default: []].append(position) }
        }
    }

    /// A member's name keys (`NameShapes.keys(for:)`), and the keys of the full name and of family
    /// and given name alone, as the roster writes it and as a server without SMTPUTF8 logs it.
    static func names(of member: StaffMember) -> (
        shapes: [(key: String, shape: String)], full: [String], short: [String]
    ) {
        guard let name = VietnameseName(member.fullName) else { return ([], [], []) }
        let parts = [name.family] + name.middle + [name.given]
        var full = [nameKey(parts.filter { !$0.isEmpty })]
        var short = !name.middle.isEmpty && !name.family.isEmpty ? [nameKey([name.family, name.given])] : []
        // The name as a server with smtputf8_enable = no logs it: `nguy???n v??n an`.
        let mangled = NameFolding.asMangled(member.fullName).unicodeScalars.split(separator: " ").map(String.init)
        if mangled.joined().contains("?") {
            full.append(nameKey(mangled))
            if mangled.count > 2 { short.append(nameKey([mangled.first!, mangled.last!])) }
        }
        return (NameShapes.keys(for: name), full, short)
    }

    /// The roster names a folded display name holds: full names (all their parts, in any
    /// order; a name of three parts or more may have other words beside it: up to
    /// `extraParts` anywhere, or any number after or before it, as in `Nguyễn Thị Phương Thảo -
    /// Phòng Tổ chức`), or failing that a family and given name alone. Only the largest matches
    /// count: `Lê Văn An` does not also name a `Lê An`.
    func names(in displayName: String) -> (full: [String], short: [String]) {
        let words = displayName.split(separator: " ").map(String.init)
        let parts = Array(words.prefix(Self.partsRead)).sorted()
        func matches(_ table: [String: [Int]], sizes: ClosedRange<Int>) -> [(mask: Int, key: String)] {
            guard parts.count >= sizes.lowerBound else { return [] }
            var found: [(mask: Int, key: String)] = []
            for mask in 1..<(1 << parts.count) {
                let size = mask.nonzeroBitCount
                // Words beside a name only next to a full name with a middle name: beside
                // `Lê Quân`, a `Công` makes another person.
                guard sizes.contains(size), size == parts.count || (size >= 3 && parts.count - size <= Self.extraParts)
                else { continue }
                let key = parts.indices.filter { mask & (1 << $0) != 0 }.map { parts[$0] }.joined(separator: " ")
                if table[key] != nil { found.append((mask, key)) }
            }
            return found.filter { candidate in
                !found.contains { $0.mask != candidate.mask && $0.mask & candidate.mask == candidate.mask }
            }
        }
        var full = Set(matches(fullNames, sizes: 2...Self.partsRead).map(\.key))
        if full.isEmpty && words.count > 3 {
            // The longest run of three words or more at either end that is a full name.
            for length in stride(from: min(words.count - 1, Self.partsRead), through: 3, by: -1) {
                for run in [words.prefix(length), words.suffix(length)] {
                    let key = Self.nameKey(Array(run))
                    if fullNames[key] != nil { full.insert(key) }
                }
                if !full.isEmpty { break }
            }
        }
        let short = full.isEmpty && parts.count == 2 ? matches(shortNames, sizes: 2...2).map(\.key) : []
        return (full.sorted(), short)
    }

    /// Words of a display name read, and words beside a name it may hold.
    static let partsRead = 8
    static let extraParts = 2

    /// A name's parts as a key that ignores their order.
    static func nameKey(_ parts: [String]) -> String { parts.sorted().joined(separator: " ") }

    /// What the logs hold about one webmail address up to the report's last day.
    struct Correspondence {
        /// Per day, per group (a department, by its number in `Context.departmentNumbers`, or
        /// an official address of none, as `-1 - its id`): the most messages the address sent to
        /// any one mailbox of the group.
        var inbound: [Int32: [Int: Int]] = [:]
        /// Per group: messages official addresses of the group sent to it.
        var outbound: [Int: Int] = [:]
        /// Messages with each official address, either way.
        var withAddress: [Int32: Int] = [:]
        /// Display names, folded, with their messages.
        var displayNames: [String: Int] = [:]

        /// Messages with `group` (nil: with any official address), counted per message.
        func messages(with group: Int?) -> Int {
            var total = 0
            for groups in inbound.values {
                total += group.map { groups[$0] ?? 0 } ?? groups.values.reduce(0, +)
            }
            return total + (group.map { outbound[$0] ?? 0 } ?? outbound.values.reduce(0, +))
        }

        /// `messages` the address sent to `official`, of `group`, on `day`.
        mutating func sent(_ messages: Int, to official: Int32, of group: Int, on day: Int32) {
            inbound[day, default: [:]][group].raise(to: messages)
            withAddress[official, default: 0] += messages
        }

        /// `messages` `official`, of `group`, sent to the address.
        mutating func received(_ messages: Int, from official: Int32, of group: Int) {
            outbound[group, default: 0] += messages
            withAddress[official, default: 0] += messages
        }
    }

    /// The correspondence of every webmail address that exchanged mail with an official address
    /// over `days`: gathered on every core, each part for the webmail addresses of its own
    /// numbers (every part reads every exchange, and keeps its own).
    static func correspondence(_ days: DayRange, context: Context) -> [Int32: Correspondence] {
        let parts = 2 * ProcessInfo.processInfo.activeProcessorCount
        var result: [Int32: Correspondence] = [:]
        for part in (0..<parts).concurrentMap(
            minimumChunk: 1, { correspondence(days, context: context, part: $0, of: parts) })
        {
            result.merge(part) { first, _ in first }
        }
        return result
    }

    /// The correspondence of the webmail addresses whose number is `part` modulo `parts`.
    static func correspondence(_ days: DayRange, context: Context, part: Int, of parts: Int) -> [Int32: Correspondence]
    {
        let census = context.census
        var result: [Int32: Correspondence] = [:]
        // Each official address's group, found once (an address of no department is its own).
        var groups = [Int?](repeating: nil, count: census.data.addresses.count)
        func group(_ official: Int32) -> Int {
            if let known = groups[Int(official)] { return known }
            let found = context.departmentOf[official].map { context.departmentNumbers[$0]! } ?? -1 - Int(official)
            groups[Int(official)] = found
            return found
        }
        for pair in census.data.exchanges where days.contains(Int(pair.day)) && pair.from != pair.to {
            let messages = Int(pair.messages)
            switch (census.classes[Int(pair.from)], census.classes[Int(pair.to)]) {
            case (.webmail, .official) where Int(pair.from) % parts == part:
                result[pair.from, default: .init()].sent(messages, to: pair.to, of: group(pair.to), on: pair.day)
            case (.official, .webmail) where Int(pair.to) % parts == part:
                result[pair.to, default: .init()].received(messages, from: pair.from, of: group(pair.from))
            default:
                continue
            }
        }
        for shown in census.data.displayNames where result[shown.address] != nil {
            result[shown.address]!.displayNames[shown.name, default: 0] += Int(shown.messages)
        }
        return result
    }

    /// The decision for one address: a tie, or candidates left for IT.
    struct Decision {
        var tie: (position: Int, evidence: Evidence)?
        var candidates: [(position: Int, evidence: Evidence)] = []
    }

    func decide(
        _ address: String, _ correspondence: Correspondence, rejected: Set<Confirmations.Pair>
    ) -> Decision {
        var evidence: [Int: Evidence] = [:]
        for key in NameShapes.keys(ofAddress: address, placeCodes: placeCodes, sortedCodes: sortedPlaceCodes) {
            guard let matches = shapes[key] else { continue }
            for match in matches where evidence[match.position]?.nameShape == nil {
                evidence[match.position, default: Evidence()].nameShape = match.shape
            }
            break
        }
        // The people the display names name, as groups (namesakes share one group; a name
        // written in UTF-8 and as `?` is one).
        var fullyNamed: Set<[Int]> = []
        var foreign = 0
        for (name, messages) in correspondence.displayNames {
            let (full, short) = names(in: name)
            for key in full {
                fullyNamed.insert(fullNames[key]!)
                for position in fullNames[key]! {
                    evidence[position, default: Evidence()].displayNameMessages += messages
                }
            }
            for key in short {
                for position in shortNames[key]! {
                    evidence[position, default: Evidence()].shortDisplayNameMessages += messages
                }
            }
            if full.isEmpty && short.isEmpty && name.contains(" ") { foreign += messages }
        }
        let staff = context.staff
        evidence = evidence.filter {
            !rejected.contains(Confirmations.Pair(address: address, employeeID: staff[$0.key].employeeID))
        }
        guard !evidence.isEmpty else { return Decision() }
        let total = correspondence.messages(with: nil)
        for position in evidence.keys {
            let member = staff[position]
            if let official = member.officialAddress.flatMap({ context.census.index[$0] }) {
                evidence[position]!.selfMessages = correspondence.withAddress[official] ?? 0
            }
            evidence[position]!.officialMessages = total
            evidence[position]!.departmentMessages =
                context.departmentNumbers[member.departmentCode].map { correspondence.messages(with: $0) } ?? 0
        }
        let all = evidence.sorted { $0.key < $1.key }.map { (position: $0.key, evidence: $0.value) }
        var decision = Decision(candidates: all)
        // 1. Shared by two people; 2. the display name outranks the shape, and speaks against it.
        guard fullyNamed.count < 2 else { return decision }
        var pool = all.filter { $0.evidence.displayNameMessages > 0 }
        if pool.isEmpty {
            guard foreign == 0 || all.contains(where: { $0.evidence.shortDisplayNameMessages > 0 }) else {
                return decision
            }
            pool = all
        }
        // 3. Several candidates.
        if pool.count > 1 {
            let selfMail = pool.filter { $0.evidence.selfMessages > 0 }
            if selfMail.count == 1 {
                pool = selfMail
            } else {
                let ranked = pool.sorted { $0.evidence.departmentMessages > $1.evidence.departmentMessages }
                guard ranked[0].evidence.departmentMessages > 2 * ranked[1].evidence.departmentMessages else {
                    return decision
                }
                pool = [ranked[0]]
            }
        }
        // 4. Corroborated by the logs.
        let chosen = pool[0]
        let facts = chosen.evidence
        guard facts.selfMessages > 0 || (facts.departmentMessages > 0 && facts.departmentMessages * 4 >= total)
        else { return decision }
        // Signed by somebody off the roster as often as by the person: shared with an outsider.
        guard facts.displayNameMessages == 0 || foreign < facts.displayNameMessages else { return decision }
        decision.tie = chosen
        decision.candidates = []
        return decision
    }
}

extension Optional where Wrapped == Int {
    /// Makes the value at least `value` (nil counts as nothing).
    fileprivate mutating func raise(to value: Int) {
        self = Swift.max(self ?? 0, value)
    }
}
