/// The shapes in which people build a mailbox name from a Vietnamese name, for matching a
/// webmail address's local part to staff: Nguyễn Văn An as `nguyenvanan`, `an.nguyen`,
/// `annv`, `nguyenvanan1985`, `van_an`, `an.nguyenvan`, `nguyenan.nd`, …
///
/// A local part is compared after folding (lower case) with its separators (`.`, `_`, `-`) and
/// its digits (a birth year, a birthday, a number) dropped wherever they stand; a place code
/// (`nd`, `hn`, `hcm`, the province's own, a unit's code or list name) before or after the name,
/// or any word of up to three letters set apart from it, is dropped too when the whole does not
/// match. Keys shorter than four letters are not used: they match too many people.
public enum NameShapes {
    /// The shape names, in order of preference when two shapes of one name give the same key.
    static let shapes: [(name: String, key: @Sendable (VietnameseName) -> String)] = [
        ("family-middle-given", { $0.family + $0.middle.joined() + $0.given }),
        ("given-middle-family", { $0.given + $0.middle.joined() + $0.family }),
        // Nguyễn Thu Hương as `huong.nguyenthu`: the given name, then family and middle.
        ("given-family-middle", { $0.middle.isEmpty ? "" : $0.given + $0.family + $0.middle.joined() }),
        ("given-family", { $0.given + $0.family }),
        ("family-given", { $0.family + $0.given }),
        ("middle-given", { $0.middle.isEmpty ? "" : $0.middle.joined() + $0.given }),
        // Nguyễn Thị Ánh Nguyệt as `anhnguyet`: the last middle name with the given name.
        ("last-middle-given", { $0.middle.count > 1 ? $0.middle.last! + $0.given : "" }),
        ("given-initials", { $0.given + $0.initials }),
        ("initials-given", { $0.initials + $0.given }),
    ]

    static let minimumLength = 4

    /// Place codes people put before or after their name (`nguyenquan.nd`, `hn.tuan`): the
    /// largest cities' and the northern provinces' usual abbreviations. A policy adds its own.
    public static let defaultPlaceCodes = [
        "nd", "hn", "hcm", "sg", "hp", "dn", "tb", "nb", "hy", "hd", "bn", "th", "vn",
    ]

    /// The keys of a name, each with its shape; a key two shapes share appears once.
    public static func keys(for name: VietnameseName) -> [(key: String, shape: String)] {
        var result: [(key: String, shape: String)] = []
        for shape in shapes {
            let key = shape.key(name)
            // A folded name is ASCII: its length in bytes is its length in letters.
            guard key.utf8.count >= minimumLength, !result.contains(where: { $0.key == key }) else { continue }
            result.append((key, shape.name))
        }
        return result
    }

    /// The key of an address's local part: `Nguyen.Van_An-1985@gmail.com` → `nguyenvanan`.
    public static func key(ofAddress address: String) -> String {
        segments(ofAddress: address).joined()
    }

    /// The keys an address's local part may stand for, best first: the whole
    /// (`nguyenquan.nd` → `nguyenquannd`), then without a place code before or after the name
    /// (`nguyenquan`), whether a separator or nothing stands between them, or without a short
    /// word set apart before or after it (`quanle.it` → `quanle`).
    public static func keys(ofAddress address: String, placeCodes: Set<String>) -> [String] {
        keys(ofAddress: address, placeCodes: placeCodes, sortedCodes: placeCodes.sorted())
    }

    /// `keys(ofAddress:placeCodes:)` with the place codes already sorted, for many addresses.
    static func keys(ofAddress address: String, placeCodes: Set<String>, sortedCodes: [String]) -> [String] {
        let segments = segments(ofAddress: address)
        let whole = segments.joined()
        var keys = [whole]
        func add(_ key: some StringProtocol) {
            let key = String(key)
            if key.count >= minimumLength && !keys.contains(key) { keys.append(key) }
        }
        // Set apart by a separator or digits, a place code or any word of up to three letters
        // (a unit's initials: `hongla.mt`, `quanle.it`) is not part of the name.
        func droppable(_ segment: String) -> Bool { placeCodes.contains(segment) || segment.count <= 3 }
        if segments.count > 1 {
            if droppable(segments.last!) { add(segments.dropLast().joined()) }
            if droppable(segments.first!) { add(segments.dropFirst().joined()) }
        }
        let length = whole.count
        for code in sortedCodes where length > code.count {
            if whole.hasSuffix(code) { add(whole.dropLast(code.count)) }
            if whole.hasPrefix(code) { add(whole.dropFirst(code.count)) }
        }
        return keys
    }

    /// The runs of letters of a local part, lower case: `Nguyen.Van_An-1985+work` → `nguyen`,
    /// `van`, `an` (a `+tag` is not part of the mailbox name).
    static func segments(ofAddress address: String) -> [String] {
        var local = address.split(separator: "@", maxSplits: 1).first ?? Substring(address)
        if let plus = local.firstIndex(of: "+") { local = local[..<plus] }
        return local.lowercased().split { !($0.isASCII && $0.isLetter) }.map(String.init)
    }
}
