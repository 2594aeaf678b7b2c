import Basics
import Dispatch

#if canImport(Glibc)
    import CMalloc
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Settings of an ingest.
public struct IngestOptions: Sendable {
    /// The mail server's offset from UTC in seconds, for stamps that carry none.
    public var utcOffset: Int
    /// Appended to bare login and SASL names (`annv` → `annv@namdinh.gov.vn`).
    public var loginDomain: String?
    /// Bytes of text per chunk handed to a parsing thread. `readAhead + 1` chunks are in memory
    /// at once, text and parsed events, so this sets a good part of an ingest's peak memory:
    /// 2 MiB chunks hold half what 4 MiB ones did (a 1 GiB ingest was no slower with them in the
    /// runs measured).
    public var chunkSize = 2 << 20
    /// Bytes of text after which a commit to the store is made whatever the days (a bound on
    /// the memory of a day's rows and on the work an ingest killed half-way does again).
    public var commitInterval: Int64 = 256 << 20
    /// Bytes of text after which a commit is made as soon as the log passes midnight, before
    /// the chunk in which it does.
    ///
    /// Commits at the turn of a day write each day's rows about once, and in their tables' order
    /// after the rows already there: a row still changing is not written at one commit and
    /// rewritten at the next, as with commits every N bytes (a 1 GiB log wrote 1.7 upserts for
    /// each daily row that way), and a day's rows do not go among those of its first hours, as
    /// with commits after the midnight batch (each such row cost SQLite a search from the root).
    /// Small enough that a day's log of any province is a few commits at most; large enough that
    /// a log of many short days (a test server's) is not a commit a day.
    public var dayCommitMinimum: Int64 = 16 << 20
    /// New addresses that are stored ahead of the next commit, in a transaction of their own,
    /// once this many are waiting (`IngestSink.prepare(addresses:)`): a store adds many in one
    /// transaction for about the cost of a few (its index of addresses is written once a
    /// transaction), so the few new ones of a batch wait for others, or for the commit.
    public var addressesAhead = 8192
    /// Parsing threads.
    public var workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    /// Chunks read and handed to the parsing threads ahead of the one being correlated: enough
    /// that they always have one to parse while the correlating and commit threads work.
    public var readAhead: Int { 3 * workers }
    /// The hosts the webmail connects to Dovecot from (the policy's `webmail_hosts`, e.g.
    /// `127.0.0.1`): an IMAP login whose `rip=` is one of them is the webmail's, recorded as
    /// such in the client evidence (`ClientOrigin.webmailHost`). Empty: none is.
    public var webmailHosts: Set<String> = []

    public init(utcOffset: Int, loginDomain: String? = nil) {
        self.utcOffset = utcOffset
        self.loginDomain = loginDomain
    }
}

/// How far an ingest has got, for a progress line.
public struct IngestProgress: Sendable {
    public var path: String
    /// Bytes taken from disk so far, over all files (compressed bytes for gzip).
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var lines: Int
    /// Seconds since the ingest started.
    public var elapsed: Double
}

/// What became of one file.
public struct FileOutcome: Sendable {
    public enum Status: Sendable {
        /// New lines were read.
        case read
        /// Nothing new since the last run.
        case unchanged
        /// Empty, or no complete line yet.
        case empty
        /// It could not be read at all.
        case failed
    }

    public var path: String
    public var status: Status
    /// New lines read in this run.
    public var lines = 0
    /// New bytes of text read in this run.
    public var bytes: Int64 = 0
    /// The error that stopped it, if any; lines before it were counted.
    public var error: MailLogError?
    /// A few skipped lines: `path:line: excerpt`.
    public var samples: [String] = []
    /// Skipped lines no format fits, in this run.
    public var unrecognised = 0
    /// Logged From headers that could not be read, in this run: their messages count, their
    /// names are not kept.
    public var unreadableHeaders = 0
    /// A few of them: `path:line: From header not recorded (problem)`, never the header's text.
    public var headerSamples: [String] = []
    /// Bytes of an unfinished last line, left for the next run.
    public var unfinishedTail = 0
}

/// The result of an ingest.
public struct IngestReport: Sendable {
    public var files: [FileOutcome] = []
    /// What this run added.
    public var statistics = IngestStatistics()
    /// Messages still open in the queue when the run ended.
    public var openMessages = 0

    /// Whether any file could be opened and read (even if it held nothing new).
    public var anythingReadable: Bool { files.contains { $0.status != .failed } }
}

