import Census
import Provisioning

/// `mailcensus roster check`: every problem of a roster, with its line.
public struct RosterCheckJob: Sendable {
    public var configuration: Configuration
    public var rosterPath: String

    public init(configuration: Configuration, rosterPath: String) {
        self.configuration = configuration
        self.rosterPath = rosterPath
    }

    /// How many staff were read, and the problems' counts.
    public struct Result: Sendable {
        public var path: String
        public var staff: Int
        public var errors: Int
        public var warnings: Int
        /// Whether a problem is fatal: the roster cannot be used (status 2).
        public var hasFatalProblems: Bool

        /// `roster.csv: 120 staff read, 0 error(s), 2 warning(s)`.
        public var text: String {
            "\(path): \(staff) staff read, \(errors) error(s), \(warnings) warning(s)\n"
        }
    }

    /// Reads and checks the roster, reporting each problem through `log`.
    public func run(log: JobLog) throws -> Result {
        var roster = try Roster.load(path: rosterPath, departments: configuration.policy.departmentCodes)
        roster.check(policy: configuration.policy, quotaPositions: configuration.provisioning.quotaPositions)
        for problem in roster.problems {
            log("\(rosterPath):\(problem.line): \(problem.isFatal ? "error" : "warning"): \(problem.message)")
        }
        let fatal = roster.problems.filter(\.isFatal).count
        return Result(
            path: rosterPath, staff: roster.members.count, errors: fatal, warnings: roster.problems.count - fatal,
            hasFatalProblems: roster.hasFatalProblems)
    }
}
