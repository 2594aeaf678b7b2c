import Basics
import Foundation

/// One civil servant in HR's roster.
public struct StaffMember: Sendable, Equatable {
    public enum Status: String, Sendable { case active, left }
    public enum Level: String, Sendable, CaseIterable { case province, district, commune }

    public var employeeID: String
    public var fullName: String
    public var departmentCode: String
    public var departmentName: String
    public var level: Level?
    public var position: String
    /// The official address, lower case; nil when none was issued.
    public var officialAddress: String?
    /// Personal (often webmail) addresses, lower case.
    public var personalAddresses: [String]
    public var status: Status
    /// Start and end dates as day numbers (days since 1970-01-01).
    public var startDay: Int?
    public var endDay: Int?
    /// The line of the roster it came from.
    public var line: Int
}

/// HR's roster CSV, read and checked.
///
/// Columns (header names, any case, in any order): `employee_id`, `full_name`,
/// `department_code`, `department_name`, `level` (province, district, commune), `position`,
/// `official_address`, `personal_addresses` (`;`-separated), `status` (active, left),
/// `start_date`, `end_date` (YYYY-MM-DD or DD/MM/YYYY).
public struct Roster: Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        /// A fatal problem stops `roster check` with status 2 and keeps the row out.
        public var isFatal: Bool
        public var description: String { "line \(line): \(ErrorText.oneLine(message))" }
    }

    public static let columns = [
        "employee_id", "full_name", "department_code", "department_name", "level", "position", "official_address",
        "personal_addresses", "status", "start_date", "end_date",
    ]
    static let required = ["employee_id", "full_name", "department_code", "status"]

    public private(set) var members: [StaffMember] = []
    public private(set) var problems: [Problem] = []

    public var hasFatalProblems: Bool { problems.contains(where: \.isFatal) }

    /// Reads a roster from CSV text.
    ///
    /// - Parameter departments: the policy's department codes; a row naming another is an
    ///   error. Empty: any code is accepted.
    public init(csv text: String, departments: Set<String> = []) {
        let reader = CSVReader(text: text)
        guard let header = reader.records.first else {
            problems.append(Problem(line: 1, message: "the file is empty; expected a header line", isFatal: true))
            return
        }
        if let line = reader.unclosedQuoteLine {
            problems.append(
                Problem(
                    line: line,
                    message: "a quote opened here is never closed; the rest of the file was read as one field",
                    isFatal: true))
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position: [String: Int] = [:]
        var headerIsSound = true
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = position[name] {
                headerIsSound = false
                // Which of the two HR meant is anyone's guess: neither is read.
                problems.append(
                    Problem(
                        line: header.line,
                        message: "column \"\(name)\" appears twice (columns \(first + 1) and \(index + 1))",
                        isFatal: true))
            } else {
                position[name] = index
            }
        }
        let missing = Roster.required.filter { position[$0] == nil }
        if !missing.isEmpty {
            headerIsSound = false
            problems.append(
                Problem(
                    line: header.line,
                    message: "missing column(s) \(missing.joined(separator: ", ")); the header has "
                        + names.joined(separator: ", "), isFatal: true))
        }
        guard headerIsSound else { return }
        guard reader.records.count > 1 else {
            problems.append(Problem(line: header.line, message: "no staff: the roster has no rows", isFatal: true))
            return
        }
        // The record an unclosed quote swallowed the rest of the file into is not a row.
        let rows = reader.unclosedQuoteLine == nil ? reader.records.dropFirst() : reader.records.dropFirst().dropLast()
        var ids: [String: Int] = [:]
        var addresses: [String: Int] = [:]
        for record in rows {
            func value(_ column: String) -> String {
                guard let index = position[column], index < record.fields.count else { return "" }
                return Roster.trimmed(record.fields[index])
            }
            var fatal: [String] = []
            var warnings: [String] = []
            let id = value("employee_id")
            let name = value("full_name")
            if id.isEmpty { fatal.append("no employee_id") }
            if let first = ids[id], !id.isEmpty { fatal.append("employee_id \(id) is also on line \(first)") }
            var fullName = ""
            do { fullName = try VietnameseName.normalize(name) } catch { fatal.append(error.message) }
            let department = value("department_code")
            if department.isEmpty {
                fatal.append("no department_code")
            } else if !departments.isEmpty && !departments.contains(department) {
                fatal.append("department_code \(department) is not among the policy's departments")
            }
            let statusText = value("status").lowercased()
            let status = StaffMember.Status(rawValue: statusText)
            if status == nil { fatal.append("status \"\(value("status"))\" is neither active nor left") }
            let levelText = value("level").lowercased()
            let level = StaffMember.Level(rawValue: levelText)
            if level == nil && !levelText.isEmpty {
                warnings.append("level \"\(value("level"))\" is not province, district or commune")
            }
            var official: String?
            let officialText = value("official_address").lowercased()
            if !officialText.isEmpty {
                if Roster.isAddress(officialText) {
                    official = officialText
                    if let first = addresses[officialText] {
                        fatal.append("official_address \(officialText) is also on line \(first)")
                    }
                } else {
                    fatal.append(
                        "official_address \"\(ErrorText.oneLine(value("official_address")))\" is not an address")
                }
            }
            var personal: [String] = []
            for item in value("personal_addresses").split(separator: ";") {
                let address = item.trimmingCharacters(in: .whitespaces).lowercased()
                guard !address.isEmpty else { continue }
                if Roster.isAddress(address) {
                    personal.append(address)
                } else {
                    fatal.append("personal address \"\(ErrorText.oneLine(String(item)))\" is not an address")
                }
            }
            var days: [Int?] = []
            for column in ["start_date", "end_date"] {
                let text = value(column)
                if text.isEmpty {
                    days.append(nil)
                } else if let day = Roster.day(text) {
                    days.append(day)
                } else {
                    days.append(nil)
                    fatal.append("\(column) \"\(text)\" is not a date (YYYY-MM-DD or DD/MM/YYYY)")
                }
            }
            if let start = days[0], let end = days[1], end < start {
                fatal.append("end_date is before start_date")
            }
            for message in fatal { problems.append(Problem(line: record.line, message: message, isFatal: true)) }
            for message in warnings { problems.append(Problem(line: record.line, message: message, isFatal: false)) }
            if ids[id] == nil && !id.isEmpty { ids[id] = record.line }
            if let official, addresses[official] == nil { addresses[official] = record.line }
            guard fatal.isEmpty, let status else { continue }
            members.append(
                StaffMember(
                    employeeID: id, fullName: fullName,
                    departmentCode: department, departmentName: value("department_name"), level: level,
                    position: value("position"), officialAddress: official, personalAddresses: personal, status: status,
                    startDay: days[0], endDay: days[1], line: record.line))
        }
        if !members.isEmpty && !members.contains(where: { $0.status == .active }) {
            problems.append(
                Problem(
                    line: header.line,
                    message: "no staff: none of the \(members.count) rows read is active (status), so a report "
                        + "would count no one", isFatal: true))
        }
    }

    /// Reads a roster file; `departments` as for `init(csv:departments:)`.
    public static func load(path: String, departments: Set<String> = []) throws(CensusError) -> Roster {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CensusError(.rosterUnreadable, location: path, "cannot read the roster")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CensusError(.rosterUnreadable, location: path, "the roster is not UTF-8 text; save it as CSV UTF-8")
        }
        return Roster(csv: text, departments: departments)
    }

    /// `field` without the white space and line ends around it; most fields have none, and are
    /// returned as they are without Foundation's trimming.
    static func trimmed(_ field: String) -> String {
        let scalars = field.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return field }
        func plain(_ scalar: Unicode.Scalar) -> Bool { scalar.value > 0x20 && scalar.value < 0x7F }
        if plain(first) && plain(last) { return field }
        return field.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `text` is a mail address mailcensus may use (`MailAddress.isValid`).
    public static func isAddress(_ text: String) -> Bool {
        MailAddress.isValid(text)
    }

    /// `YYYY-MM-DD` or `DD/MM/YYYY` as a day number.
    static func day(_ text: String) -> Int? {
        let iso = text.split(separator: "-")
        let dmy = text.split(separator: "/")
        let parts: (Int?, Int?, Int?)
        if iso.count == 3 && iso[0].count == 4 {
            parts = (Int(iso[0]), Int(iso[1]), Int(iso[2]))
        } else if dmy.count == 3 && dmy[2].count == 4 {
            parts = (Int(dmy[2]), Int(dmy[1]), Int(dmy[0]))
        } else {
            return nil
        }
        guard let year = parts.0, let month = parts.1, let day = parts.2,
            CivilTime.isValid(year: year, month: month, day: day)
        else { return nil }
        return CivilTime.days(year: year, month: month, day: day)
    }
}

