import ArgumentParser
import Basics
import Census
import Foundation
import Jobs
import Reports

/// Where the store and the policy are; every command that reads or writes the store takes these.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a SQLite file, or PostgreSQL: postgresql://USER@HOST[:PORT]/DATABASE, service=NAME.",
            discussion: """
                A PostgreSQL store is named as libpq reads it: a postgresql:// or postgres:// URI, or keywords \
                ('host=HOST dbname=DATABASE', service=NAME from pg_service.conf), with the PG* environment \
                variables. Its password comes from $MAILCENSUS_STORE_PASSWORD, --store-password-file or ~/.pgpass, \
                never the location. TLS is verified (sslmode=verify-full, against the system's roots or \
                sslrootcert=CA.pem) unless the location, $PGSSLMODE or the service sets sslmode; sslmode=disable \
                is for a server on this machine.

                Default: $MAILCENSUS_STORE when set (make run's store is out/mailcensus.sqlite), else \
                mailcensus.sqlite in the current folder.
                """))
    var store = StoreOptions.defaultStore()

    @Option(help: "A file holding the PostgreSQL store's password, readable only by you.")
    var storePasswordFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The province policy (YAML).",
            discussion: """
                Default: $MAILCENSUS_POLICY, else /etc/mailcensus/policy.yaml, else Policies/default.yaml \
                of a checkout (in the current folder, or the one the executable was built in).
                """))
    var policy: String?

    /// `$MAILCENSUS_STORE`, or `mailcensus.sqlite` in the current folder.
    static func defaultStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["MAILCENSUS_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "mailcensus.sqlite"
    }

    /// Reads the policy named or found (`PolicyLocation`), every module's part of it; none found
    /// is bad input naming every place looked at.
    func loadConfiguration() throws -> Configuration {
        guard let loaded = try loadConfigurationIfAny() else { throw PolicyLocation.notFound() }
        return loaded
    }

    /// The policy named or found; nil when none is named and none found, for commands that can
    /// work without one.
    func loadConfigurationIfAny() throws -> Configuration? {
        guard let path = PolicyLocation.find(named: policy) else { return nil }
        let loaded = try Configuration.load(path: path)
        LogClock.offsetSeconds = loaded.policy.utcOffset
        return loaded
    }

    /// Where the store is, for a job.
    var access: StoreAccess { StoreAccess(location: store, passwordFile: storePasswordFile) }
}

/// `--no-bom`: CSV for scripts, without the byte-order mark Excel needs.
struct CSVOptions: ParsableArguments {
    @Flag(
        name: .customLong("no-bom"),
        help: """
            Write CSV without the UTF-8 byte-order mark (for scripts). With it, the default, Excel on \
            Windows reads the Vietnamese right.
            """)
    var noByteOrderMark = false

    var byteOrderMark: Bool { !noByteOrderMark }
}

/// Which report: its roster, its last day, its language.
struct ReportOptions: ParsableArguments {
    @Option(help: "HR's roster CSV (default: the policy's nightly.roster).")
    var roster: String?

    @Option(help: "The period's last day, YYYY-MM-DD (default: the last day of the logs).")
    var until: DayArgument?

    @Option(help: "vi or en (default: the policy's report.language).")
    var lang: ReportLanguage?

    @OptionGroup var sourceOptions: SourceOptions

    /// The census these options name, over `days` (nil: the policy's activity window).
    func query(days: Int? = nil, privacy: Bool = false) -> CensusQuery {
        CensusQuery(rosterPath: roster, days: days, until: until?.day, sources: sourceOptions.sources, privacy: privacy)
    }
}

/// Which mail servers' figures: `--source`, for reports and activity.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("source"),
        help: "Only this mail server's figures, as named at ingest (repeatable; default: all servers merged).")
    var sources: [String] = []
}

/// A calendar date argument, `YYYY-MM-DD`, as a day number.
struct DayArgument: ExpressibleByArgument {
    let day: Int

    init?(argument: String) {
        let parts = argument.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
            CivilTime.isValid(year: year, month: month, day: dayOfMonth)
        else { return nil }
        day = CivilTime.days(year: year, month: month, day: dayOfMonth)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
