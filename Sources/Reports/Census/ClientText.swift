import Basics
import Census

/// The client census as text, shared by the HTML and Markdown reports.
extension ReportText {
    /// The notes on the evidence: its days, and what was missing.
    var clientNotes: [String] {
        guard let evidence = report.clientEvidence else { return [] }
        var notes: [String] = []
        if evidence.isMeasured && evidence.daysWithData < evidence.days {
            notes.append(clients.coverage(count(evidence.daysWithData), count(evidence.days)))
        }
        notes += evidence.missing.map(clients.missing)
        return notes
    }

    /// Official-active staff of `figures` who used `clientClass`: a count, the privacy marker,
    /// or `—` where the evidence cannot show it.
    func clientStaff(_ figures: DepartmentFigures, _ clientClass: ClientClass) -> String {
        if let value = report.clientStaff(figures, clientClass) { return count(value) }
        return report.clientEvidence?.measures(clientClass) == true && !figures.isSuppressed ? suppressed : "—"
    }

    func clientLogins(_ figures: DepartmentFigures, _ clientClass: ClientClass) -> String {
        report.clientLogins(figures, clientClass).map(count) ?? "—"
    }

    func failedOnly(_ figures: DepartmentFigures) -> String {
        if let value = report.failedOnly(figures) { return count(value) }
        return figures.isSuppressed ? "—" : suppressed
    }

    /// A moment on the server's clock: `02/12/2026 09:05`.
    func clientTime(_ seconds: Int64) -> String {
        let offset = report.clientEvidence?.utcOffset ?? 0
        let time = ReportTime(utcSeconds: seconds, offsetSeconds: offset).local
        return strings.date(time.day) + " " + ReportStrings.twoDigits(time.hour) + ":"
            + ReportStrings.twoDigits(time.minute)
    }

    /// A person's ways of access, one item a class: `Điện thoại, máy tính bảng: 2 lần, lần cuối
    /// 02/12/2026 09:05` and the names its clients gave (`iPhone Mail`, each shortened for a
    /// table cell); empty without any.
    func access(_ person: StaffFigures) -> [(clientClass: ClientClass, text: String, names: String)] {
        guard let usage = person.clients else { return [] }
        return usage.classesUsed.map { clientClass in
            let use = usage.classes[clientClass]!
            let last = clientTime(use.lastSeen)
            let text =
                clients.className(clientClass) + ": "
                + (use.logins > 0 ? clients.use(use.logins, count(use.logins), last) : clients.seenOnly(last))
            let names = use.clientNames.map { name in name.count > 40 ? String(name.prefix(39)) + "…" : name }
            return (clientClass, text, names.joined(separator: ", "))
        }
    }

    /// The staff of `figures` who tried and could not log in, in the order of their names.
    func failedOnlyStaff(_ figures: DepartmentFigures) -> [StaffFigures] {
        ReportText.callFirst(figures.staff.filter(\.failedOnly))
    }
}
