import Foundation
import MailLog
import TestSupport
import Testing
import Yams

/// The postfix-grok-patterns test cases (`../shared/corpus/postfix-grok-patterns`): every field
/// mailcensus parses must equal what the upstream patterns extract.
@Suite("Postfix parser conformance (postfix-grok-patterns)")
struct PostfixConformanceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let data: String
        let results: [String: String]
        var testDescription: String { name }
    }

    static let directory = Paths.corpus.appendingPathComponent("postfix-grok-patterns")

    static let cases: [Case] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                let document = try? Yams.load(yaml: text, .basic) as? [String: Any],
                let data = document["data"] as? String
            else { return nil }
            // `.basic` keeps every scalar a string: `413E164734` is a queue id, not a float.
            let results = (document["results"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
            return Case(name: name, data: data, results: results)
        }
    }()

    /// The grok field each of our fields corresponds to.
    static let fieldMap: [(grok: String, ours: any KeyPath<PostfixFields, Range<Int>?> & Sendable)] = [
        ("postfix_queueid", \.queueID),
        ("postfix_client_hostname", \.clientHost),
        ("postfix_client_ip", \.clientIP),
        ("postfix_client_port", \.clientPort),
        ("postfix_relay_hostname", \.relayHost),
        ("postfix_relay_ip", \.relayIP),
        ("postfix_relay_port", \.relayPort),
        ("postfix_status", \.status),
        ("postfix_message-id", \.messageID),
        ("postfix_bounce_queueid", \.notificationQueueID),
        ("postfix_from", \.from),
    ]

    /// Keys of `key=value` lists that we parse, checked against grok's `postfix_keyvalue_data`.
    static let keyValueMap: [String: any KeyPath<PostfixFields, Range<Int>?> & Sendable] = [
        "to": \.to, "orig_to": \.origTo, "from": \.from, "relay": \.relay, "dsn": \.dsn,
        "sasl_username": \.saslUsername, "sasl_method": \.saslMethod, "message-id": \.messageID,
    ]

    @Test("the corpus is there")
    func corpusPresent() {
        #expect(PostfixConformanceTests.cases.count >= 190, "expected the 192 cases in \(Self.directory.path)")
    }

    @Test("every parsed field equals upstream's", arguments: cases)
    func conforms(_ sample: Case) {
        sample.data.withByteView { body in
            let fields = PostfixParser.parse(body)
            for (grok, ours) in Self.fieldMap {
                guard let expected = sample.results[grok] else { continue }
                let actual = fields[keyPath: ours].map { body[$0].string }
                #expect(actual == expected, "\(grok)")
            }
            if let data = sample.results["postfix_keyvalue_data"] {
                for (key, value) in Self.keyValues(data) {
                    guard let ours = Self.keyValueMap[key] else { continue }
                    #expect(fields[keyPath: ours].map { body[$0].string } == value, "\(key)")
                }
            }
        }
    }

    @Test("the comparison covers the fields that matter")
    func coverage() {
        var compared = 0
        for sample in Self.cases {
            compared += Self.fieldMap.filter { sample.results[$0.grok] != nil }.count
            if let data = sample.results["postfix_keyvalue_data"] {
                compared += Self.keyValues(data).filter { Self.keyValueMap[$0.key] != nil }.count
            }
        }
        #expect(compared >= 300)
    }

    /// Splits grok's `key=value, key=<value>, …` text, independently of the parser under test.
    static func keyValues(_ text: String) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        for item in text.split(separator: " ") {
            var item = Substring(item)
            while item.last == "," { item = item.dropLast() }
            guard let equals = item.firstIndex(of: "=") else { continue }
            var value = item[item.index(after: equals)...]
            if value.hasPrefix("<") && value.hasSuffix(">") { value = value.dropFirst().dropLast() }
            result.append((String(item[..<equals]), String(value)))
        }
        return result
    }
}
