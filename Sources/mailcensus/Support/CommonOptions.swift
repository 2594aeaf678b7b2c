import ArgumentParser
import Census
import CensusStore
import Foundation
import MailLog
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
                """))
    var store = "mailcensus.sqlite"

    @Option(help: "A file holding the PostgreSQL store's password, readable only by you.")
    var storePasswordFile: String?

    @Option(name: .long, help: "The province policy (YAML).")
    var policy = "Policies/default.yaml"

    func loadPolicy() throws -> Policy {
        try Policy.load(path: policy)
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
