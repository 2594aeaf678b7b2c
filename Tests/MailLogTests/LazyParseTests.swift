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

    static let deliveryLines = [
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx.x.vn[10.0.0.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK queued as 4AbCdEfGh)",
        "4Bx2Yz1AbC: to=<b@x.vn>, orig_to=<c@x.vn>, relay=local, delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (forwarded as 5XyZ12345)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mail.x.vn[private/dovecot-lmtp], delay=0.3, delays=0.1/0/0/0.2, dsn=2.0.0, status=sent (250 2.0.0 <b@x.vn> Saved)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=virtual, delay=0.01, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=none, delay=3600, delays=3600/0/0/0, dsn=4.4.1, status=deferred (connect to x.vn[192.0.2.1]:25: Connection timed out)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[10.0.0.1]:25, conn_use=2, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx[10.0.0.1] said: 550 no such user (in reply to RCPT TO command))",
        "4Bx2Yz1AbC: to=<\"a>b, c\"@x.vn>, relay=mx[10.0.0.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[::1]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9QwErTy12)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[127.0.0.1]:10025, delay=1, dsn=2.0.0, status=sent",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[127.0.0.1]:10025, delay=1, dsn=2.0.0, status=sent (",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[127.0.0.1]:10025, delay=1, dsn=2.0.0, status=sent x",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[127.0.0.1]:10025, delay=1, dsn=2.0.0, status=sent, more",
        "4Bx2Yz1AbC: to=<b@x.vn>, to=<d@x.vn>, relay=a, relay=b[1.2.3.4], status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[10.0.0.1]:25, delay=1, dsn=2.0.0",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=mx[10.0.0.1]:25, delay=1, ",
        "4Bx2Yz1AbC: to=<b@x.vn>,  relay=mx[10.0.0.1]:25, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn> relay=mx[10.0.0.1]:25, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay=a,b, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, (relay=a), status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, from=<a@x.vn>, size=1, nrcpt=1, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, sasl_username=x, y, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, relay-x=1, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn>, Relay=1, status=sent (ok)",
        "4Bx2Yz1AbC: from=<a@x.vn>, status=expired, returned to sender",
        "4Bx2Yz1AbC: orig_to=<c@x.vn>, status=sent (ok)",
        "4Bx2Yz1AbC: to=<b@x.vn, relay=x",
        "4Bx2Yz1AbC: to=<>, relay=x, status=sent (ok)",
        "4Bx2Yz1AbC: to=, relay=x, status=sent (ok)",
        "4Bx2Yz1AbC: status=expired, returned to sender",
        "4Bx2Yz1AbC: to=<b@x.vn>, status=sent ()",
    ]

    @Test("the delivery scanner reads what the general parse reads, or leaves the line to it")
    func deliveryLines() {
        var scanned = 0
        for line in Self.deliveryLines {
            line.withByteView { body in
                let idEnd = PostfixParser.queueIDEnd(body)!
                let general = PostfixParser.parseKeyValueLine(body, queueIDEnd: idEnd)
                guard let fields = PostfixParser.parseDelivery(body, from: idEnd + 2) else { return }
                scanned += 1
                #expect(fields == DeliveryFields(general), "\(line)")
                #expect(fields.status != nil, "\(line)")
                #expect(general == PostfixParser.parse(body), "\(line)")
                #expect(!general.isQueueActive && !general.isCleanupReject && general.notificationQueueID == nil)
            }
        }
        // The common shapes take the shortcut; the odd ones are left to the general parse.
        #expect(scanned == 18)
        for line in Self.deliveryLines.prefix(13) {
            #expect(
                line.withByteView { PostfixParser.parseDelivery($0, from: PostfixParser.queueIDEnd($0)! + 2) } != nil)
        }
        for line in Self.deliveryLines[13..<24] {
            #expect(
                line.withByteView { PostfixParser.parseDelivery($0, from: PostfixParser.queueIDEnd($0)! + 2) } == nil,
                "\(line)")
        }
    }

    @Test("a delivery line gives the same event through the scanner as through the general parse")
    func deliveryFacts() {
        for service in ["smtp", "lmtp", "local", "virtual", "relay", "pipe", "error", ""] {
            for line in Self.deliveryLines {
                line.withByteView { body in
                    let idEnd = PostfixParser.queueIDEnd(body)!
                    guard let scanned = PostfixParser.parseDelivery(body, from: idEnd + 2) else { return }
                    let general = DeliveryFields(PostfixParser.parseKeyValueLine(body, queueIDEnd: idEnd))
                    let context = FactContext(strings: StringTable(), loginDomain: nil)
                    let queueID = QueueID(body[0..<idEnd], host: 0)!
                    service.withByteView { service in
                        let viaScanner = LineClassifier.statusFact(
                            queueID, scanned, service: service, body: body, host: 0, context)
                        let viaGeneral = LineClassifier.statusFact(
                            queueID, general, service: service, body: body, host: 0, context)
                        #expect(
                            viaScanner.map { $0.event(context.strings) }
                                == viaGeneral.map { $0.event(context.strings) },
                            "\(line)")
                        #expect(scanned.to == nil || viaScanner != nil, "\(line)")
                    }
                }
            }
        }
    }

    @Test("the aggregate's counter table keeps what a dictionary keeps, through growth")
    func counterTable() {
        var table = ActivityAggregate.Pairs()
        var dictionary: [ActivityAggregate.PairKey: Int] = [:]
        var random = SystemRandomNumberGenerator()
        for step in 0..<5000 {
            let key = ActivityAggregate.PairKey(
                sender: Int32.random(in: 0..<40, using: &random), recipient: Int32.random(in: 0..<40, using: &random),
                day: Int32.random(in: 20_000..<20_004, using: &random))
            table.update(key) { $0.messages += 1 + step % 3 }
            dictionary[key, default: 0] += 1 + step % 3
        }
        #expect(table.count == dictionary.count)
        #expect(Array(table).count == dictionary.count)
        #expect(Set(table.keys) == Set(dictionary.keys))
        for (key, messages) in dictionary { #expect(table[key]?.messages == messages) }
        #expect(table[ActivityAggregate.PairKey(sender: 41, recipient: 0, day: 20_000)] == nil)
        #expect(ActivityAggregate.Days().isEmpty && ActivityAggregate.Days().first == nil)
    }

    @Test("the comma-or-space search finds the first one at any offset, or the end")
    func commaOrSpace() {
        for length in 0..<24 {
            for stop in [",", " "] {
                let text = String(repeating: "v", count: length) + stop + "w, x y"
                for start in 0...min(length, 3) {
                    #expect(text.withByteView { $0.firstCommaOrSpace(from: start) } == length)
                }
            }
            let none = String(repeating: "q", count: length)
            #expect(none.withByteView { $0.firstCommaOrSpace(from: 0) } == length)
        }
    }

    @Test("the closing angle is the first > followed by a comma, a space or the end, else the last >")
    func closingAngle() {
        func reference(_ body: ByteView, from start: Int) -> Int {
            var candidate = -1
            for index in start..<body.count where body[index] == UInt8(ascii: ">") {
                candidate = index
                if index + 1 == body.count || body[index + 1] == UInt8(ascii: ",") || body[index + 1] == 0x20 {
                    return index
                }
            }
            return candidate >= 0 ? candidate : body.count
        }
        let values = [
            "a@b.vn>, relay=x", "a@b.vn>", "\"a>b\"@c.vn> x", "a>b>c", "abc", "", ">", ">>", "a@b.vn>x>, y",
            "x>y", String(repeating: "long", count: 20) + ">",
        ]
        for value in values {
            value.withByteView { body in
                for start in 0...body.count {
                    #expect(PostfixParser.closingAngle(body, from: start) == reference(body, from: start), "\(value)")
                }
            }
        }
    }

    @Test("framing with the stamp memo gives what framing each line alone gives, line after line")
    func stampMemo() {
        let lines = [
            "Nov 25 08:09:01 mail postfix/smtpd[1]: connect from x[192.0.2.1]",
            "Nov 25 08:09:01 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Nov 25 08:09:01 imap-login: Info: Login: user=<a>",
            "Nov 25 08:09:01 ",
            "Nov 25 08:09:01 x",
            "Nov 25 08:09:01.123456 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Nov 25 08:09:01 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Nov 25 08:09:02 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "nov 25 08:09:02 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar 7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar 7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar  7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "<22>Mar  7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar  7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar  7 02:09:3x mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "2026-03-07T02:09:33+07:00 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "<22>1 2026-03-07T02:09:33+07:00 mail postfix/qmgr 2 - - 4Bx2Yz1AbC: removed",
            "Mar  7 02:09:33 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Mar  7 02:09:33 mail postfix qmgr: x",
            "Mar  7 02:09:33",
            "Dec 31 23:59:59 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
            "Dec 31 24:59:59 mail postfix/qmgr[2]: 4Bx2Yz1AbC: removed",
        ]
        let memo = SyslogFramer.StampMemo()
        for line in lines + lines.reversed() {
            line.withByteView { view in
                #expect(SyslogFramer.frame(view, memo: memo) == SyslogFramer.frame(view), "\(line)")
            }
        }
        #expect(memo.isSet)
    }

    @Test("the service is the program name after its last /, or empty without one")
    func postfixService() {
        let cases = [
            ("postfix/smtpd", "smtpd"), ("postfix/submission/smtpd", "smtpd"), ("postfix", ""), ("postfix/", ""),
            ("postfix-out/qmgr", "qmgr"), ("postfix//lmtp", "lmtp"), ("postfixx", ""),
        ]
        for (program, service) in cases {
            #expect(
                program.withByteView { view in
                    LineClassifier.postfixService(view).map {
                        String(decoding: UnsafeBufferPointer(start: $0.base, count: $0.count), as: UTF8.self)
                    }
                } == service, "\(program)")
        }
        #expect("dovecot".withByteView { LineClassifier.postfixService($0) } == nil)
    }

    @Test("short queue ids pack as the general 128-bit loop packs them")
    func shortQueueIDs() {
        func reference(_ text: String) -> (UInt64, UInt64)? {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for byte in text.utf8 {
                guard let code = QueueID.code(of: byte) else { return nil }
                high = (high << 6) | (low >> 58)
                low = (low << 6) | UInt64(code)
            }
            return (high, low)
        }
        let ids = [
            "0F538", "0F5383D", "009E3779B1", "zzzzzzzzzz", "4LXz6x2Wj5z", "4LXz6x2Wj5z9sbLzzzzzz", "0F53-3D", "0F53",
        ]
        for id in ids {
            let packed = id.withByteView { QueueID($0, host: 7) }
            if let packed {
                let expected = reference(id)!
                #expect(packed.high == expected.0 && packed.low == expected.1 && packed.host == 7, "\(id)")
            } else {
                #expect(id.count < 5 || id.count > 21 || reference(id) == nil, "\(id)")
            }
        }
        #expect("009E3779B1".withByteView { QueueID($0) } != nil)
        #expect("0F53-3D".withByteView { QueueID($0) } == nil)
    }

    @Test("the leading queue id is read in one pass as the end search and the packing read it in two")
    func leadingQueueID() {
        let bodies = [
            "0F5383D: removed", "009E3779B1: to=<a@b.vn>", "4LXz6x2Wj5z9sbLzzzzzz: removed",
            "4LXz6x2Wj5z9sbLzzzzzzz: x",
            "abcdef: x", "ABCD: x", "ABCDE: x", "ABCDE:x", "ABCDE:", "warning: x", "statistics: y", "0F53-3D: x",
            "NOQUEUE: reject", "0F5383D", "", ":", "0F5383D : x", "zzzzzzzzz1: x",
        ]
        for text in bodies {
            text.withByteView { body in
                let end = PostfixParser.queueIDEnd(body)
                let expected = end.flatMap { QueueID(body[0..<$0], host: 3) }
                let found = PostfixParser.leadingQueueID(body, host: 3)
                #expect(found?.0 == expected, "\(text)")
                #expect(found?.1 == (expected == nil ? nil : end), "\(text)")
                #expect((found == nil) == (end == nil), "\(text)")
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

    @Test("the line-end scan finds the newline, and calls a line plain only when it is clean ASCII")
    func lineEnd() {
        // Each special byte at each offset of a line, with text after it and after the newline:
        // the scan must agree with a search for the newline and with the clean-text check.
        let specials: [[UInt8]] = [[0x0A], [0x00], [0xFF], [0xC3, 0xA1], [0x80], [0x0D, 0x0A], [0x7F], [0x09]]
        for length in 0..<40 {
            for special in specials {
                for tail in [[], Array("tail\n".utf8), Array("x\u{0}y".utf8)] {
                    var bytes = Array(String(repeating: "a", count: length).utf8) + special + Array("bc".utf8)
                    bytes += [0x0A] + tail
                    bytes.withUnsafeBufferPointer { buffer in
                        let base = buffer.baseAddress!
                        for start in [0, min(3, length)] {
                            let (end, isPlain) = ParsedChunk.lineEnd(base, from: start, to: buffer.count)
                            let newline = buffer[start...].firstIndex(of: 0x0A) ?? buffer.count
                            #expect(end == newline, "length \(length), \(special), start \(start)")
                            let line = ByteView(base: base + start, count: newline - start)
                            let plain = buffer[start..<newline].allSatisfy { $0 != 0 && $0 < 0x80 }
                            #expect(isPlain == plain, "length \(length), \(special), start \(start)")
                            if isPlain { #expect(line.isCleanText) }
                        }
                    }
                }
            }
        }
        let unfinished = Array(String(repeating: "z", count: 21).utf8)
        unfinished.withUnsafeBufferPointer { buffer in
            let (end, isPlain) = ParsedChunk.lineEnd(buffer.baseAddress!, from: 0, to: buffer.count)
            #expect(end == buffer.count && isPlain)
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
