import Foundation
import TestSupport

/// Where the tests find the project and the shared corpus.
enum Paths {
    /// The package root.
    static let root = TestServers.root
    /// `../shared/corpus` beside the project; tests read it there, it is never copied in.
    static let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? root.appendingPathComponent("Tests/MailLogTests/Fixtures/\(name)")
    }
}
