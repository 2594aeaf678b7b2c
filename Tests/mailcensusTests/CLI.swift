import Foundation
import TestSupport

/// Runs the built `mailcensus` executable, as cron or a person would.
struct CLI {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// The package root.
    static let root = TestServers.root

    /// The executable beside the test bundle (`swift build` puts both in the same folder).
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["MAILCENSUS_BINARY"] { return URL(fileURLWithPath: path) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("mailcensus")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/mailcensus")
    }()

    /// Runs `mailcensus arguments…` in `directory` and waits for it.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL = root, environment: [String: String] = [:],
        through wrapper: [String] = []
    ) throws -> Result {
        let process = try start(arguments, in: directory, environment: environment, through: wrapper)
        let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let error = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    /// Whether `runUnprivileged` really drops root: the tests run as root and `setpriv` is here.
    static var dropsRoot: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") }

    /// Runs `mailcensus arguments…` as `nobody` when the tests run as root (root ignores file
    /// modes), through `setpriv`; as this user otherwise.
    static func runUnprivileged(_ arguments: [String], in directory: URL = root) throws -> Result {
        guard dropsRoot else { return try run(arguments, in: directory) }
        return try run(
            arguments, in: directory, through: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    }

    static func start(
        _ arguments: [String], in directory: URL = root, quietly: Bool = false, environment: [String: String] = [:],
        through wrapper: [String] = []
    ) throws -> Process {
        let process = Process()
        if let program = wrapper.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = wrapper.dropFirst() + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = directory
        if quietly {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        } else {
            process.standardOutput = Pipe()
            process.standardError = Pipe()
        }
        try process.run()
        return process
    }
}

extension CLI {
    /// Copies of the sample province's logs (`Logs/sample`) in `folder`, dated to the end of its
    /// period (classic syslog has no year); their paths.
    static func sampleLogs(in folder: TemporaryFolder) throws -> [String] {
        let sample = root.appendingPathComponent("Logs/sample")
        var logs: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: sample.path) where name.hasPrefix("mail.log") {
            let copy = folder.path(name)
            try FileManager.default.copyItem(atPath: sample.appendingPathComponent(name).path, toPath: copy)
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_796_126_400)], ofItemAtPath: copy)  // 2026-12-01
            logs.append(copy)
        }
        return logs
    }
}
