import Foundation
import TestSupport
import Testing

/// Output to a full disk (`/dev/full`): a clear error and status 1, never a crash.
@Suite("Writing results to a full disk")
struct FullDiskTests {
    let folder = TemporaryFolder()

    @Test("activity with its output on a full disk says so and exits 1")
    func activityToFullDisk() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full on this machine")
        let store = folder.path("store.sqlite")
        let log = CLI.root.appendingPathComponent("Logs/captured/mail.log").path
        let ingest = try CLI.run(["ingest", "--store", store, log])
        #expect(ingest.status == 0, "\(ingest.error)")
        let result = try CLI.run(
            ["activity", "--store", store, "--format", "json"],
            through: ["/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full"])
        #expect(result.status == 1, "status \(result.status): \(result.error)")
        #expect(result.error.contains("cannot write the output (No space left on device)"), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
    }
}