/// Reads log files into a store: frame, parse and correlate every line, commit as it goes.
///
/// Chunks of lines are parsed on all cores at once; events are then correlated in log order on
/// one. Just before the log passes midnight (once `dayCommitMinimum` bytes were read since the
/// last commit), every `commitInterval` bytes, and at the end of each file, the activity gathered,
/// the file's checkpoint and the correlator's open messages go to the sink in one transaction;
/// in between, new addresses may go ahead (`addressesAhead`).
public struct Ingestor<Sink: IngestSink> {
    public let sink: Sink
    public let options: IngestOptions

    public init(sink: Sink, options: IngestOptions) {
        self.sink = sink
        self.options = options
    }

    /// Ingests `paths`, rotated sets oldest first.
    ///
    /// - Parameter progress: called after every `workers` chunks correlated, and after a file's last.
    /// - Returns: what happened to each file; a file that cannot be read is reported there, not thrown.
    /// - Throws: what the sink throws; the run stops, and what was committed stays.
    public func run(paths: [String], progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        Self.keepFreedMemory()
        let ordered = RotatedSet.order(paths)
        let correlator = Correlator(
            state: try sink.correlatorState() ?? Correlator.State(), loginDomain: options.loginDomain)
        var run = Run(
            correlator: correlator,
            aggregate: ActivityAggregate(utcOffset: options.utcOffset),
            bytesTotal: ordered.reduce(0) { total, path in
                var info = stat()
                return total + (stat(path, &info) == 0 ? Int64(info.st_size) : 0)
            },
            started: monotonicSeconds(), progress: progress, commits: CommitQueue(sink),
            contexts: Pool { [options] in
                FactContext(
                    strings: correlator.state.strings, loginDomain: options.loginDomain,
                    webmailHosts: options.webmailHosts)
            })
        for path in ordered {
            var outcome = FileOutcome(path: path, status: .read)
            do {
                try ingest(path, into: &run, outcome: &outcome)
            } catch let error as MailLogError {
                outcome.error = error
                if outcome.lines == 0 && outcome.bytes == 0 && outcome.status == .read { outcome.status = .failed }
            }
            run.report.files.append(outcome)
        }
        run.report.openMessages = run.correlator.state.openMessages
        return run.report
    }

    /// Mutable state of one run.
    struct Run {
        var correlator: Correlator
        var aggregate: ActivityAggregate
        var report = IngestReport()
        var bytesTotal: Int64
        var bytesBefore: Int64 = 0
        var started: Double
        var progress: ((IngestProgress) -> Void)?
        /// Commits run on their own thread while the next chunks are correlated.
        let commits: CommitQueue<Sink>
        /// The parsing threads' contexts, kept through every file of the run, each lent to one
        /// parsing task at a time: what a context remembers (`LocalInterns`) serves every chunk
        /// after the first. About one per core is made.
        let contexts: Pool<FactContext, Never>
        /// Whether each `StringTable` id was met as an address to store ahead (handed to the sink,
        /// or waiting in `fresh`, or left to the commit that took `fresh` along).
        var prepared: [Bool] = []
        /// How many of the aggregate's addresses were looked at for that.
        var preparedUpTo = 0
        /// New addresses not handed yet.
        var fresh: [String] = []

        /// Addresses to hand to the sink to store ahead, once at least `minimum` are new.
        mutating func addressesToPrepare(minimum: Int) -> [String] {
            let ids = aggregate.addressStringIDs
            while preparedUpTo < ids.count {
                let id = Int(ids[preparedUpTo])
                if id >= prepared.count {
                    prepared += repeatElement(false, count: max(id + 1, prepared.count * 2) - prepared.count)
                }
                if !prepared[id] {
                    prepared[id] = true
                    fresh.append(aggregate.addresses[preparedUpTo])
                }
                preparedUpTo += 1
            }
            guard fresh.count >= minimum else { return [] }
            defer { fresh = [] }
            return fresh
        }
    }

