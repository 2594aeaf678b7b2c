import Basics
import MailLog
import Testing

@Suite("From header display names (header_checks INFO)")
struct FromHeaderTests {
    enum Expected: Sendable, Equatable {
        /// `.mail(.displayName(…))` with this address and folded name.
        case name(String, String)
        /// `.mail(nil)`: a line with nothing to keep.
        case nothing
        case unreadable(HeaderProblem)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let line: String
        let expected: Expected
        var testDescription: String { label }
    }

    static let prefix = "Dec  2 10:00:01 mail postfix/cleanup[2345]: 4B1C2D3E4F: info: header "
    static let tail =
        " from mail-ed1.google.com[209.85.1.1]; from=<chuotnhat_1702@gmail.com> to=<quanlc@namdinh.gov.vn> proto=ESMTP helo=<mail-ed1.google.com>"
    static let address = "chuotnhat_1702@gmail.com"

    static func header(_ value: String, header: String = "From: ") -> String { prefix + header + value + tail }

    static func ok(_ label: String, _ value: String, _ name: String) -> Case {
        Case(label: label, line: header(value), expected: .name(address, name))
    }

    /// A header Postfix cut at 200 bytes inside the address: `>` and part of the address lost.
    static func cutInAddress(envelope: String) -> String {
        let name =
            "Phong Tai chinh Ke hoach huyen Nghia Hung tinh Nam Dinh van thu so mot nghin "
            + "chin tram chin muoi chin nam hai"
        let long = "phongtaichinhkehoach.nghiahung.namdinh.vanthu.so.mot.hai.ba.bon.nam.sau.bay.tam@gmail.com"
        let content = String("From: \"\(name)\" <\(long)>".utf8.prefix(200))!
        return prefix + content + " from mail-ed1.google.com[209.85.1.1]; from=<\(envelope)> to=<quanlc@namdinh.gov.vn>"
    }

