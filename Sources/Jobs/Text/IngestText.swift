import CensusStore
import Foundation
public import MailLog

/// What `ingest` prints: its problems, its summary, its progress line.
public enum IngestText {
    /// Each file's problems, one line each: unreadable, lines in no known format, From headers
    /// not recorded, an unfinished last line (unless `quiet`).
    public static func problems(_ report: IngestReport, quiet: Bool) -> [String] {
        var lines: [String] = []
        for file in report.files {
            if let error = file.error { lines.append("mailcensus: \(error)") }
            if file.unrecognised > 0 {
                lines.append(
                    "mailcensus: \(file.path): skipped \(file.unrecognised) line(s) in no known log format, e.g.:")
                for sample in file.samples { lines.append("  \(sample)") }
            }
            if file.unreadableHeaders > 0 {
                lines.append(
                    "mailcensus: \(file.path): \(file.unreadableHeaders) From header(s) not recorded as display names "
                        + "(their messages are counted), e.g.:")
                for sample in file.headerSamples { lines.append("  \(sample)") }
            }
            if file.unfinishedTail > 0 && !quiet {
                lines.append(
                    "mailcensus: \(file.path): the last line is unfinished (\(file.unfinishedTail) bytes); "
                        + "it will be read by the next run")
            }
        }
        return lines
    }

    /// The summary of an ingest into `store` from the mail server `source`.
    public static func summary(_ report: IngestReport, store: String, source: String) -> String {
        let stats = report.statistics
        let read = report.files.filter { $0.status == .read }.count
        let unchanged = report.files.filter { $0.status == .unchanged }.count
        let failed = report.files.filter { $0.status == .failed }.count
        var text = "Ingested \(stats.linesRead) new lines from \(read) file(s)"
        if unchanged > 0 { text += ", \(unchanged) unchanged" }
        if failed > 0 { text += ", \(failed) unreadable" }
        text += " into \(store)" + (source == IngestSource.defaultName ? ".\n" : " (source \(source)).\n")
        text += "  lines: \(stats.linesParsed) mail, \(stats.linesSkipped) skipped"
        text += " (\(stats.linesUnrecognised) in no known format)\n"
        text += "  messages: \(stats.messages) accepted (\(stats.submissions) authenticated submissions), "
        text += "\(stats.notifications) bounce notifications, \(stats.rejected) rejected\n"
        text +=
            "  deliveries: \(stats.delivered) to mailboxes, \(stats.relayed) relayed out, \(stats.bounced) bounced, "
        text += "\(stats.deferred) deferred attempts, \(stats.expired) expired\n"
        text += "  logins: \(stats.logins) successful, \(stats.loginFailures) failed attempts\n"
        if stats.displayNames > 0 || stats.unreadableHeaders > 0 {
            text +=
                "  From headers: \(stats.displayNames) display names recorded, \(stats.unreadableHeaders) unreadable\n"
        }
        if report.openMessages > 0 {
            text += "  \(report.openMessages) message(s) still in the queue at the end; they complete on the next run\n"
        }
        return text
    }

    /// `1.2 GB of 3.4 GB  85k lines/s  ETA 0:42  mail.log.1`.
    public static func progress(_ progress: IngestProgress) -> String {
        let rate = progress.elapsed > 0 ? Double(progress.lines) / progress.elapsed : 0
        var line = "\(bytes(progress.bytesDone)) of \(bytes(progress.bytesTotal))"
        line += String(format: "  %.0fk lines/s", rate / 1000)
        if progress.bytesDone > 0 && progress.bytesTotal > progress.bytesDone {
            let remaining =
                progress.elapsed * Double(progress.bytesTotal - progress.bytesDone) / Double(progress.bytesDone)
            line += String(format: "  ETA %d:%02d", Int(remaining) / 60, Int(remaining) % 60)
        }
        return line + "  " + (progress.path as NSString).lastPathComponent
    }

    /// `1.5 GB`, `312 MB`, `4.0 KB`.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}