    func ingest(_ path: String, into run: inout Run, outcome: inout FileOutcome) throws {
        let isFinished = RotatedSet.isRotated(path)
        let probe = try LogFile(path: path)
        guard let fingerprint = try Fingerprint(reading: probe, isFinished: isFinished) else {
            outcome.status = .empty
            run.bytesBefore += probe.sizeOnDisk
            return
        }
        let saved = try sink.checkpoints(lineHash: fingerprint.lineHash).first(where: fingerprint.matches)
        let file = try LogFile(path: path)
        let offset = saved?.offset ?? 0
        let skipped = try file.skip(offset)
        guard skipped == offset else {
            // Shorter than when it was read: the file was replaced; leave it, saying so.
            throw MailLogError(
                .unreadable, path: path,
                "holds \(skipped) bytes but \(offset) were read from it before; it was truncated or replaced, "
                    + "so it is left alone")
        }
        var checkpoint =
            saved
            ?? FileCheckpoint(
                fingerprint: fingerprint.fingerprint(length: fingerprint.head.count), lineHash: fingerprint.lineHash,
                headLength: fingerprint.head.count, path: path, offset: 0, lines: 0, lastLocalTime: nil)
        checkpoint.path = path
        var resolver = YearResolver(utcOffset: options.utcOffset, anchorUTC: file.modificationTime)
        resolver.lastLocal = checkpoint.lastLocalTime
        var reader = LineReader(file: file, isFinished: isFinished, offset: offset, chunkSize: options.chunkSize)
        var uncommitted: Int64 = 0
        /// The day of the last line read (local days since 1970).
        var lastDay = resolver.lastLocal.map(Self.day)
        var readError: MailLogError?
        var readAll = false
        /// Chunks read and being parsed on the other cores, oldest first.
        var ahead: [ParsingTask] = []
        /// Reads chunks until `readAhead` are parsing: the workers always have the next ones to
        /// parse while this thread correlates, and the commit thread writes.
        func readAhead() {
            while !readAll && readError == nil && ahead.count < options.readAhead {
                do {
                    guard let chunk = try reader.next() else {
                        readAll = true
                        return
                    }
                    ahead.append(ParsingTask(chunk, contexts: run.contexts))
                } catch {
                    readError = error
                }
            }
        }
        readAhead()
        var chunksCorrelated = 0
        while !ahead.isEmpty {
            let task = ahead.removeFirst()
            readAhead()
            let chunk = task.chunk
            let result = task.result()
            // A commit comes before the chunk in which the log passes midnight: it holds whole
            // days, whose rows go at the end of their tables, and the next one the new day
            // with at most a chunk of the day before.
            if uncommitted >= options.dayCommitMinimum, let lastDay, Self.lastDay(of: result, resolver) != lastDay {
                try commit(checkpoint, &run)
                uncommitted = 0
            }
            // Every framed line's stamp settles the year, not only the lines that count.
            var nextStamp = 0
            for (index, timed) in result.events.enumerated() {
                while nextStamp < result.stamps.count && result.stamps[nextStamp].before <= index {
                    _ = resolver.resolve(result.stamps[nextStamp].time)
                    nextStamp += 1
                }
                let time = resolver.resolve(timed.time)
                run.correlator.apply(timed.fact, at: time, to: &run.aggregate)
            }
            for stamp in result.stamps[nextStamp...] { _ = resolver.resolve(stamp.time) }
            lastDay = resolver.lastLocal.map(Self.day)
            run.correlator.countLines(
                read: result.lines, parsed: result.parsed, otherPrograms: result.otherPrograms,
                unrecognised: result.unrecognised, unreadableHeaders: result.unreadableHeaders)
            for sample in result.samples where outcome.samples.count < ParsedChunk.sampleLimit {
                outcome.samples.append("\(path):\(checkpoint.lines + 1 + sample.line): \(sample.excerpt)")
            }
            for sample in result.headerSamples where outcome.headerSamples.count < ParsedChunk.sampleLimit {
                outcome.headerSamples.append(
                    "\(path):\(checkpoint.lines + 1 + sample.line): From header not recorded (\(sample.problem.rawValue))"
                )
            }
            outcome.unrecognised += result.unrecognised
            outcome.unreadableHeaders += result.unreadableHeaders
            outcome.lines += result.lines
            let newBytes = chunk.endOffset - checkpoint.offset
            outcome.bytes += newBytes
            uncommitted += newBytes
            checkpoint.offset = chunk.endOffset
            checkpoint.lines += result.lines
            checkpoint.lastLocalTime = resolver.lastLocal
            if uncommitted >= options.commitInterval {
                try commit(checkpoint, &run)
                uncommitted = 0
            }
            chunksCorrelated += 1
            guard chunksCorrelated % options.workers == 0 || ahead.isEmpty else { continue }
            // Until the next commit, the commit thread stores the new addresses.
            run.commits.prepare(run.addressesToPrepare(minimum: options.addressesAhead))
            run.progress?(
                IngestProgress(
                    path: path, bytesDone: run.bytesBefore + file.bytesConsumed, bytesTotal: run.bytesTotal,
                    lines: run.report.statistics.linesRead + run.correlator.statistics.linesRead,
                    elapsed: monotonicSeconds() - run.started))
        }
        if outcome.bytes > 0 || saved == nil {
            try commit(checkpoint, &run)
        }
        // The next file's checkpoint is looked up in the store: everything before it must be there.
        try run.commits.finish()
        run.bytesBefore += file.sizeOnDisk
        outcome.unfinishedTail = reader.unfinishedTail
        if outcome.bytes == 0 { outcome.status = saved == nil ? .empty : .unchanged }
        if let readError { throw readError }
    }

