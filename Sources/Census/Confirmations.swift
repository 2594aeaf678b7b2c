import Foundation

/// IT's decisions on the census's attribution candidates: the policy's `attributions_file`, a
/// CSV in the columns of the candidates file that `report` and `nightly` write beside the
/// report, with its `decision` column filled in a spreadsheet.
///
/// `yes` (or `có`) ties the address to the employee as the policy's `attributions` would; `no`
/// (or `không`) means the address is never inferred to be that employee's again. Rows with no
/// decision are waiting and change nothing.
public struct Confirmations: Sendable, Equatable {
    /// The candidates file's columns; only `address`, `employee_id` and `decision` are read.
    public static let columns = [
        "address", "employee_id", "full_name", "department", "evidence", "messages", "decision",
    ]

    /// Addresses confirmed as an employee's (address → employee id).
    public private(set) var confirmed: [String: String] = [:]
    /// Addresses rejected for an employee: never inferred to be that employee's.
    public private(set) var rejected: Set<Pair> = []
    public private(set) var problems: [Roster.Problem] = []

    public struct Pair: Sendable, Hashable {
        public var address: String
        public var employeeID: String

        public init(address: String, employeeID: String) {
            self.address = address
            self.employeeID = employeeID
        }
    }

    public init() {}

    /// Reads decisions from CSV text, checking employee ids against `employees`.
    public init(csv text: String, employees: Set<String>) {
        let reader = CSVReader(text: text)
        guard let header = reader.records.first else { return }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = ["address", "employee_id", "decision"].filter { position[$0] == nil }
        guard missing.isEmpty else {
            problems.append(
                Roster.Problem(
                    line: header.line,
                    message: "missing column(s) \(missing.joined(separator: ", ")); expected "
                        + Self.columns.joined(separator: ","), isFatal: true))
            return
        }
        var decided: [Pair: (yes: Bool, line: Int)] = [:]
        for record in reader.records.dropFirst() {
            func value(_ column: String) -> String {
                guard let index = position[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            func problem(_ message: String) {
                problems.append(Roster.Problem(line: record.line, message: message, isFatal: true))
            }
            let decision = value("decision").lowercased()
            guard !decision.isEmpty else { continue }
            let address = value("address").lowercased()
            let employee = value("employee_id")
            let yes: Bool
            switch decision.precomposedStringWithCanonicalMapping {
            case "yes", "y", "có", "co": yes = true
            case "no", "n", "không", "khong": yes = false
            default:
                problem("decision \"\(value("decision"))\" must be yes or no")
                continue
            }
            guard Roster.isAddress(address) else {
                problem("address \"\(value("address"))\" is not a mail address")
                continue
            }
            guard employees.contains(employee) else {
                problem("employee_id \"\(employee)\" is not in the roster")
                continue
            }
            let pair = Pair(address: address, employeeID: employee)
            if let earlier = decided[pair], earlier.yes != yes {
                problem("contradicts line \(earlier.line) (\(address), \(employee))")
                continue
            }
            decided[pair] = (yes, record.line)
            if yes {
                if let other = confirmed[address], other != employee {
                    problem("\(address) is already confirmed as \(other)'s")
                    continue
                }
                confirmed[address] = employee
            } else {
                rejected.insert(pair)
            }
        }
    }

    /// Reads the attributions file at `path`; a file not there yet holds no decisions.
    public static func load(path: String, employees: Set<String>) throws(CensusError) -> Confirmations {
        guard FileManager.default.fileExists(atPath: path) else { return Confirmations() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CensusError(.rosterUnreadable, location: path, "cannot read the attributions file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CensusError(
                .rosterUnreadable, location: path, "the attributions file is not UTF-8 text; save it as CSV UTF-8")
        }
        return Confirmations(csv: text, employees: employees)
    }

    public var hasFatalProblems: Bool { problems.contains(where: \.isFatal) }
}
