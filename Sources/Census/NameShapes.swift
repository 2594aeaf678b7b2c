/// The shapes in which people build a mailbox name from a Vietnamese name, for matching a
/// webmail address's local part to staff: Nguyễn Văn An as `nguyenvanan`, `an.nguyen`,
/// `annv`, `nguyenvanan1985`, `van_an`, …
///
/// A local part is compared after folding (lower case), with `.`, `_` and `-` removed and
/// leading and trailing digits (a birth year, a number) dropped. Keys shorter than four
/// letters are not used: they match too many people.
public enum NameShapes {
    /// The shape names, in order of preference when two shapes of one name give the same key.
    static let shapes: [(name: String, key: @Sendable (VietnameseName) -> String)] = [
        ("family-middle-given", { $0.family + $0.middle.joined() + $0.given }),
        ("given-middle-family", { $0.given + $0.middle.joined() + $0.family }),
        ("given-family", { $0.given + $0.family }),
        ("family-given", { $0.family + $0.given }),
        ("middle-given", { $0.middle.isEmpty ? "" : $0.middle.joined() + $0.given }),
        // Nguyễn Thị Ánh Nguyệt as `anhnguyet`: the last middle name with the given name.
        ("last-middle-given", { $0.middle.count > 1 ? $0.middle.last! + $0.given : "" }),
        ("given-initials", { $0.given + $0.initials }),
        ("initials-given", { $0.initials + $0.given }),
    ]

    static let minimumLength = 4

    /// The keys of a name, each with its shape; a key two shapes share appears once.
    public static func keys(for name: VietnameseName) -> [(key: String, shape: String)] {
        var seen: Set<String> = []
        var result: [(key: String, shape: String)] = []
        for shape in shapes {
            let key = shape.key(name)
            guard key.count >= minimumLength, seen.insert(key).inserted else { continue }
            result.append((key, shape.name))
        }
        return result
    }

    /// The key of an address's local part: `Nguyen.Van_An-1985@gmail.com` → `nguyenvanan`.
    public static func key(ofAddress address: String) -> String {
        var local = address.split(separator: "@", maxSplits: 1).first ?? Substring(address)
        // A `+tag` is not part of the mailbox name.
        if let plus = local.firstIndex(of: "+") { local = local[..<plus] }
        var letters = Substring(local.lowercased().filter { !".-_".contains($0) })
        while let first = letters.first, first.isNumber { letters.removeFirst() }
        while let last = letters.last, last.isNumber { letters.removeLast() }
        return String(letters)
    }
}
