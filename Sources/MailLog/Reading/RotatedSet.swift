/// Orders log paths so that each rotated set is read oldest first.
///
/// `mail.log.3.gz`, `mail.log.2.gz`, `mail.log.1`, `mail.log` form one set and are read in that
/// order; date-suffixed rotations (`mail.log-20261124.gz`) by date, then the live file. Sets keep
/// the order in which they were first named; a path named twice is read once.
public enum RotatedSet {
    /// The paths in reading order.
    public static func order(_ paths: [String]) -> [String] {
        var groups: [String: [(path: String, rank: Rank)]] = [:]
        var groupOrder: [String] = []
        var seen: Set<String> = []
        for path in paths where seen.insert(path).inserted {
            let (base, rank) = parse(path)
            if groups[base] == nil { groupOrder.append(base) }
            groups[base, default: []].append((path, rank))
        }
        return groupOrder.flatMap { base in
            groups[base]!.sorted { $0.rank < $1.rank }.map(\.path)
        }
    }

    /// Older files sort first: higher rotation numbers, then earlier dates, then the live file.
    struct Rank: Comparable {
        var kind: Int  // 0 numbered, 1 dated, 2 live
        var key: Int
        var name: String

        static func < (lhs: Rank, rhs: Rank) -> Bool {
            (lhs.kind, lhs.key, lhs.name) < (rhs.kind, rhs.key, rhs.name)
        }
    }

    /// The set's base path and the file's place in it.
    static func parse(_ path: String) -> (String, Rank) {
        var stem = Substring(path)
        if stem.hasSuffix(".gz") { stem = stem.dropLast(3) }
        if let dot = stem.lastIndex(of: "."), let number = Int(stem[stem.index(after: dot)...]), number >= 0,
            stem[stem.index(after: dot)...].allSatisfy(\.isNumber)
        {
            return (String(stem[..<dot]), Rank(kind: 0, key: -number, name: path))
        }
        if let dash = stem.lastIndex(of: "-") {
            let suffix = stem[stem.index(after: dash)...]
            if suffix.count == 8 || suffix.count == 10, suffix.allSatisfy(\.isNumber), let date = Int(suffix) {
                return (String(stem[..<dash]), Rank(kind: 1, key: date, name: path))
            }
        }
        return (String(stem), Rank(kind: 2, key: 0, name: path))
    }

    /// Whether the file is a rotated (finished) one, whose last line may lack its newline.
    public static func isRotated(_ path: String) -> Bool {
        path.hasSuffix(".gz") || parse(path).1.kind != 2
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension RotatedSet {
    /// The files a shell pattern (`/var/log/mail.log*`) names, sorted; a path without
    /// wildcards stands for itself, whether or not it exists (reading it says if not).
    public static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }.sorted()
    }
}
