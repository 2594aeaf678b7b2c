/// How far a file has been read, saved with each commit.
///
/// A file is known by its first bytes, not by its name, so that `mail.log` rotated to
/// `mail.log.1` or compressed to `mail.log.2.gz` resumes where it stopped: `lineHash` is the hash
/// of its first line (to look it up), `fingerprint` adds the hash of its first `headLength`
/// bytes (to tell apart files that begin with the same line).
public struct FileCheckpoint: Sendable, Codable, Equatable {
    public var fingerprint: String
    public var lineHash: String
    public var headLength: Int
    /// The path it was last read under (for people; not used to find it).
    public var path: String
    /// Bytes of text consumed, after decompression: always the end of a whole line.
    public var offset: Int64
    /// Lines consumed.
    public var lines: Int
    /// The year resolver's last stamp, so that a resumed file keeps its year.
    public var lastLocalTime: Int64?

    public init(
        fingerprint: String, lineHash: String, headLength: Int, path: String, offset: Int64, lines: Int,
        lastLocalTime: Int64?
    ) {
        self.fingerprint = fingerprint
        self.lineHash = lineHash
        self.headLength = headLength
        self.path = path
        self.offset = offset
        self.lines = lines
        self.lastLocalTime = lastLocalTime
    }
}

/// Everything an ingest learnt since its last commit, to be stored in one transaction.
public struct IngestBatch: Sendable {
    public var activity: ActivityAggregate
    public var statistics: IngestStatistics
    public var checkpoint: FileCheckpoint
    public var state: Correlator.State
}

/// Where an ingest keeps its results and its place: the store.
///
/// `commit` must apply a batch atomically — activity, statistics, checkpoint and correlator
/// state together or not at all — so that an ingest killed at any point and run again counts
/// every line exactly once.
public protocol IngestSink: Sendable {
    /// The checkpoints of files whose first line hashes to `lineHash`.
    func checkpoints(lineHash: String) throws -> [FileCheckpoint]
    func correlatorState() throws -> Correlator.State?
    func commit(_ batch: IngestBatch) throws
    /// Stores `addresses` ahead of the commit that will name them, in a transaction of their
    /// own, while the commit thread would otherwise wait for the log to pass midnight: that
    /// commit then finds them stored. One stored this way whose commit never came (the ingest
    /// was stopped between) is a name without a row, as a resumed ingest finds it again.
    func prepare(addresses: [String]) throws
}

extension IngestSink {
    /// Stores nothing ahead: each commit stores its new addresses itself.
    public func prepare(addresses: [String]) throws {}
}
