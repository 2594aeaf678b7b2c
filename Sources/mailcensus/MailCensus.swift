import ArgumentParser
import Basics
import Jobs

/// `mailcensus`: who in the province uses the official mail service, from its own logs.
struct MailCensus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailcensus",
        abstract: "Measure adoption of the official mail service from the mail server's own logs.",
        discussion: """
            Exit status: 0 success; 1 the work failed; 2 bad usage or bad input.
            The store is --store, else $MAILCENSUS_STORE, else ./mailcensus.sqlite (make run's is \
            out/mailcensus.sqlite). The policy is --policy, else $MAILCENSUS_POLICY, else \
            /etc/mailcensus/policy.yaml, else Policies/default.yaml of a checkout; activity and \
            sources need none.
            """,
        version: "0.1.0",
        subcommands: [
            Ingest.self, Activity.self, ReportCommand.self, Nightly.self, RelayCommand.self, RosterCommand.self,
            Provision.self, AuditCommand.self, SourcesCommand.self,
        ]
    )
}

@main
enum Entry {
    static func main() async {
        StampedLogHandler.bootstrap()
        // The command parsed, for the usage line of a bad-usage error its run() throws.
        var parsed: (any ParsableCommand.Type)?
        do {
            var command = try MailCensus.parseAsRoot()
            parsed = type(of: command)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            if let failure = Terminal.outputFailure {
                Terminal.error("mailcensus: cannot write the output (\(failure)); it is incomplete")
                MailCensus.exit(withError: ExitCode(1))
            }
        } catch var error {
            // A job's bad usage is answered as ArgumentParser answers its own; a job that has
            // reported its problems ends with its status alone.
            if let failure = error as? JobError {
                switch failure.code {
                case .usage: error = ValidationError(failure.message)
                case .stopped(let status): MailCensus.exit(withError: ExitCode(status.rawValue))
                case .badInput, .failed: break
                }
            }
            let code = MailCensus.exitCode(for: error)
            if code == .success || error is ExitCode {
                MailCensus.exit(withError: error)
            }
            if code == .validationFailure {
                // Bad usage: ArgumentParser's message with the usage line of the command it is
                // about (a parse error knows its subcommand; an error of run() is its command's),
                // and status 2.
                if let parsed, ObjectIdentifier(parsed) != ObjectIdentifier(MailCensus.self) {
                    Terminal.errorBlock(usage(of: parsed, error: error))
                } else {
                    Terminal.errorBlock(MailCensus.fullMessage(for: error))
                }
                MailCensus.exit(withError: ExitCode(2))
            }
            // One line, whatever a value in the error held (CR, LF): `Terminal.error` escapes them.
            Terminal.error("mailcensus: \(error)")
            // Each module's error says whether the input was at fault (`CommandFailure`).
            MailCensus.exit(withError: ExitCode(FailureStatus(of: error).rawValue))
        }
    }
}

extension Entry {
    /// `Error: …`, the usage line of `command`, and where its help is, as ArgumentParser prints
    /// them for a parse error of that command.
    static func usage(of command: any ParsableCommand.Type, error: any Error) -> String {
        var names = [MailCensus._commandName]
        for subcommand in path(to: command, from: MailCensus.self) { names.append(subcommand._commandName) }
        return "Error: \(MailCensus.message(for: error))\n"
            + "Usage: \(MailCensus.usageString(for: command))\n"
            + "  See '\(names.joined(separator: " ")) --help' for more information."
    }

    /// The subcommands from `root` down to `command`, `command` last; empty when it is not below.
    static func path(to command: any ParsableCommand.Type, from root: any ParsableCommand.Type)
        -> [any ParsableCommand.Type]
    {
        for subcommand in root.configuration.subcommands {
            if ObjectIdentifier(subcommand) == ObjectIdentifier(command) { return [subcommand] }
            let below = path(to: command, from: subcommand)
            if !below.isEmpty { return [subcommand] + below }
        }
        return []
    }
}
