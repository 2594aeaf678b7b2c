import Foundation
import Testing

@testable import Basics

@Suite("Folding names")
struct NameFoldingTests {
    /// Every scalar of the Latin blocks, alone and beside each other (pairs of a sample), and
    /// names in NFC and NFD.
    static let latin: [Unicode.Scalar] = NameFolding.latinBlocks.joined().compactMap(Unicode.Scalar.init)

    @Test("the Latin table holds each letter of its blocks, none a combining mark, each NFC as it is")
    func latinTable() {
        #expect(Self.latin.count == 0x190 + 0x100)
        #expect(NameFolding.latinDecomposition("a") == nil)
        #expect(NameFolding.latinDecomposition("\u{0301}") == nil)
        #expect(NameFolding.latinDecomposition("\u{212B}") == nil)
        for scalar in Self.latin {
            #expect(scalar.properties.canonicalCombiningClass == .notReordered, "U+\(scalar.value)")
            let text = String(scalar)
            #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar]))
            #expect(
                NameFolding.latinDecomposition(scalar)
                    == Array(text.decomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    @Test("composed text is Foundation's NFC, scalar by scalar, with and without the table's letters")
    func composedIsNFC() {
        var samples = [
            "Nguyễn Văn An", "Nguyễn Văn An".decomposedStringWithCanonicalMapping, "Ǎ\u{0301}", "A\u{030A}",
            "\u{212B}ngström", "e\u{0301}e\u{0302}\u{0301}", "Đỗ Thị Hồng", "한국", "\u{1100}\u{1161}", "H'Hen",
        ]
        for (index, scalar) in Self.latin.enumerated() where index % 7 == 0 {
            samples.append(String(scalar) + String(Self.latin[(index * 31) % Self.latin.count]) + "\u{0323}")
            samples.append(String(Self.latin[(index * 13) % Self.latin.count]) + String(scalar))
        }
        for text in samples {
            #expect(
                NameFolding.composed(text).unicodeScalars.elementsEqual(
                    text.precomposedStringWithCanonicalMapping.unicodeScalars),
                "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("NFC and NFD fold alike, marks dropped, đ as d, spaces and hyphens as one space")
    func folding() {
        let name = "  Nguyễn-Thị   Ánh\u{00A0}Đào 2 "
        #expect(NameFolding.fold(name) == "nguyen thi anh dao 2")
        #expect(NameFolding.fold(name.decomposedStringWithCanonicalMapping) == "nguyen thi anh dao 2")
        #expect(NameFolding.fold("Ǆ Ω 中 İ") == "i")
        #expect(NameFolding.fold("Nguy???n V??n", keeping: ["?"]) == "nguy???n v??n")
        #expect(NameFolding.fold("Nguy???n V??n") == "nguyn vn")
    }

    @Test("spaced text: a run of spaces is one space, none at either end")
    func spacedText() {
        var text = SpacedText()
        text.space()
        for scalar in "ab".unicodeScalars { text.append(scalar) }
        text.space()
        text.space()
        text.append("c")
        text.space()
        #expect(text.text == "ab c")
        #expect(SpacedText().text.isEmpty)
    }

    @Test("a name as Postfix logs it without SMTPUTF8: each byte of a letter outside ASCII a '?'")
    func mangled() {
        #expect(NameFolding.asMangled(" Nguyễn  Văn An ") == "nguy???n v??n an")
        #expect(NameFolding.asMangled("Nguyễn".decomposedStringWithCanonicalMapping) == "nguy???n")
    }
}
