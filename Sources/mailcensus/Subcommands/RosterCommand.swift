import ArgumentParser
import Census

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
            let policy = try Policy.load(path: path)
            var roster = try Roster.load(path: file, departments: policy.departmentCodes)
            roster.check(policy: policy)
            for problem in roster.problems {
                Terminal.error("\(file):\(problem.line): \(problem.isFatal ? "error" : "warning"): \(problem.message)")
            }
            let fatal = roster.problems.filter(\.isFatal).count
            Terminal.output(
                "\(file): \(roster.members.count) staff read, \(fatal) error(s), "
                    + "\(roster.problems.count - fatal) warning(s)\n")
            if roster.hasFatalProblems { throw ExitCode(2) }
        }
    }
}
