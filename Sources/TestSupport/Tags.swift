import Foundation
public import Testing

/// What a test needs besides the package itself: a server on 127.0.0.1 or a browser.
///
/// `make test` starts every server and runs every test. `make test-fast` skips the tests that
/// need one: this swift-testing takes no tag filter from `swift test`, so a test carries its tag
/// and `.needs(tag)`, which skips it when `MAILCENSUS_TEST_SKIP` names the tag.
extension Tag {
    /// The Modoboa admin API of `Scripts/modoboa.sh`.
    @Tag public static var modoboa: Self
    /// The SMTP test server of `Scripts/smtp-test-server.sh`.
    @Tag public static var smtp: Self
    /// The PostgreSQL test server of `Scripts/postgres-test-server.sh`.
    @Tag public static var postgres: Self
    /// Headless Chromium (Debian's `chromium`, or `$MAILCENSUS_CHROMIUM`).
    @Tag public static var browser: Self

    /// The tags `MAILCENSUS_TEST_SKIP` names, separated by commas: `modoboa,smtp,postgres,browser`.
    static let skipped: Set<String> = Set(
        (ProcessInfo.processInfo.environment["MAILCENSUS_TEST_SKIP"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        })
}

extension Trait where Self == ConditionTrait {
    /// Runs the test unless `MAILCENSUS_TEST_SKIP` names `tag`.
    ///
    /// Without that variable the test runs, and when its server is not there it fails, saying how
    /// to start it: a test never passes for want of a server.
    ///
    /// - Parameter tag: what the test needs, as in its `.tags(…)`.
    public static func needs(_ tag: Tag) -> Self {
        let name = String(String(describing: tag).drop { $0 == "." })
        return .disabled(if: Tag.skipped.contains(name), "MAILCENSUS_TEST_SKIP skips the tests that need \(name)")
    }
}
