import Basics
public import Census
import Foundation

/// The adoption report as CSV for spreadsheets: one table of departments (with the province
/// total as its last row), and one of people. Column names are stable English keys; cells a
/// spreadsheet would run as formulas are neutralised (`CSVWriter`).
public enum CensusCSV {
    public static let departmentHeader =
        ["code", "name", "level", "headcount", "accounts", "accounts_pct"]
        + Category.allCases.flatMap { category in
            let key = category.rawValue.replacingOccurrences(of: "-", with: "_")
            return [key, key + "_pct"]
        }
        + [
            "official_active", "official_active_pct", "official_active_change_pts", "official_share_pct",
            "official_share_change_pts", "official_messages", "webmail_messages", "unopened_messages",
            "unopened_mailboxes", "top_unattributed",
        ]

    /// Departments, then a row `code` empty for the province. Suppressed figures are empty
    /// cells.
    public static func departments(_ report: CensusReport) -> String {
        var csv = CSVWriter()
        let clients = report.clientEvidence != nil
        csv.row(departmentHeader + (clients ? clientDepartmentColumns : []))
        for figures in report.departments + [report.total] {
            let shown = figures.shown
            var cells = [figures.code, figures.name, figures.level?.rawValue ?? ""]
            cells += [number(shown.headcount), number(shown.accounts), decimal(shown.accountsPercent)]
            for category in Category.allCases {
                cells += [number(shown.count(category)), decimal(shown.percent(category))]
            }
            cells += [
                number(shown.officialActive), decimal(shown.officialActivePercent),
                decimal(shown.officialActiveChange), decimal(shown.officialSharePercent),
                decimal(shown.officialShareChange), number(shown.officialMessages), number(shown.webmailMessages),
                number(shown.unopenedMessages), number(shown.unopenedMailboxes),
                figures.topUnattributed.map { "\($0.address) (\($0.messages))" }.joined(separator: "; "),
            ]
            if clients { cells += clientCells(figures, report) }
            csv.row(cells)
        }
        return csv.text
    }

    public static let peopleHeader = [
        "employee_id", "name", "department_code", "position", "official_address", "category", "official_active",
        "webmail_signal", "forwards", "submitted", "received", "logins", "official_messages", "webmail_messages",
        "last_active",
        "webmail_addresses",
    ]

    /// One row a person, department by department; empty under privacy but for the header.
    public static func people(_ report: CensusReport) -> String {
        var csv = CSVWriter()
        let clients = report.clientEvidence != nil
        csv.row(peopleHeader + (clients ? clientPeopleColumns : []))
        for department in report.departments {
            for person in department.staff {
                csv.row(
                    [
                        person.employeeID, person.name, department.code, person.position, person.officialAddress ?? "",
                        person.category.rawValue, String(person.officialActive), String(person.webmailSignal),
                        String(person.forwards), String(person.submitted), String(person.received),
                        String(person.logins),
                        String(person.officialMessages), String(person.webmailMessages),
                        person.lastActiveDay.map(CivilTime.isoDate) ?? "",
                        person.webmail.map { "\($0.address) (\($0.kind.rawValue))" }.joined(separator: "; "),
                    ] + (clients ? clientCells(person, report) : []))
            }
        }
        return csv.text
    }

    /// The attribution candidates, in the columns of the policy's `attributions_file`
    /// (`Confirmations.columns`) with an empty `decision` for IT to fill with yes or no: the
    /// inferred ties first, then the rivals of addresses left untied.
    ///
    /// - Parameter byteOrderMark: start with the UTF-8 byte-order mark, for Excel
    ///   (`CSVWriter.byteOrderMark`); the attributions file is read back with or without it.
    public static func candidates(
        _ report: CensusReport, language: ReportLanguage, byteOrderMark: Bool = false
    ) -> String {
        let text = ReportText(report, language: language)
        var people: [String: (name: String, department: String)] = [:]
        for department in report.departments {
            for person in department.staff { people[person.employeeID] = (person.name, department.code) }
        }
        var csv = CSVWriter(byteOrderMark: byteOrderMark)
        csv.row(Confirmations.columns)
        for candidate in report.candidates.sorted(by: {
            ($1.isTied ? 1 : 0, $0.address) < ($0.isTied ? 1 : 0, $1.address)
        }) {
            let person = people[candidate.employeeID]
            csv.row([
                candidate.address, candidate.employeeID, person?.name ?? "", person?.department ?? "",
                (candidate.isTied ? text.strings.evidenceInferred + ": " : "") + text.evidence(candidate.evidence),
                String(candidate.evidence.officialMessages), "",
            ])
        }
        return csv.text
    }

    static func number(_ value: Int?) -> String { value.map(String.init) ?? "" }

    static func decimal(_ value: Double?) -> String {
        value.map { JSONWriter.decimal($0, decimals: 1) } ?? ""
    }
}
