public import Census

/// One line on how staff reach their mailbox, for a command's text output (`report` writing
/// files, `nightly`): nil for a report made without the client census.
public enum ClientSummary {
    /// `Official-active staff by way of access: webmail 10, desktop 5, phone 10, other 1,
    /// pop3 4, unknown 1; 4 tried and could not log in.`, then what evidence was missing.
    public static func line(_ report: CensusReport) -> String? {
        guard let evidence = report.clientEvidence else { return nil }
        let words = ClientStrings.english
        guard evidence.isMeasured else {
            let failed = report.failedOnly(report.total).map { " \($0) tried and could not log in." } ?? ""
            return words.missing(.noClientData) + failed
        }
        let counts = ClientClass.allCases.map { clientClass in
            "\(clientClass.rawValue) " + (report.clientStaff(report.total, clientClass).map(String.init) ?? "—")
        }
        var line = "Official-active staff by way of access: " + counts.joined(separator: ", ")
        if let failed = report.failedOnly(report.total) { line += "; \(failed) tried and could not log in" }
        line += "."
        for missing in evidence.missing { line += " " + words.missing(missing) }
        return line
    }
}
