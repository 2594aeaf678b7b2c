public import Census
import Foundation
public import Provisioning
public import Relay
public import Reports

/// What `mailcensus nightly` reads: `nightly:` in the policy.
public struct NightlySettings: Sendable, Equatable {
    /// Log files or glob patterns (`/var/log/mail.log*`), relative to the policy's folder.
    public var logs: [String] = []
    /// HR's roster CSV.
    public var roster: String?

    public init() {}

    static let keys: [String: String] = [
        "logs": "a list of log files or patterns", "roster": "HR's roster CSV",
    ]

    /// The policy's `nightly:` section; the defaults when it has none.
    ///
    /// - Throws: `CensusError` naming the key path at fault (`policy.yaml: nightly.logs[0]`).
    public init(section: PolicyValue?, directory: String) throws(CensusError) {
        guard let section else { return }
        let fields = try section.mapping(known: Self.keys)
        for item in try fields["logs"]?.list() ?? [] { logs.append(try item.path(relativeTo: directory)) }
        roster = try fields["roster"]?.path(relativeTo: directory)
    }
}

/// The whole policy, each module's part read by that module: the census's `Policy`, the
/// report's, the relay's, provisioning's and the nightly run's settings. Read in one place, so
/// that every error of the file (naming its key path) stops any command at its start.
public struct Configuration: Sendable {
    public var policy: Policy
    /// The policy file's path, for messages and the files beside it.
    public var path: String
    public var report: ReportSettings
    public var relay: RelaySettings
    public var provisioning: ProvisioningSettings
    public var nightly: NightlySettings

    public init(
        policy: Policy, path: String, report: ReportSettings = ReportSettings(), relay: RelaySettings = RelaySettings(),
        provisioning: ProvisioningSettings, nightly: NightlySettings = NightlySettings()
    ) {
        self.policy = policy
        self.path = path
        self.report = report
        self.relay = relay
        self.provisioning = provisioning
        self.nightly = nightly
    }

    /// Reads the policy file at `path`.
    ///
    /// - Throws: `CensusError` naming the file and the key path at fault.
    public static func load(path: String) throws(CensusError) -> Configuration {
        try Configuration(document: try PolicyDocument.load(path: path))
    }

    /// Reads a policy from YAML text; `location` names it in errors.
    public static func parse(yaml text: String, location: String) throws(CensusError) -> Configuration {
        try Configuration(document: try PolicyDocument.parse(yaml: text, location: location))
    }

    /// Each module's settings from the document.
    public init(document: PolicyDocument) throws(CensusError) {
        self.init(
            policy: document.policy, path: document.file, report: try ReportSettings(document: document),
            relay: try RelaySettings(document: document), provisioning: try ProvisioningSettings(document: document),
            nightly: try NightlySettings(section: document["nightly"], directory: document.directory))
    }
}
