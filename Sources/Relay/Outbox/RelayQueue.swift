public import Census

/// Puts the notices the policy asks for into the outbox, each once.
public enum RelayQueue {
    /// What queuing did.
    public struct Result: Sendable, Equatable {
        /// Notices queued now.
        public var queued = 0
        /// Notices whose key was in the outbox already (a rerun): not queued again.
        public var already = 0

        public init() {}
    }

    /// The notices of `notices`, queued from `sender`.
    public static func enqueue(_ notices: [Notice], sender: String, into outbox: any Outbox, at time: Int64) throws
        -> Result
    {
        var result = Result()
        for notice in notices {
            if try outbox.enqueue(notice, sender: sender, at: time) { result.queued += 1 } else { result.already += 1 }
        }
        return result
    }

    /// The report's notices the policy's `relay.notices` name: department reports, the
    /// province report, and nudges (at most `relay.nudges.per_day` queued in the last day).
    public static func enqueueReport(
        _ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext, into outbox: any Outbox
    ) throws -> Result {
        let kinds = Set(policy.relay.notices)
        let notices = Notices.reports(report, roster: roster, policy: policy, context: context).filter {
            kinds.contains($0.kind.rawValue)
        }
        var result = try enqueue(notices, sender: context.from.address, into: outbox, at: context.now)
        if kinds.contains(NoticeKind.nudge.rawValue) {
            let sentToday = try outbox.queuedCount(kind: .nudge, since: context.now - 86_400)
            try Notices.nudges(report, context: context, limit: policy.relay.nudges.perDay - sentToday) { notice in
                let queued = try enqueue([notice], sender: context.from.address, into: outbox, at: context.now)
                result.queued += queued.queued
                result.already += queued.already
            }
        }
        return result
    }
}
