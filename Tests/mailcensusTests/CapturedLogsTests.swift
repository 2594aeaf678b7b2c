import Census
import CensusStore
import Foundation
import TestSupport
import Testing

/// Logs written by a real Postfix 3.7 and Dovecot 2.3 (`Logs/captured/`, made by
/// `Scripts/capture-real-logs.sh`) against the truth of what the capture did: `activity` must
/// equal it for every address, whichever syslog format the same messages were written in.
@Suite("Logs captured from a real Postfix and Dovecot")
struct CapturedLogsTests {
    static let folder = CLI.root.appendingPathComponent("Logs/captured")

    struct Truth: Decodable {
        struct Address: Decodable, Equatable {
            let address: String
            let submitted: Int
            let received: Int
            let logins: [String: Int]
            let correspondents: [String: Int]
        }
        struct Forward: Decodable, Equatable {
            let original: String
            let recipient: String
            let messages: Int
        }
        let addresses: [Address]
        let messages: Int
        let bounceNotifications: Int
        let forwards: [Forward]
    }

    @Test(
        "activity equals the truth for every address",
        arguments: ["mail.log", "mail-iso.log", "mail-rfc5424.log"])
    func matchesTruth(_ name: String) throws {
        let truthData = try Data(contentsOf: Self.folder.appendingPathComponent("truth.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let truth = try decoder.decode(Truth.self, from: truthData)
        let scratch = TemporaryFolder()
        let store = scratch.path("store.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store, Self.folder.appendingPathComponent(name).path])
        #expect(ingest.status == 0, "\(ingest.error)")
        #expect(ingest.output.contains("messages: \(truth.messages) accepted"))
        #expect(ingest.output.contains("\(truth.bounceNotifications) bounce notifications"))
        #expect(ingest.output.contains("(0 in no known format)"))
        let result = try CLI.run(["activity", "--store", store, "--format", "json"])
        #expect(result.status == 0)
        struct Activity: Decodable { let addresses: [Truth.Address] }
        let activity = try JSONDecoder().decode(Activity.self, from: Data(result.output.utf8))
        #expect(activity.addresses.map(\.address) == truth.addresses.map(\.address))
        for (ours, expected) in zip(activity.addresses, truth.addresses) {
            #expect(ours == expected, "\(expected.address)")
        }
        #expect(truth.addresses.count > 15)
        // Aliases and forwards (orig_to), whose lines a content filter splits over two queue ids.
        let data = try SQLiteStore(path: store).censusData(from: 0, through: 100_000)
        var forwards: [String: Int] = [:]
        for pair in data.forwards {
            forwards["\(data.addresses[Int(pair.from)])>\(data.addresses[Int(pair.to)])", default: 0] += Int(
                pair.messages)
        }
        #expect(
            forwards
                == Dictionary(
                    uniqueKeysWithValues: truth.forwards.map { ("\($0.original)>\($0.recipient)", $0.messages) }))
        #expect(!truth.forwards.isEmpty)
    }
}
