public import Census
import Provisioning

/// The inputs jobs read besides the policy: HR's roster and IT's attribution decisions, each
/// problem reported with its line.
public enum Inputs {
    /// Reads a roster for the policy's departments; one with errors stops the job.
    ///
    /// - Throws: `JobError` (bad input) after each fatal problem is reported with its line.
    public static func roster(_ path: String, configuration: Configuration, log: JobLog) throws -> Roster {
        try checked(Result { try loadRoster(path, configuration: configuration) }, path: path, log: log)
    }

    /// The roster at `path`, read and checked against the policy, its problems not yet reported
    /// (`checked`): a job may read it while it reads the store.
    static func loadRoster(_ path: String, configuration: Configuration) throws -> Roster {
        let policy = configuration.policy
        var roster = try Roster.load(path: path, departments: policy.departmentCodes)
        roster.check(policy: policy, quotaPositions: configuration.provisioning.quotaPositions)
        return roster
    }

    /// The roster `loadRoster` read, each fatal problem reported with its line.
    ///
    /// - Throws: the error reading it; `JobError` (bad input) for a roster with fatal problems.
    static func checked(_ loaded: Result<Roster, any Error>, path: String, log: JobLog) throws -> Roster {
        let roster = try loaded.get()
        for problem in roster.problems where problem.isFatal {
            log("\(path):\(problem.line): error: \(problem.message)")
        }
        if roster.hasFatalProblems {
            throw JobError(.badInput, "fix the roster first (mailcensus roster check \(path))")
        }
        return roster
    }

    /// IT's decisions in the policy's `attributions_file`; every bad row is reported, and one
    /// that is fatal stops the job as a bad roster does.
    public static func confirmations(policy: Policy, roster: Roster, log: JobLog) throws -> Confirmations {
        guard let path = policy.attributionsFile else { return Confirmations() }
        let confirmations = try Confirmations.load(path: path, employees: Set(roster.members.map(\.employeeID)))
        for problem in confirmations.problems { log("\(path):\(problem.line): error: \(problem.message)") }
        if confirmations.hasFatalProblems {
            throw JobError(.badInput, "fix the attributions file first (\(path))")
        }
        return confirmations
    }
}
