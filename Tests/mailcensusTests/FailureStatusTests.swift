import Basics
import Census
import CensusStore
import Curl
import MailLog
import Provisioning
import Relay
import Testing

@testable import Reports

/// An error no module declares: a failure of the work.
private struct OtherError: Error {}

@Suite("Exit status of each error: 2 for bad input, 1 for failed work")
struct FailureStatusTests {
    static let storeCodes: [(StoreError.Code, FailureStatus)] = [
        (.badLocation, .badInput), (.unknownSource, .badInput), (.cannotOpen, .failed), (.needsUpgrade, .failed),
        (.busy, .failed), (.query, .failed), (.corruptState, .failed),
    ]

    @Test("census inputs, logs and relay settings are bad input")
    func badInput() {
        for code in [CensusError.Code.policyUnreadable, .policyInvalid, .rosterUnreadable, .rosterInvalid] {
            #expect(FailureStatus(of: CensusError(code, location: "policy.yaml", "wrong")) == .badInput)
        }
        for code in [
            MailLogError.Code.fileNotFound, .notAFile, .unreadable, .truncatedCompression, .corruptCompression,
        ] {
            #expect(FailureStatus(of: MailLogError(code, path: "mail.log", "wrong")) == .badInput)
        }
        for code in [RelayError.Code.template, .settings, .unsafeMessage] {
            #expect(FailureStatus(of: RelayError(code, subject: "relay", "wrong")) == .badInput)
        }
    }

    @Test("a secret that is not set, or not protected, is bad input")
    func secret() {
        do {
            _ = try Secret.load(variable: "MAILCENSUS_TEST_UNSET", file: nil, environment: [:])
            Issue.record("a secret with neither variable nor file loaded")
        } catch {
            #expect(FailureStatus(of: error) == .badInput)
        }
    }

    @Test("a store error is bad input only for a bad location or an unknown source", arguments: storeCodes)
    func store(code: StoreError.Code, status: FailureStatus) {
        #expect(FailureStatus(of: StoreError(code, location: "store.sqlite", "wrong")) == status)
    }

    @Test("servers, reports and other errors are failed work")
    func failed() {
        for code in [CurlError.Code.connection, .timeout, .tls, .invalidRequest] {
            #expect(FailureStatus(of: CurlError(code, url: "https://mail.invalid", "wrong")) == .failed)
        }
        let smtp: [SMTPError.Code] = [
            .unavailable, .tls, .authentication, .temporary, .permanent, .invalid, .unsafeAddress,
        ]
        for code in smtp {
            #expect(FailureStatus(of: SMTPError(code, server: "smtp://mail.invalid", "wrong")) == .failed)
        }
        for code in [ProvisioningError.Code.unauthorized, .rejected, .unavailable] {
            #expect(FailureStatus(of: ProvisioningError(code, subject: "mail.invalid", "wrong")) == .failed)
        }
        #expect(FailureStatus(of: ReportError(path: "report.html", message: "wrong")) == .failed)
        #expect(FailureStatus(of: OtherError()) == .failed)
    }

    @Test("the statuses are 1 and 2")
    func values() {
        #expect(FailureStatus.failed.rawValue == 1)
        #expect(FailureStatus.badInput.rawValue == 2)
    }
}