extension Roster {
    /// The checks that need the policy, after `init(csv:departments:)`.
    ///
    /// An official address outside the policy's official domains (and their subdomains) is fatal
    /// and keeps its row out: provisioning would try to create it on the mail server. A position
    /// that matches no `quota_by_position` rule, when the policy has rules (`quotaPositions`,
    /// provisioning's), is a warning, once per position with its first line: that person's
    /// mailbox gets the domain's default quota.
    public mutating func check(policy: Policy, quotaPositions: Set<String> = []) {
        let classifier = AddressClassifier(policy: policy)
        var added: [Problem] = []
        members.removeAll { member in
            guard let address = member.officialAddress, classifier.classify(address) != .official else { return false }
            added.append(
                Problem(
                    line: member.line,
                    message: "official_address \(address) is not in the policy's official domains ("
                        + policy.officialDomains.joined(separator: ", ")
                        + "); a personal address goes in personal_addresses", isFatal: true))
            return true
        }
        if !quotaPositions.isEmpty {
            let known = Set(quotaPositions.map { $0.lowercased() })
            var unknown: [String: (line: Int, rows: Int)] = [:]
            var order: [String] = []
            for member in members where !member.position.isEmpty && !known.contains(member.position.lowercased()) {
                let key = member.position.lowercased()
                if let seen = unknown[key] {
                    unknown[key] = (seen.line, seen.rows + 1)
                } else {
                    unknown[key] = (member.line, 1)
                    order.append(member.position)
                }
            }
            for position in order {
                guard let seen = unknown[position.lowercased()] else { continue }
                let rows = seen.rows == 1 ? "" : " (\(seen.rows) rows)"
                added.append(
                    Problem(
                        line: seen.line,
                        message: "position \"\(position)\"\(rows) matches no quota_by_position rule of the policy: "
                            + "the mailbox gets the domain's default quota", isFatal: false))
            }
        }
        problems = (problems + added).enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }
        .map(\.element)
    }
}
