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

    /// The report's notices the policy's `relay.notices` name, one at a time to `each`:
    /// department reports, the province report, then at most `nudgeLimit` nudges.
    public static func forEachNotice(
        _ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext, nudgeLimit: Int,
        each: (Notice) throws -> Void
    ) rethrows {
        let kinds = Set(policy.relay.notices)
        for notice in Notices.reports(report, roster: roster, policy: policy, context: context)
        where kinds.contains(notice.kind.rawValue) {
            try each(notice)
        }
        if kinds.contains(NoticeKind.nudge.rawValue) {
            try Notices.nudges(report, context: context, limit: nudgeLimit, each: each)
        }
    }

    /// Queues the report's notices (`forEachNotice`), nudges within `relay.nudges.per_day` of
    /// those queued in the last day.
    public static func enqueueReport(
        _ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext, into outbox: any Outbox
    ) throws -> Result {
        let nudgedToday = try outbox.queuedCount(kind: .nudge, since: context.now - 86_400)
        var result = Result()
        try forEachNotice(
            report, roster: roster, policy: policy, context: context,
            nudgeLimit: policy.relay.nudges.perDay - nudgedToday
        ) { notice in
            let queued = try enqueue([notice], sender: context.from.address, into: outbox, at: context.now)
            result.queued += queued.queued
            result.already += queued.already
        }
        return result
    }
}
