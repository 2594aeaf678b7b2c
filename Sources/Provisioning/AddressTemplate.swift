public import Census

/// A naming rule for official addresses, such as `{given}{initials}` (Nguyễn Văn An → `annv`),
/// `{family}{middle}{given}` (`nguyenvanan`) or `{given}.{family}` (`an.nguyen`).
///
/// Placeholders: `{given}`, `{family}`, `{middle}` (all middle names run together),
/// `{initials}` (first letters of family and middle names), `{family_initial}`. Anything else is
/// copied as it stands and must be a letter, a digit, `.`, `-` or `_`.
public struct AddressTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case given, family, middle, initials, familyInitial
        case literal(String)
    }

    let pieces: [Piece]
    public let text: String

    public struct InvalidTemplate: Error, Sendable, CustomStringConvertible {
        public let template: String
        public let reason: String
        public var description: String { "naming rule \"\(template)\": \(reason)" }
    }

    public init(_ text: String) throws(InvalidTemplate) {
        self.text = text
        var pieces: [Piece] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else {
                    throw InvalidTemplate(template: text, reason: "a `{` is not closed")
                }
                switch rest[rest.index(after: rest.startIndex)..<close] {
                case "given": pieces.append(.given)
                case "family": pieces.append(.family)
                case "middle": pieces.append(.middle)
                case "initials": pieces.append(.initials)
                case "family_initial": pieces.append(.familyInitial)
                case let other:
                    throw InvalidTemplate(
                        template: text,
                        reason: "unknown placeholder {\(other)}; use {given}, {family}, {middle}, {initials}, "
                            + "{family_initial}")
                }
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: "{") ?? rest.endIndex
                let literal = String(rest[..<end])
                guard literal.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }) else {
                    throw InvalidTemplate(template: text, reason: "\"\(literal)\" may only hold letters, digits, . - _")
                }
                pieces.append(.literal(literal.lowercased()))
                rest = rest[end...]
            }
        }
        guard pieces.contains(.given) || pieces.contains(.family) else {
            throw InvalidTemplate(template: text, reason: "it must use {given} or {family}")
        }
        self.pieces = pieces
    }

    /// The local part for `name`, before any collision suffix.
    public func localPart(for name: VietnameseName) -> String {
        pieces.map { piece -> String in
            switch piece {
            case .given: return name.given.replacingSpaces()
            case .family: return name.family
            case .middle: return name.middle.joined()
            case .initials: return name.initials
            case .familyInitial: return name.family.first.map(String.init) ?? ""
            case .literal(let text): return text
            }
        }.joined()
    }
}

extension String {
    fileprivate func replacingSpaces() -> String { filter { $0 != " " } }
}
