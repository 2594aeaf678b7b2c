public import Basics
public import Census
import Foundation

/// The formats of the adoption report.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html
    case csv
    case json
    case md

    /// The files of `report` in this format: a name suffix (`""` for the main file,
    /// `"-people"` for CSV's table of people) and the text. `generatedAt` is written as people
    /// read a date in HTML and Markdown, in ISO 8601 in JSON.
    ///
    /// - Parameter byteOrderMark: start each CSV file with the UTF-8 byte-order mark, so that
    ///   Excel reads it as UTF-8 (`CSVWriter.byteOrderMark`); other formats ignore it.
    public func render(
        _ report: CensusReport, language: ReportLanguage, generatedAt: ReportTime?, byteOrderMark: Bool = false
    ) -> [(suffix: String, text: String)] {
        switch self {
        case .html: [("", CensusHTML.render(report, language: language, generatedAt: generatedAt))]
        case .md: [("", CensusMarkdown.render(report, language: language, generatedAt: generatedAt))]
        case .json: [("", CensusJSON.render(report, generatedAt: generatedAt?.iso8601))]
        case .csv:
            [
                ("", CSVWriter.marked(CensusCSV.departments(report), byteOrderMark: byteOrderMark)),
                ("-people", CSVWriter.marked(CensusCSV.people(report), byteOrderMark: byteOrderMark)),
            ]
        }
    }
}

/// Writing report files: whole or not at all, so that a reader never sees half a report.
public enum ReportFiles {
    /// Writes `text` to `path` through a temporary file in the same folder, renamed into place.
    ///
    /// - Throws: `ReportError` naming the file.
    public static func write(_ text: String, to path: String) throws(ReportError) {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` the same way.
    public static func write(bytes: [UInt8], to path: String) throws(ReportError) {
        if let missing = missingFolder(of: path) {
            throw ReportError(path: path, message: "the folder \(missing) does not exist; create it first")
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReportError(path: path, message: "cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Creates `path` and the folders above it, if need be.
    public static func makeFolder(_ path: String) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ReportError(path: path, message: "cannot create the report folder (\(error.localizedDescription))")
        }
    }

    /// The folder `path` would be written into when it does not exist (or is not a folder);
    /// nil when it does.
    public static func missingFolder(of path: String) -> String? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return folder
        }
        return nil
    }

    /// `report.csv` with `-people` → `report-people.csv`.
    public static func path(_ path: String, suffix: String) -> String {
        guard !suffix.isEmpty else { return path }
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        return stem + suffix + (ext.isEmpty ? "" : "." + ext)
    }
}

/// A report that could not be written: which file, and why.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

extension ReportError: CommandFailure {
    /// A report that could not be written.
    public var isBadInput: Bool { false }
}
