import Foundation
import MailLog

/// How an ingest's state is saved, the same on every backend: the correlator's open messages in
/// their compact binary form (`Correlator.State.encoded()`; older versions saved JSON, which is
/// still read), the running totals as JSON text.
enum IngestState {
    static func encode(_ state: Correlator.State) -> Data {
        Data(state.encoded())
    }

    static func decode(_ data: Data, location: String) throws(StoreError) -> Correlator.State {
        do {
            if Correlator.State.isEncoded(data) { return try Correlator.State(encoded: [UInt8](data)) }
            return try JSONDecoder().decode(Correlator.State.self, from: data)
        } catch let error as StateFormatError where error.isNewer {
            throw StoreError(
                .cannotOpen, location: location,
                "was last ingested into by a newer mailcensus, whose saved state this one cannot read; update mailcensus",
                cause: error)
        } catch {
            throw StoreError(
                .corruptState, location: location,
                "the saved state of open messages cannot be read; re-create the store and ingest again", cause: error)
        }
    }

    /// The totals `stored` (JSON, nil for none yet) plus `batch`, as JSON.
    static func total(_ stored: String?, adding batch: IngestStatistics, location: String) throws(StoreError)
        -> String
    {
        do {
            var total =
                try stored.map { try JSONDecoder().decode(IngestStatistics.self, from: Data($0.utf8)) }
                ?? IngestStatistics()
            total += batch
            return String(decoding: try JSONEncoder().encode(total), as: UTF8.self)
        } catch {
            throw StoreError(.corruptState, location: location, "the ingest totals cannot be read", cause: error)
        }
    }
}
