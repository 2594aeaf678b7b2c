import Provisioning
import Reports

extension AuditJob.Result {
    /// The findings by kind, one line each.
    public var text: String {
        var lines = ["Audit of \(server) (\(domain)): \(audit.findings.count) finding(s)."]
        for kind in Audit.Kind.allCases {
            let found = audit.findings.filter { $0.kind == kind }
            guard !found.isEmpty else { continue }
            lines.append("\(kind.rawValue) (\(found.count)):")
            for finding in found {
                lines.append("  \(finding.address ?? finding.employeeID ?? "-"): \(finding.detail)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row a finding: kind, address, employee_id, detail.
    public func csv(byteOrderMark: Bool) -> String {
        var csv = CSVWriter(byteOrderMark: byteOrderMark)
        csv.row(["kind", "address", "employee_id", "detail"])
        for finding in audit.findings {
            csv.row([finding.kind.rawValue, finding.address ?? "", finding.employeeID ?? "", finding.detail])
        }
        return csv.text
    }

    /// `{"server", "domain", "counts": {kind: n}, "findings": [{"kind", "address", "employee_id", "detail"}]}`.
    public var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.value("server", server)
        json.value("domain", domain)
        json.beginObject("counts")
        for kind in Audit.Kind.allCases {
            json.value(kind.rawValue, audit.findings.filter { $0.kind == kind }.count)
        }
        json.endObject()
        json.beginArray("findings")
        for finding in audit.findings {
            json.beginObject()
            json.value("kind", finding.kind.rawValue)
            if let address = finding.address { json.value("address", address) }
            if let id = finding.employeeID { json.value("employee_id", id) }
            json.value("detail", finding.detail)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }
}
