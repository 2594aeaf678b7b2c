import ArgumentParser
import Census
import Jobs

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Work with HR's roster CSV.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a roster: every problem with its line; exit 2 if any is fatal.",
            discussion: """
                Columns: employee_id, full_name, department_code, department_name, level, position, \
                official_address, personal_addresses (;-separated), status (active|left), start_date, \
                end_date. UTF-8 with or without BOM, comma or semicolon separated, as Excel exports.
                """)

        @Argument(help: "The roster CSV.")
        var file: String

        @Option(
            help: """
                The province policy (YAML): department codes not in its departments, and official addresses \
                outside its official domains, are errors; positions without a quota rule are warnings. \
                Default: $MAILCENSUS_POLICY, else /etc/mailcensus/policy.yaml, else Policies/default.yaml of a checkout.
                """)
        var policy: String?

        func run() throws {
            guard let path = PolicyLocation.find(named: self.policy) else { throw PolicyLocation.notFound() }
            let result = try RosterCheckJob(configuration: try Configuration.load(path: path), rosterPath: file).run(
                log: Terminal.log)
            Terminal.output(result.text)
            if result.hasFatalProblems { throw ExitCode(2) }
        }
    }
}
