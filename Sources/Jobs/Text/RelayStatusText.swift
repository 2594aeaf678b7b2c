import Basics
import Relay
import Reports

extension RelayStatus {
    /// An ISO 8601 time at the status's offset.
    private func time(_ seconds: Int64?) -> String? {
        seconds.map { CivilTime.iso8601($0, offsetSeconds: utcOffset) }
    }

    /// `{"counts": {…}, "notices": [{…}]}`, as `relay status --format json` prints it.
    public var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.beginObject("counts")
        for status in OutboxEntry.Status.allCases { json.value(status.rawValue, counts[status] ?? 0) }
        json.endObject()
        json.beginArray("notices")
        for entry in shown {
            json.beginObject()
            json.value("key", entry.key)
            json.value("kind", entry.kind)
            json.value("recipient", entry.recipient)
            json.value("subject", entry.subject)
            json.value("status", entry.status.rawValue)
            json.value("attempts", entry.attempts)
            json.value("next_attempt_at", time(entry.nextAttemptAt))
            json.value("last_error", entry.lastError)
            json.value("created_at", time(entry.createdAt))
            json.value("sent_at", time(entry.sentAt))
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    /// The counts, then a line for each notice shown.
    public var text: String {
        var lines = [
            "Outbox of \(store): "
                + OutboxEntry.Status.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        ]
        for entry in shown {
            var line = "  \(entry.status.rawValue)  \(entry.key)  → \(entry.recipient)"
            if entry.status == .queued, entry.attempts > 0 {
                line += " (attempt \(entry.attempts + 1) at \(time(entry.nextAttemptAt) ?? ""))"
            }
            if let error = entry.lastError, entry.status != .sent { line += ": \(error)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
