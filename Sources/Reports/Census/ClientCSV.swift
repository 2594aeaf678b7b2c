import Basics
import Census

/// The CSV report's columns on how staff reach their mailbox, after the others (only with the
/// client census). A count the evidence cannot give, or privacy hides, is an empty cell;
/// `client_evidence_missing` lists what was missing (`ClientEvidenceSummary.Missing`).
extension CensusCSV {
    public static let clientDepartmentColumns =
        ClientClass.allCases.map { "clients_\($0.rawValue)" }
        + ClientClass.allCases.map { "logins_\($0.rawValue)" } + ["failed_only", "client_evidence_missing"]

    public static let clientPeopleColumns =
        ["client_classes"] + ClientClass.allCases.map { "logins_\($0.rawValue)" }
        + ClientClass.allCases.map { "last_\($0.rawValue)" } + ["client_names", "failed_logins", "failed_only"]

    static func clientCells(_ figures: DepartmentFigures, _ report: CensusReport) -> [String] {
        ClientClass.allCases.map { number(report.clientStaff(figures, $0)) }
            + ClientClass.allCases.map { number(report.clientLogins(figures, $0)) }
            + [
                number(report.failedOnly(figures)),
                (report.clientEvidence?.missing ?? []).map(\.rawValue).joined(separator: "; "),
            ]
    }

    static func clientCells(_ person: StaffFigures, _ report: CensusReport) -> [String] {
        let offset = report.clientEvidence?.utcOffset ?? 0
        let usage = person.clients ?? ClientUsage()
        let evidence = report.clientEvidence
        return [usage.classesUsed.map(\.rawValue).joined(separator: ";")]
            + ClientClass.allCases.map { evidence?.measures($0) == true ? String(usage.logins($0)) : "" }
            + ClientClass.allCases.map { clientClass in
                usage.classes[clientClass].map { CivilTime.iso8601($0.lastSeen, offsetSeconds: offset) } ?? ""
            }
            + [
                usage.clientNames.joined(separator: "; "), evidence?.isMeasured == true ? String(usage.failed) : "",
                String(person.failedOnly),
            ]
    }
}
