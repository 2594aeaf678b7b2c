import Census
import Foundation
import Testing

@Suite("Vietnamese names")
struct VietnameseNameTests {
    @Test(
        "names fold to plain letters",
        arguments: [
            ("Nguyễn Văn An", "nguyen van an"),
            ("Đặng Thị Đào", "dang thi dao"),
            ("Nguyễn Thị Ánh Nguyệt", "nguyen thi anh nguyet"),
            ("Trương Thị Hường", "truong thi huong"),  // ư, ơ with stacked tones
            ("Phạm Quốc Cường", "pham quoc cuong"),
            ("Vũ Thị Thu Hằng", "vu thi thu hang"),
            ("Lê Văn Thưởng", "le van thuong"),
            ("Hồ Ngọc Ẩn", "ho ngoc an"),
            ("  nguyễn   VĂN   an  ", "nguyen van an"),
            ("Bùi Thị Diệu-Linh", "bui thi dieu linh"),
        ])
    func fold(_ name: String, _ folded: String) {
        #expect(VietnameseName.fold(name) == folded)
        // NFD input (as some systems export it) folds the same.
        #expect(VietnameseName.fold(name.decomposedStringWithCanonicalMapping) == folded)
    }

    @Test("parts and initials")
    func parts() throws {
        let name = try #require(VietnameseName("Nguyễn Thị Ánh Nguyệt"))
        #expect(name.family == "nguyen")
        #expect(name.middle == ["thi", "anh"])
        #expect(name.given == "nguyet")
        #expect(name.initials == "nta")
        #expect(VietnameseName("Lan")?.given == "lan")
        #expect(VietnameseName("Lan")?.family == "")
        #expect(VietnameseName("  ") == nil)
    }
}
