public import Census
public import CensusStore
public import MailLog

/// `mailcensus ingest`: mail logs into the store, incrementally.
public struct IngestJob {
    public var files: [String]
    /// The mail server the logs are from (`IngestSource`).
    public var source: String
    /// Whether to leave out the notes a person reading need not see (an unfinished last line).
    public var quiet: Bool
    /// Bytes of log between two commits; nil for the ingestor's default.
    public var commitInterval: Int64?
    /// Called as the ingest goes, for a progress line.
    public var progress: ((IngestProgress) -> Void)?

    public init(
        files: [String], source: String = IngestSource.defaultName, quiet: Bool = false, commitInterval: Int64? = nil,
        progress: ((IngestProgress) -> Void)? = nil
    ) {
        self.files = files
        self.source = source
        self.quiet = quiet
        self.commitInterval = commitInterval
        self.progress = progress
    }

    /// Ingests the files into `store`, reporting each file's problems through `log`.
    ///
    /// - Throws: `JobError` (usage) when the store counts days at another UTC offset than the
    ///   policy; the store's errors. A file that cannot be read is in the report, not thrown.
    public func run(policy: Policy, store: any Store, log: JobLog) throws -> IngestReport {
        let ingestSource = IngestSource(name: source, province: policy.province)
        let hold = try store.hold(.ingest(ingestSource))
        defer { withExtendedLifetime(hold) {} }
        var options = IngestOptions(utcOffset: policy.utcOffset, loginDomain: policy.loginDomain)
        if let stored = try store.utcOffset(), stored != policy.utcOffset {
            throw JobError(
                .usage,
                "the store counts days at UTC offset \(stored / 3600)h but the policy says \(policy.utcOffset / 3600)h; "
                    + "use a new store or fix utc_offset")
        }
        if let commitInterval { options.commitInterval = max(1, commitInterval) }
        options.webmailHosts = Set(policy.webmailHosts)
        func ingest(into sink: some IngestSink) throws -> IngestReport {
            try Ingestor(sink: sink, options: options).run(paths: files, progress: progress)
        }
        let report = try ingest(into: try store.sink(for: ingestSource))
        for line in IngestText.problems(report, quiet: quiet) { log(line) }
        return report
    }
}
