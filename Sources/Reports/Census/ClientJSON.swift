import Basics
import Census

/// The JSON report's part on how staff reach their mailbox (only with the client census):
/// `client_evidence` at the top, `clients` in each department's figures and the province's,
/// and `clients` and `failed_only` for each person. A figure the evidence cannot give, or
/// privacy hides, is `null`.
extension CensusJSON {
    static func clientEvidence(_ json: inout JSONWriter, _ report: CensusReport) {
        guard let evidence = report.clientEvidence else { return }
        clientEvidence(&json, evidence, key: "client_evidence")
    }

    /// `{"days": 3, …, "measured": [classes], "missing": [codes]}`: the report's and `activity`'s.
    static func clientEvidence(_ json: inout JSONWriter, _ evidence: ClientEvidenceSummary, key: String?) {
        json.beginObject(key)
        json.value("days", evidence.days)
        json.value("days_with_data", evidence.daysWithData)
        json.value("client_id_days", evidence.clientIDDays)
        json.value("webmail_log_days", evidence.webmailLogDays)
        json.value("webmail_host_days", evidence.webmailHostDays)
        json.value("webmail_hosts_configured", evidence.webmailHostsConfigured)
        json.beginArray("measured")
        for clientClass in ClientClass.allCases where evidence.measures(clientClass) {
            json.value(nil, clientClass.rawValue)
        }
        json.endArray()
        json.beginArray("missing")
        for missing in evidence.missing { json.value(nil, missing.rawValue) }
        json.endArray()
        json.endObject()
    }

    static func clients(_ json: inout JSONWriter, _ figures: DepartmentFigures, _ report: CensusReport) {
        guard report.clientEvidence != nil else { return }
        json.beginObject("clients")
        json.beginObject("staff")
        for clientClass in ClientClass.allCases {
            json.value(clientClass.rawValue, report.clientStaff(figures, clientClass))
        }
        json.endObject()
        json.beginObject("logins")
        for clientClass in ClientClass.allCases {
            json.value(clientClass.rawValue, report.clientLogins(figures, clientClass))
        }
        json.endObject()
        json.value("failed_only", report.failedOnly(figures))
        json.endObject()
    }

    static func clients(_ json: inout JSONWriter, _ person: StaffFigures, _ report: CensusReport) {
        let offset = report.clientEvidence?.utcOffset ?? 0
        let usage = person.clients ?? ClientUsage()
        json.beginObject("clients")
        json.beginArray("classes")
        for clientClass in usage.classesUsed { json.value(nil, clientClass.rawValue) }
        json.endArray()
        json.beginObject("by_class")
        for clientClass in usage.classesUsed {
            let use = usage.classes[clientClass]!
            json.beginObject(clientClass.rawValue)
            json.value("logins", use.logins)
            json.value("last", CivilTime.iso8601(use.lastSeen, offsetSeconds: offset))
            json.endObject()
        }
        json.endObject()
        json.beginArray("client_names")
        for name in usage.clientNames { json.value(nil, name) }
        json.endArray()
        json.value("failed", usage.failed)
        json.endObject()
        json.value("failed_only", person.failedOnly)
    }
}
