import Basics
import Jobs
import Testing

@Suite("JobError: the exit status each code asks for")
struct JobErrorTests {
    @Test(
        "usage and bad input are status 2, failed 1, stopped its own",
        arguments: [
            (JobError.Code.usage, FailureStatus.badInput), (.badInput, .badInput), (.failed, .failed),
            (.stopped(.failed), .failed), (.stopped(.badInput), .badInput),
        ])
    func status(code: JobError.Code, expected: FailureStatus) {
        #expect(FailureStatus(of: JobError(code, "x")) == expected)
    }

    @Test("the message is the description, whole")
    func description() {
        #expect(
            "\(JobError(.badInput, "fix the roster first (mailcensus roster check r.csv)"))"
                == "fix the roster first (mailcensus roster check r.csv)")
    }
}
