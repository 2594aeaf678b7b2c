import Basics
public import Census

extension OutboxMessage {
    /// `notice`'s message, rendered, to be sent from `sender`.
    public init(_ notice: Notice, sender: String) throws {
        self.init(
            key: notice.key, kind: notice.kind, recipient: notice.recipient.address, sender: sender,
            subject: notice.message.subject, bytes: try notice.message.rendered())
    }
}

extension Outbox {
    /// Queues `notice`, its message rendered here, unless its key is queued already.
    ///
    /// - Returns: whether it was queued now.
    public func enqueue(_ notice: Notice, sender: String, at time: Int64) throws -> Bool {
        try enqueue(OutboxMessage(notice, sender: sender), at: time)
    }
}

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
    /// department reports, the province report, then nudges until `each` has taken
    /// `nudgeLimit` of them (it says whether it took each notice).
    public static func forEachNotice(
        _ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext, nudgeLimit: Int,
        each: (Notice) throws -> Bool
    ) rethrows {
        let kinds = context.relay.notices
        for notice in Notices.reports(report, roster: roster, policy: policy, context: context)
        where kinds.contains(notice.kind) {
            _ = try each(notice)
        }
        if kinds.contains(.nudge) {
            try Notices.nudges(report, context: context, limit: nudgeLimit, each: each)
        }
    }

    /// Queues the report's notices (`forEachNotice`), nudges within `relay.nudges.per_day` of
    /// those queued today (the mail server's calendar day); a nudge already queued this month
    /// is not queued again and does not count.
    public static func enqueueReport(
        _ report: CensusReport, roster: [StaffMember], policy: Policy, context: NoticeContext, into outbox: any Outbox
    ) throws -> Result {
        // The start of the server's day, in UTC seconds.
        let today =
            Int64(CivilTime.day(of: context.now, offsetSeconds: context.utcOffset)) * 86_400
            - Int64(context.utcOffset)
        let nudgedToday = try outbox.queuedCount(kind: .nudge, since: today)
        var result = Result()
        try forEachNotice(
            report, roster: roster, policy: policy, context: context,
            nudgeLimit: context.relay.nudges.perDay - nudgedToday
        ) { notice in
            let queued = try outbox.enqueue(notice, sender: context.from.address, at: context.now)
            if queued { result.queued += 1 } else { result.already += 1 }
            return queued
        }
        return result
    }
}
