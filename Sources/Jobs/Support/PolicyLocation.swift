public import Census
public import Foundation

/// Where the province policy is, as an installed tool looks for it: `--policy`, then
/// `$MAILCENSUS_POLICY`, then `/etc/mailcensus/policy.yaml`, then a checkout's
/// `Policies/default.yaml` (in the current folder, or the checkout a `.build/…/mailcensus`
/// executable was built in).
public enum PolicyLocation {
    public static let variable = "MAILCENSUS_POLICY"
    public static let system = "/etc/mailcensus/policy.yaml"
    public static let checkout = "Policies/default.yaml"

    /// The places looked at, in order, when no policy is named (`--policy` or `$MAILCENSUS_POLICY`).
    public static func defaultPlaces(executable: String? = executablePath()) -> [String] {
        var places = [system, checkout]
        if let root = executable.flatMap(checkoutRoot(of:)) {
            let beside = (root as NSString).appendingPathComponent(checkout)
            if !places.contains(beside) { places.append(beside) }
        }
        return places
    }

    /// The policy's path: the one named, or the first default place that holds a file.
    ///
    /// - Parameters:
    ///   - named: `--policy`, when given.
    ///   - environment: where `$MAILCENSUS_POLICY` is read.
    /// - Returns: nil when none is named and no default place holds one.
    public static func find(
        named: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let named { return named }
        if let variable = environment[variable], !variable.isEmpty { return variable }
        return defaultPlaces().first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The error when no policy is found: every place looked at, and what to do.
    public static func notFound() -> CensusError {
        let folder = FileManager.default.currentDirectoryPath
        let places =
            ["$\(variable) (not set)"]
            + defaultPlaces().map { $0 == checkout ? "\(checkout) in the current folder (\(folder))" : $0 }
        return CensusError(
            .policyUnreadable, location: "--policy",
            "none given and none found; looked at \(places.joined(separator: ", ")). "
                + "Name one with --policy FILE or $\(variable), or install one as \(system)")
    }

    /// The running executable's path (`/proc/self/exe`, symbolic links resolved), or nil.
    public static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath
    }

    /// The checkout an executable under `ROOT/.build/…` was built in: ROOT; nil for an installed one.
    public static func checkoutRoot(of executable: String) -> String? {
        var folder = (executable as NSString).deletingLastPathComponent
        while folder != "/" && !folder.isEmpty {
            if (folder as NSString).lastPathComponent == ".build" {
                return (folder as NSString).deletingLastPathComponent
            }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return nil
    }
}
