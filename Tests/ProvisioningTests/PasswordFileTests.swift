import Foundation
import Testing

@testable import Provisioning

@Suite("The initial-password file on a full disk")
struct PasswordFileTests {
    @Test("a write that fails is an error naming the file and the reason, not a crash")
    func fullDisk() throws {
        let descriptor = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(descriptor >= 0, "no /dev/full on this machine")
        let error = #expect(throws: ProvisioningError.self) {
            _ = try PasswordFile(descriptor: descriptor, path: "/srv/hr/passwords.csv", byteOrderMark: true)
        }
        let text = "\(String(describing: error))"
        #expect(text.contains("/srv/hr/passwords.csv"), "\(text)")
        #expect(text.contains("(No space left on device)"), "\(text)")
    }
}
