import Testing

@testable import MailLog

/// The shortcuts of the Postfix parse and the framing give what the general code gives.
@Suite("Lazy parsing shortcuts")
struct LazyParseTests {
    static let queueActiveLines = [
        "4Bx2Yz1AbC: from=<an@so.gov.vn>, size=2048, nrcpt=1 (queue active)",
        "4Bx2Yz1AbC: from=<>, size=512, nrcpt=3 (queue active)",
        "4Bx2Yz1AbC: from=<\"a>b\"@x.vn>, size=1, nrcpt=12",
        "4Bx2Yz1AbC: from=<an@so.gov.vn>, size=2048, nrcpt=1x (queue active)",
        "4Bx2Yz1AbC: from=<an@so.gov.vn>, size=, nrcpt=1 (queue active)",
        "4Bx2Yz1AbC: from=<an@so.gov.vn>, size=10, nrcpt=1, from=<other@x.vn>",
        "4Bx2Yz1AbC: from=<an@so.gov.vn>, nrcpt=1 (queue active)",
        "4Bx2Yz1AbC: from=<an@so.gov.vn",
    ]

    @Test("qmgr's scanner finds the sender exactly when the general parse reads the line as queue-active")
    func queueActive() {
        for line in Self.queueActiveLines {
            line.withByteView { body in
                let idEnd = PostfixParser.queueIDEnd(body)!
                let fields = PostfixParser.parse(body)
                let sender = LineClassifier.queueActiveSender(body.suffix(from: idEnd + 2))
                if let sender {
                    #expect(fields.isQueueActive, "\(line)")
                    #expect(
                        fields.from.map {
                            String(
                                decoding: UnsafeBufferPointer(start: body.base + $0.lowerBound, count: $0.count),
                                as: UTF8.self)
                        }
                            == String(
                                decoding: UnsafeBufferPointer(start: sender.base, count: sender.count), as: UTF8.self),
                        "\(line)")
                }
            }
        }
        #expect(
            "4Bx2Yz1AbC: from=<a@b.vn>, size=9, nrcpt=2 (queue active)".withByteView {
                LineClassifier.queueActiveSender($0.suffix(from: 12)) != nil
            })
        #expect(
            "4Bx2Yz1AbC: from=<a@b.vn>, size=9, nrcpt=2x".withByteView {
                LineClassifier.queueActiveSender($0.suffix(from: 12)) == nil
            })
    }

    @Test("key=value lines parsed straight after the queue id give the general parse's fields")
    func keyValueLines() {
        let lines = [
            "4Bx2Yz1AbC: to=<b@x.vn>, orig_to=<c@x.vn>, relay=mx[10.0.0.1]:25, delay=1, dsn=2.0.0, status=sent (250 queued as 4AbCdEfGh)",
            "4Bx2Yz1AbC: to=<b@x.vn>, relay=local, delay=0.1, dsn=2.0.0, status=sent (forwarded as 5XyZ12345)",
            "4Bx2Yz1AbC: client=host[192.0.2.1]:4711, sasl_method=PLAIN, sasl_username=a b,c@x.vn",
            "4Bx2Yz1AbC: from=<a@x.vn>, status=expired, returned to sender",
        ]
        for line in lines {
            line.withByteView { body in
                let idEnd = PostfixParser.queueIDEnd(body)!
                #expect(PostfixParser.startsWithKey(body.suffix(from: idEnd + 2)))
                #expect(
                    PostfixParser.parseKeyValueLine(body, queueIDEnd: idEnd) == PostfixParser.parse(body), "\(line)")
            }
        }
    }

    @Test("the clean-text check finds a NUL or a bad byte wherever it is in a long line")
    func cleanText() {
        let clean = String(repeating: "abcdefgh", count: 12)
        #expect(clean.withByteView { $0.isCleanText })
        #expect((clean + "Trần Văn Ánh").withByteView { $0.isCleanText })
        for position in [0, 7, 8, 31, 32, 33, 63, 64, 95] {
            var bytes = Array(clean.utf8)
            bytes[position] = 0
            #expect(!bytes.withUnsafeBufferPointer { ByteView(base: $0.baseAddress!, count: $0.count).isCleanText })
            bytes[position] = 0xFF
            #expect(!bytes.withUnsafeBufferPointer { ByteView(base: $0.baseAddress!, count: $0.count).isCleanText })
        }
    }

    @Test("the program name's end is the first [, : or space, at any offset")
    func programEnd() {
        for length in 0..<20 {
            for stop in ["[", ":", " "] {
                let line = String(repeating: "p", count: length) + stop + "xyz[: "
                #expect(line.withByteView { SyslogFramer.firstBracketColonOrSpace($0, from: 0) } == length)
            }
            let none = String(repeating: "q", count: length)
            #expect(none.withByteView { SyslogFramer.firstBracketColonOrSpace($0, from: 0) } == length)
        }
    }
}