    static let cases: [Case] = [
        ok("quoted UTF-8", "\"Lê Công Quân\" <chuotnhat_1702@gmail.com>", "le cong quan"),
        // smtputf8_enable = no: Postfix logs each byte of UTF-8 as `?`; the `?` are kept.
        ok("UTF-8 logged as ?", "\"L?? C??ng Qu??n\" <chuotnhat_1702@gmail.com>", "l?? c??ng qu??n"),
        ok("UTF-8 logged as ?, unquoted", "Nguy???n V??n Th?? <chuotnhat_1702@gmail.com>", "nguy???n v??n th??"),
        ok(
            "B-encoded, address in capitals", "=?UTF-8?B?TMOqIEPDtG5nIFF1w6Ju?= <Chuotnhat_1702@Gmail.COM>",
            "le cong quan"),
        ok("Q-encoded", "=?utf-8?Q?L=C3=AA_C=C3=B4ng_Qu=C3=A2n?= <chuotnhat_1702@gmail.com>", "le cong quan"),
        ok(
            "adjacent encoded words",
            "=?UTF-8?B?TMOq?= =?UTF-8?B?IEPDtG5n?=  =?utf-8?q?_Qu=C3=A2n?= <chuotnhat_1702@gmail.com>",
            "le cong quan"),
        ok(
            "encoded words mixed with text",
            "Phòng =?utf-8?Q?T=C3=A0i_ch=C3=ADnh?= - Sở <chuotnhat_1702@gmail.com>", "phong tai chinh so"),
        ok(
            "encoded word inside quotes", "\"=?UTF-8?B?TMOqIEPDtG5nIFF1w6Ju?=\" <chuotnhat_1702@gmail.com>",
            "le cong quan"),
        ok(
            "B with padding", "=?utf-8?b?Tmd1eeG7hW4gVGjhu4sgVGh1IEjDoA==?= <chuotnhat_1702@gmail.com>",
            "nguyen thi thu ha"),
        ok("ISO-8859-1", "=?iso-8859-1?Q?Jos=E9_Garc=EDa?= <chuotnhat_1702@gmail.com>", "jose garcia"),
        ok(
            "windows-1258", "=?windows-1258?Q?=D0=E3=F2ng_Thi=F2_H=E3=CCng?= <chuotnhat_1702@gmail.com>",
            "dang thi hang"),
        ok("charset with a language", "=?UTF-8*vi?Q?L=C3=AA?= <chuotnhat_1702@gmail.com>", "le"),
        ok("escaped quotes", #""Nguyễn \"Bảo\" An" <chuotnhat_1702@gmail.com>"#, "nguyen bao an"),
        ok("unquoted", "Le Cong Quan <chuotnhat_1702@gmail.com>", "le cong quan"),
        ok("raw UTF-8, unquoted", "Trần Thị Bích <chuotnhat_1702@gmail.com>", "tran thi bich"),
        ok("old form with a comment", "chuotnhat_1702@gmail.com (Le Cong Quan)", "le cong quan"),
        ok("a comment after the address is no name", "\"Lê Quân\" <chuotnhat_1702@gmail.com> (via web)", "le quan"),
        ok("folded header, Postfix's ?", "\"Le Cong Quan\"? <chuotnhat_1702@gmail.com>", "le cong quan"),
        ok(
            "folded header, rsyslog's #012", "=?UTF-8?B?TMOq?=#012#011=?UTF-8?B?IEPDtG5n?= <chuotnhat_1702@gmail.com>",
            "le cong"),
        Case(
            label: "from in lower case", line: header("\"Lê Công Quân\" <chuotnhat_1702@gmail.com>", header: "from: "),
            expected: .name(address, "le cong quan")),
        Case(
            label: "FROM in capitals", line: header("\"Lê Quân\" <chuotnhat_1702@gmail.com>", header: "FROM: "),
            expected: .name(address, "le quan")),
        Case(
            label: "ISO 8601 framing",
            line: "2026-12-02T10:00:01.123456+07:00 mail postfix/cleanup[2345]: 4B1C2D3E4F: info: header From: "
                + "\"Lê Công Quân\" <chuotnhat_1702@gmail.com>" + tail,
            expected: .name(address, "le cong quan")),
        Case(
            label: "RFC 5424 framing, no service",
            line: "<22>1 2026-12-02T03:00:01.5+00:00 mail postfix 2345 - -  4B1C2D3E4F: info: header From: "
                + "=?UTF-8?B?TMOqIEPDtG5nIFF1w6Ju?= <chuotnhat_1702@gmail.com>" + tail,
            expected: .name(address, "le cong quan")),
        Case(
            label: "locally submitted",
            line: prefix + "From: Le Cong Quan <root@mail.namdinh.gov.vn> from local; "
                + "from=<root@mail.namdinh.gov.vn> to=<quanlc@namdinh.gov.vn>",
            expected: .name("root@mail.namdinh.gov.vn", "le cong quan")),
        Case(
            label: "Postfix's cut inside the address, completed from the envelope",
            line: cutInAddress(
                envelope: "phongtaichinhkehoach.nghiahung.namdinh.vanthu.so.mot.hai.ba.bon.nam.sau.bay.tam@gmail.com"),
            expected: .name(
                "phongtaichinhkehoach.nghiahung.namdinh.vanthu.so.mot.hai.ba.bon.nam.sau.bay.tam@gmail.com",
                "phong tai chinh ke hoach huyen nghia hung tinh nam dinh van thu so mot nghin chin tram chin muoi chin nam hai"
            )),
        Case(
            label: "Postfix's cut inside the address, another envelope sender",
            line: cutInAddress(envelope: "bounces@list.example.org"), expected: .unreadable(.truncated)),
        Case(
            label: "Postfix's cut inside the name",
            line: prefix + String(("From: \"" + String(repeating: "Nguyen Van ", count: 30)).utf8.prefix(200))! + tail,
            expected: .unreadable(.truncated)),
        Case(label: "a bare address", line: header("chuotnhat_1702@gmail.com"), expected: .nothing),
        Case(label: "an address in brackets", line: header("<chuotnhat_1702@gmail.com>"), expected: .nothing),
        Case(label: "a name that is an address", line: header("\"x@gmail.com\" <x@gmail.com>"), expected: .nothing),
        Case(
            label: "a bounce notification",
            line: prefix + "From: \"Mail Delivery System\" <MAILER-DAEMON@mail.namdinh.gov.vn> from local; from=<> "
                + "to=<annv@namdinh.gov.vn>", expected: .nothing),
        Case(
            label: "another header", line: header("=?utf-8?Q?Gr=C3=BC=C3=9Fe?=", header: "Subject: "),
            expected: .nothing),
        Case(
            label: "Resent-From", line: header("\"Lê Quân\" <x@gmail.com>", header: "Resent-From: "), expected: .nothing
        ),
        Case(
            label: "a warning action",
            line:
                "Dec  2 10:00:01 mail postfix/cleanup[2345]: 4B1C2D3E4F: warning: header From: \"Lê Quân\" <x@gmail.com>"
                + tail, expected: .nothing),
        Case(
            label: "smtp's header checks",
            line: "Dec  2 10:00:01 mail postfix/smtp[2345]: 4B1C2D3E4F: info: header From: \"Lê Quân\" <x@gmail.com>"
                + tail, expected: .nothing),
        Case(
            label: "unknown charset", line: header("=?koi8-r?B?8NLJ18XU?= <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.undecodable)),
        Case(
            label: "bad base64", line: header("=?utf-8?B?***?= <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.undecodable)),
        Case(
            label: "decoded bytes not UTF-8", line: header("=?utf-8?Q?=FF=FEab?= <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.undecodable)),
        Case(
            label: "an encoded word left open", line: header("=?utf-8?Q?L=C3=AA <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.undecodable)),
        Case(
            label: "a name of 129 characters",
            line: header("\"" + String(repeating: "a", count: 129) + "\" <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.tooLong)),
        Case(
            label: "a name of 10,000 characters",
            line: header(String(repeating: "Quân ", count: 2000) + "<chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.tooLong)),
        Case(label: "no address", line: header("\"Lê Công Quân\""), expected: .unreadable(.noAddress)),
        Case(label: "an empty address", line: header("Le Cong Quan <>"), expected: .unreadable(.noAddress)),
        Case(
            label: "a group with no address", line: header("undisclosed-recipients:;"),
            expected: .unreadable(.noAddress)),
        Case(
            label: "a name in Chinese", line: header("\"张伟\" <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.foldsToNothing)),
        Case(
            label: "only punctuation", line: header("\"...\" <chuotnhat_1702@gmail.com>"),
            expected: .unreadable(.foldsToNothing)),
    ]

    @Test("reads every form of the From header", arguments: cases)
    func parses(_ sample: Case) {
        sample.line.withByteView { line in
            let verdict = LineClassifier.classify(line)
            switch sample.expected {
            case .name(let address, let name):
                guard case .mail(let timed?) = verdict, case .displayName(let id, let found, let folded) = timed.event
                else {
                    Issue.record("expected a display name, got \(verdict)")
                    return
                }
                #expect(id.description == "4B1C2D3E4F")
                #expect(found == address)
                #expect(folded == name)
            case .nothing:
                #expect(verdict == .mail(nil))
            case .unreadable(let problem):
                #expect(verdict == .unreadableHeader(problem))
            }
        }
    }

    @Test("folding strips tones and marks, maps đ, lowers case and keeps single spaces")
    func folding() {
        #expect(NameFolding.fold("Lê Công Quân") == "le cong quan")
        #expect(NameFolding.fold("  ĐẶNG   thị-Hằng ") == "dang thi hang")
        // NFD input folds as NFC does.
        #expect(NameFolding.fold("Nguye\u{0302}\u{0303}n") == "nguyen")
        #expect(NameFolding.fold("张伟").isEmpty)
        #expect(NameFolding.asMangled("Lê Công  Quân") == "l?? c??ng qu??n")
        #expect(NameFolding.asMangled("Nguyễn Văn An") == "nguy???n v??n an")
    }
}
