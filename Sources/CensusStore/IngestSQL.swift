import Foundation
import MailLog

/// How a store finds or adds a source. A source of no province (from a store made before
/// sources) is adopted by the first province that ingests under its name.
enum SourceSQL {
    /// The id of `source`, added if it is new.
    static func id(of source: IngestSource, _ sql: any SQLExecutor) throws -> Int64 {
        let (province, name) = (source.province, source.name)
        try sql.execute(
            """
            UPDATE source SET province = ? WHERE name = ? AND province = '' AND ? <> ''
                AND NOT EXISTS (SELECT 1 FROM source AS other WHERE other.province = ? AND other.name = ?)
            """, province, name, province, province, name)
        try sql.execute(
            "INSERT INTO source (province, name) VALUES (?, ?) ON CONFLICT (province, name) DO NOTHING", province, name)
        return try sql.first("SELECT id FROM source WHERE province = ? AND name = ?", province, name) {
            try $0.int(0)
        } ?? 0
    }
}

/// What an ingest reads and writes besides its daily rows, the same on every backend: the
/// checkpoints of its files, the open messages and the running totals. The daily rows are the
/// backend's own (`SQLiteStore.commit`, `PostgresStore.commit`): prepared upserts on SQLite,
/// `COPY` on PostgreSQL.
enum IngestSQL {
    /// The checkpoints of `source`'s files whose first lines hash to `lineHash`, longest head
    /// first.
    static func checkpoints(lineHash: String, source: Int64, _ sql: any SQLExecutor) throws -> [FileCheckpoint] {
        try sql.rows(
            """
            SELECT fingerprint, line_hash, head_length, path, "offset", lines, last_local_time FROM ingest_file
            WHERE source_id = ? AND line_hash = ? ORDER BY head_length DESC
            """, source, lineHash
        ) { row in
            FileCheckpoint(
                fingerprint: try row.text(0) ?? "", lineHash: try row.text(1) ?? "",
                headLength: Int(try row.int64(2)), path: try row.text(3) ?? "", offset: try row.int64(4),
                lines: Int(try row.int64(5)), lastLocalTime: try row.int(6))
        }
    }

    /// The saved open messages of `source`, as `IngestState` encoded them.
    static func correlator(source: Int64, _ sql: any SQLExecutor) throws -> Data? {
        try sql.first("SELECT correlator FROM ingest_state WHERE source_id = ?", source) { try $0.bytes(0) }
            .map { Data($0) }
    }

    /// The running totals of `source` with `batch`'s added, as JSON: read inside the commit's
    /// transaction, so that a commit that rolls back adds nothing.
    static func total(source: Int64, adding batch: IngestStatistics, location: String, _ sql: any SQLExecutor)
        throws -> String
    {
        let stored = try sql.first("SELECT statistics FROM ingest_state WHERE source_id = ?", source) {
            try $0.text(0)
        }
        return try IngestState.total(stored, adding: batch, location: location)
    }

    /// Saves the checkpoint of `batch`'s file and the open messages (`state`, encoded) with the
    /// totals `total`, in the transaction that commits its daily rows: an ingest killed at any
    /// point resumes exactly where the last commit left it.
    static func save(_ batch: IngestBatch, state: Data, total: String, source: Int64, _ sql: any SQLExecutor) throws {
        let checkpoint = batch.checkpoint
        try sql.execute(
            """
            INSERT INTO ingest_file (source_id, fingerprint, line_hash, head_length, path, "offset", lines,
                last_local_time, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source_id, fingerprint) DO UPDATE SET path = excluded.path,
                "offset" = excluded."offset", lines = excluded.lines,
                last_local_time = excluded.last_local_time, updated_at = excluded.updated_at
            """, source, checkpoint.fingerprint, checkpoint.lineHash, checkpoint.headLength, checkpoint.path,
            checkpoint.offset, checkpoint.lines, checkpoint.lastLocalTime, Int64(Date().timeIntervalSince1970))
        try sql.execute(
            """
            INSERT INTO ingest_state (source_id, correlator, statistics, utc_offset) VALUES (?, ?, ?, ?)
            ON CONFLICT (source_id) DO UPDATE SET correlator = excluded.correlator,
                statistics = excluded.statistics
            """, source, state, total, batch.activity.utcOffset)
    }
}

/// What an ingest of one source reads, the same on every backend; its commit is the backend's.
extension SQLStore {
    public func sink(for source: IngestSource) throws -> any IngestSink {
        let id = try transaction("record the source \(source.name)") { try SourceSQL.id(of: source, $0) }
        return SourceSink(store: self, source: id)
    }

    func checkpoints(lineHash: String, source: Int64) throws -> [FileCheckpoint] {
        try snapshot("read checkpoints") { try IngestSQL.checkpoints(lineHash: lineHash, source: source, $0) }
    }

    func correlatorState(source: Int64) throws -> Correlator.State? {
        let data = try snapshot("read the ingest state") { try IngestSQL.correlator(source: source, $0) }
        return try data.map { data throws(StoreError) in try IngestState.decode(data, location: location) }
    }
}
