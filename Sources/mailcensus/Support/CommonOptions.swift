import ArgumentParser
import Basics
import Census
import CensusStore
import Foundation
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

    /// The policy's path, as named or found (for messages and the files beside it).
    var policyPath: String { PolicyLocation.find(named: policy) ?? PolicyLocation.checkout }

    /// Reads the policy named or found (`PolicyLocation`); none found is bad input naming every
    /// place looked at.
    func loadPolicy() throws -> Policy {
        guard let loaded = try loadPolicyIfAny() else { throw PolicyLocation.notFound() }
        return loaded
    }

    /// The policy named or found; nil when none is named and none found, for commands that can
    /// work without one.
    func loadPolicyIfAny() throws -> Policy? {
        guard let path = PolicyLocation.find(named: policy) else { return nil }
        let loaded = try Policy.load(path: path)
        LogClock.offsetSeconds = loaded.utcOffset
        return loaded
    }

    /// Reads a roster for the policy's departments; one with errors stops the run (exit 2),
    /// each problem printed with its line.
    func loadRoster(_ path: String, policy: Policy) throws -> Roster {
        var roster = try Roster.load(path: path, departments: policy.departmentCodes)
        roster.check(policy: policy)
        for problem in roster.problems where problem.isFatal {
            Terminal.error("\(path):\(problem.line): error: \(problem.message)")
        }
        if roster.hasFatalProblems {
            Terminal.error("mailcensus: fix the roster first (mailcensus roster check \(path))")
            throw ExitCode(2)
        }
        return roster
    }

    /// Opens the store when there is one: nil for a SQLite file that does not exist yet, which a
    /// command that changes nothing must not create (its journal and activity are then empty).
    func openStoreIfPresent() throws -> (any Store)? {
        if !Stores.isPostgres(store) && !FileManager.default.fileExists(atPath: store) { return nil }
        return try Stores.open(store, passwordFile: storePasswordFile)
    }

    /// Opens the store; with `mustExist`, refuses to create an empty SQLite file.
    func openStore(mustExist: Bool) throws -> any Store {
        if mustExist && !Stores.isPostgres(store) && !FileManager.default.fileExists(atPath: store) {
            throw ValidationError("no store at \(store): run `mailcensus ingest LOG…` first, or name one with --store")
        }
        return try Stores.open(store, passwordFile: storePasswordFile)
    }

    /// Opens an existing store only to read it (report, activity, sources): a SQLite file this
    /// user may not write will do, and its schema is not upgraded.
    func openStoreForReading() throws -> any Store {
        if !Stores.isPostgres(store) && !FileManager.default.fileExists(atPath: store) {
            throw ValidationError("no store at \(store): run `mailcensus ingest LOG…` first, or name one with --store")
        }
        return try Stores.open(store, passwordFile: storePasswordFile, readOnly: true)
    }
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

    /// The roster named, or the policy's `nightly.roster`, read and checked.
    func loadRoster(_ storeOptions: StoreOptions, policy: Policy) throws -> Roster {
        guard let path = roster ?? policy.nightly.roster else {
            throw ValidationError("name the roster with --roster FILE (or nightly.roster in the policy)")
        }
        return try storeOptions.loadRoster(path, policy: policy)
    }

    /// `--lang`, or the policy's language.
    func language(_ policy: Policy) -> ReportLanguage {
        lang ?? ReportLanguage(policy: policy)
    }
}

/// Which mail servers' figures: `--source`, for reports and activity.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("source"),
        help: "Only this mail server's figures, as named at ingest (repeatable; default: all servers merged).")
    var sources: [String] = []

    /// The sources asked for, of the policy's province; all of them when none is named.
    func selection(_ policy: Policy) -> SourceSelection {
        SourceSelection(province: policy.province, names: sources.isEmpty ? nil : sources)
    }
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