    /// Asks glibc's allocator to keep what is freed for the next allocation rather than give it
    /// back to the system: each chunk's text (2 MiB) and events are freed once correlated, and
    /// given back and asked for again they cost a page fault every 4 KiB, in the read and in the
    /// parsing threads (about 40,000 faults for 1 GiB of log, and a tenth of the CPU the kernel
    /// takes). Blocks up to 32 MiB come from the heap, which shrinks only past 512 MiB free.
    static func keepFreedMemory() {
        #if canImport(Glibc)
            _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }

    static func day(_ local: Int64) -> Int32 {
        Int32(CivilTime.day(of: local, offsetSeconds: 0))
    }

    /// The day of the last stamped line of `result`, as `resolver` would settle it next (on a copy
    /// of it: only its last event and the stamps after it, enough to see the day change).
    static func lastDay(of result: ParsedChunk, _ resolver: YearResolver) -> Int32? {
        var probe = resolver
        if let last = result.events.last { _ = probe.resolve(last.time) }
        for stamp in result.stamps where stamp.before >= result.events.count { _ = probe.resolve(stamp.time) }
        return probe.lastLocal.map(day)
    }

    func commit(_ checkpoint: FileCheckpoint, _ run: inout Run) throws {
        let statistics = run.correlator.takeStatistics()
        try run.commits.submit(
            IngestBatch(
                activity: run.aggregate, statistics: statistics, checkpoint: checkpoint, state: run.correlator.state))
        run.report.statistics += statistics
        // Not sized like the batch before: that one is still being committed while this one
        // fills, and tables reserved at its full size at once would hold two batches' worth of
        // memory through every commit. Grown as they fill, they reach that size about when the
        // commit before is done.
        run.aggregate = ActivityAggregate(utcOffset: run.aggregate.utcOffset)
        run.preparedUpTo = 0
        // Those not handed are in the batch: the commit stores them.
        run.fresh = []
    }
}

/// Hands batches to the sink one at a time, in order, on a thread of their own.
///
/// At most one commit is in flight: `submit` waits for the one before, so batches reach the
/// store in log order and memory stays bounded. A failed commit (or storing of addresses ahead)
/// is thrown by the next `submit` or by `finish`, and nothing after it is committed.
///
/// `@unchecked Sendable`: the sink is used only on `queue`, one commit at a time, and
/// `failure` is written there and read there or after `group.wait()`.
final class CommitQueue<Sink: IngestSink>: @unchecked Sendable {
    private let sink: Sink
    private let queue = DispatchQueue(label: "mailcensus.ingest.commit")
    private let group = DispatchGroup()
    /// Written by the commit thread, read by it or after `group.wait()`.
    private var failure: (any Error)?

    init(_ sink: Sink) {
        self.sink = sink
    }

    func submit(_ batch: IngestBatch) throws {
        try finish()
        queue.async(group: group) {
            do {
                try self.sink.commit(batch)
            } catch {
                self.failure = error
            }
        }
    }

    /// Hands `addresses` to the sink to store ahead of the next commit
    /// (`IngestSink.prepare(addresses:)`), after what is in flight, without waiting for it.
    func prepare(_ addresses: [String]) {
        guard !addresses.isEmpty else { return }
        queue.async(group: group) {
            guard self.failure == nil else { return }
            do {
                try self.sink.prepare(addresses: addresses)
            } catch {
                self.failure = error
            }
        }
    }

    /// Waits for the commit in flight; throws its error, if any.
    func finish() throws {
        group.wait()
        if let failure { throw failure }
    }
}

/// One chunk being parsed on a worker thread, with a `FactContext` of its own while it is.
///
/// `@unchecked Sendable`: `parsed` is written once, by the worker, before it signals `done`,
/// and read only after waiting for that signal.
final class ParsingTask: @unchecked Sendable {
    let chunk: LineChunk
    private let done = DispatchSemaphore(value: 0)
    private var parsed: ParsedChunk?

    /// Starts parsing `chunk` on a worker thread, with a context lent by `contexts`.
    init(_ chunk: LineChunk, contexts: Pool<FactContext, Never>) {
        self.chunk = chunk
        DispatchQueue.global().async {
            let context = contexts.lend()
            self.parsed = ParsedChunk(chunk, context)
            contexts.takeBack(context)
            self.done.signal()
        }
    }

    /// The parsed chunk, once the worker is done; asked for once.
    func result() -> ParsedChunk {
        done.wait()
        return parsed!
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
