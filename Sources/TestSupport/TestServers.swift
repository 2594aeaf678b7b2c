public import Foundation

/// Where a test server of the project runs: the variables with `prefix` from the environment,
/// or else the `export` lines its script prints (`bash Scripts/modoboa.sh env`).
public enum TestServers {
    /// The package root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// - Parameters:
    ///   - prefix: `MODOBOA_`, `SMTP_TEST_`.
    ///   - required: the variable that says the server is known; when the environment lacks it,
    ///     the script is asked.
    ///   - script: the script below `Scripts/`.
    public static func settings(prefix: String, required: String, script: String) -> [String: String] {
        var settings = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix(prefix) }
        guard settings[required] == nil else { return settings }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("Scripts/\(script)").path, "env"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try? process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst(7).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { settings[String(pair[0])] = String(pair[1]) }
        }
        return settings
    }
}
