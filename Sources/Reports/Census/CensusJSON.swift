import Basics
public import Census

/// The adoption report as JSON, for other systems: every figure, with its key in README.md.
///
/// Percentages are 0–100 with one decimal (`_pct`), changes in percentage points (`_pts`);
/// days are `YYYY-MM-DD`; a figure that cannot be given (no staff, no data, suppressed) is
/// `null`. Text is kept exactly as it came (JSON escapes only what it must).
public enum CensusJSON {
    public static func render(_ report: CensusReport, generatedAt: String? = nil) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.value("province", report.province)
        range(&json, "period", report.period, days: true)
        range(&json, "previous_period", report.period.previous, days: false)
        if let coverage = report.coverage {
            range(&json, "coverage", DayRange(from: coverage.lowerBound, through: coverage.upperBound), days: false)
        } else {
            json.null("coverage")
        }
        json.value("private", report.isPrivate)
        json.value("minimum_group", report.minimumGroup)
        if let generatedAt { json.value("generated_at", generatedAt) }
        json.beginObject("province_total")
        figures(&json, report.total, report)
        json.endObject()
        json.beginArray("departments")
        // Each department written on its own (with its staff, most of the text), on every core.
        for department in report.departments.concurrentMap(
            minimumChunk: 1,
            { department in
                var object = JSONWriter()
                object.beginObject()
                figures(&object, department, report)
                object.endObject()
                return object
            })
        {
            json.value(nil, department)
        }
        json.endArray()
        json.beginArray("trend")
        for point in report.trend {
            json.beginObject()
            json.value("from", CivilTime.isoDate(days: point.days.from))
            json.value("through", CivilTime.isoDate(days: point.days.through))
            json.value("official_share_pct", point.officialSharePercent)
            json.value("official_active_pct", point.officialActivePercent)
            json.endObject()
        }
        json.endArray()
        json.beginArray("attributions")
        for attribution in report.attributions {
            json.beginObject()
            webmail(&json, attribution)
            json.value("employee_id", attribution.employeeID)
            json.endObject()
        }
        json.endArray()
        json.beginArray("candidates")
        for candidate in report.candidates {
            json.beginObject()
            json.value("address", candidate.address)
            json.value("employee_id", candidate.employeeID)
            json.value("tied", candidate.isTied)
            evidence(&json, candidate.evidence)
            json.endObject()
        }
        json.endArray()
        clientEvidence(&json, report)
        json.endObject()
        return json.text + "\n"
    }

    static func range(_ json: inout JSONWriter, _ key: String, _ days: DayRange, days withCount: Bool) {
        json.beginObject(key)
        json.value("from", CivilTime.isoDate(days: days.from))
        json.value("through", CivilTime.isoDate(days: days.through))
        if withCount { json.value("days", days.days) }
        json.endObject()
    }

    static func figures(_ json: inout JSONWriter, _ figures: DepartmentFigures, _ report: CensusReport) {
        if !figures.code.isEmpty { json.value("code", figures.code) }
        json.value("name", figures.name)
        json.value("level", figures.level?.rawValue)
        json.value("suppressed", figures.isSuppressed)
        let shown = figures.shown
        json.value("headcount", shown.headcount)
        json.value("accounts", shown.accounts)
        json.value("accounts_pct", shown.accountsPercent)
        json.beginObject("categories")
        for category in Category.allCases {
            json.beginObject(category.rawValue)
            json.value("count", shown.count(category))
            json.value("pct", shown.percent(category))
            if figures.suppressedCategories.contains(category) { json.value("suppressed", true) }
            json.endObject()
        }
        json.endObject()
        json.beginObject("official_active")
        json.value("count", shown.officialActive)
        json.value("pct", shown.officialActivePercent)
        json.value("previous_pct", shown.previousOfficialActivePercent)
        json.value("change_pts", shown.officialActiveChange)
        json.endObject()
        json.value("official_share_pct", shown.officialSharePercent)
        json.value("previous_official_share_pct", shown.previousOfficialSharePercent)
        json.value("official_share_change_pts", shown.officialShareChange)
        json.beginObject("messages")
        json.value("official", shown.officialMessages)
        json.value("webmail", shown.webmailMessages)
        json.endObject()
        json.beginObject("unopened")
        json.value("messages", shown.unopenedMessages)
        json.value("mailboxes", shown.unopenedMailboxes)
        json.endObject()
        json.beginArray("top_unattributed")
        for item in figures.topUnattributed {
            json.beginObject()
            json.value("address", item.address)
            json.value("messages", item.messages)
            json.value("matching_staff", item.matchingStaff)
            json.endObject()
        }
        json.endArray()
        clients(&json, figures, report)
        if figures.code.isEmpty { return }
        json.beginArray("staff")
        for person in figures.staff {
            json.beginObject()
            json.value("employee_id", person.employeeID)
            json.value("name", person.name)
            json.value("position", person.position)
            json.value("official_address", person.officialAddress)
            json.value("category", person.category.rawValue)
            json.value("official_active", person.officialActive)
            json.value("webmail_signal", person.webmailSignal)
            json.value("forwards", person.forwards)
            json.value("submitted", person.submitted)
            json.value("received", person.received)
            json.value("logins", person.logins)
            json.value("official_messages", person.officialMessages)
            json.value("webmail_messages", person.webmailMessages)
            json.value("last_active", person.lastActiveDay.map(CivilTime.isoDate))
            json.beginArray("webmail")
            for attribution in person.webmail {
                json.beginObject()
                webmail(&json, attribution)
                json.endObject()
            }
            json.endArray()
            if report.clientEvidence != nil { clients(&json, person, report) }
            json.endObject()
        }
        json.endArray()
    }

    static func webmail(_ json: inout JSONWriter, _ attribution: Attribution) {
        json.value("address", attribution.address)
        json.value("kind", attribution.kind.rawValue)
        switch attribution.kind {
        case .inferred:
            evidence(&json, attribution.evidence)
        case .forwarding:
            json.value("forwarded_messages", attribution.forwardedMessages)
        case .declared, .policy:
            break
        }
    }

    static func evidence(_ json: inout JSONWriter, _ evidence: Evidence) {
        json.beginObject("evidence")
        json.value("name_shape", evidence.nameShape)
        json.value("display_name_messages", evidence.displayNameMessages)
        json.value("short_display_name_messages", evidence.shortDisplayNameMessages)
        json.value("self_messages", evidence.selfMessages)
        json.value("department_messages", evidence.departmentMessages)
        json.value("official_messages", evidence.officialMessages)
        json.endObject()
    }
}

extension JSONWriter {
    /// An optional count: the number, or `null`.
    mutating func value(_ key: String?, _ number: Int?) {
        if let number { value(key, number) } else { null(key) }
    }
}
