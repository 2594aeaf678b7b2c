import Foundation

/// A notice's text as IT writes it in `Policies/templates/KIND.LANG.txt`: a first line
/// `Subject: …`, a blank line, the body; `{{name}}` placeholders are filled in.
public struct NoticeTemplate: Sendable, Equatable {
    public var subject: String
    public var body: String

    /// The placeholders each kind of notice fills.
    public static let placeholders: [NoticeKind: Set<String>] = [
        .departmentReport: [
            "recipient", "department", "province", "period", "headcount", "accounts", "official_active",
            "official_active_pct", "official_active_change", "official_share", "official_share_change", "webmail",
            "dormant", "no_account", "rank", "departments",
        ],
        .provinceReport: [
            "recipient", "province", "period", "headcount", "accounts", "official_active", "official_active_pct",
            "official_active_change", "official_share", "official_share_change", "best", "worst", "departments",
        ],
        .welcome: ["name", "address", "province", "webmail_url", "imap_host", "smtp_host", "helpdesk"],
        .nudge: ["name", "address", "province", "period", "situation", "webmail_url", "helpdesk"],
    ]

    /// Reads `KIND.LANG.txt` from `folder`.
    ///
    /// - Throws: `RelayError` naming the file (and line) of a missing or malformed template.
    public static func load(folder: String, kind: NoticeKind, language: String) throws(RelayError) -> NoticeTemplate {
        let path = (folder as NSString).appendingPathComponent("\(kind.rawValue).\(language).txt")
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw RelayError(
                .template, subject: path, "cannot read the notice template; copy it from Policies/templates")
        }
        return try parse(text, kind: kind, location: path)
    }

    /// Parses a template; `location` names it in errors.
    public static func parse(_ text: String, kind: NoticeKind, location: String) throws(RelayError) -> NoticeTemplate {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw RelayError(.template, subject: "\(location):1", "the first line must be \"Subject: …\"")
        }
        let subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
        let body = lines.dropFirst().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
        let known = placeholders[kind] ?? []
        for (number, line) in lines.enumerated() {
            for name in names(in: String(line)) where !known.contains(name) {
                throw RelayError(
                    .template, subject: "\(location):\(number + 1)",
                    "unknown placeholder {{\(name)}}; a \(kind.rawValue) notice knows \(known.sorted().joined(separator: ", "))"
                )
            }
        }
        return NoticeTemplate(subject: subject, body: body)
    }

    /// The placeholders of a line.
    static func names(in line: String) -> [String] {
        var result: [String] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex)
        {
            result.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return result
    }

    /// The subject and body with `values` filled in (a value not given reads `—`).
    public func render(_ values: [String: String]) -> (subject: String, body: String) {
        func fill(_ text: String) -> String {
            var result = ""
            var rest = Substring(text)
            while let open = rest.range(of: "{{"),
                let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex)
            {
                result += rest[..<open.lowerBound]
                let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                result += values[name] ?? "—"
                rest = rest[close.upperBound...]
            }
            return result + rest
        }
        // A subject is one line, whatever the values hold.
        let subject = fill(self.subject).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(
            of: "\r", with: " ")
        return (subject, fill(body))
    }
}

/// The kinds of notices mailcensus sends.
public enum NoticeKind: String, Sendable, CaseIterable {
    case departmentReport = "department-report"
    case provinceReport = "province-report"
    case welcome
    case nudge
}
