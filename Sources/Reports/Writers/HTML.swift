/// A fragment of HTML in which text is escaped unless it is marked as markup.
///
/// The literal parts of an `HTML` literal are markup, written in the source. A `String`
/// interpolated into it is text: its `&`, `<`, `>`, `"` and `'` are escaped, so that it can
/// stand in an element or in a quoted attribute. Another `HTML` is inserted as it is, and an
/// `Int` as its digits. Any other value does not compile: format it into a `String` first.
///
/// ```swift
/// let cell: HTML = "<td data-dept=\"\(code)\">\(data: name)</td>"
/// ```
///
/// Markup built at run time from what the program itself wrote, never from data, is marked
/// with `HTML(raw:)`.
public struct HTML: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The fragment's markup, ready to write out.
    public private(set) var markup: String

    /// The empty fragment.
    public init() { markup = "" }

    /// Trusted markup, written out as it is.
    ///
    /// - Parameter markup: markup the program wrote itself; never text from a log, the roster,
    ///   the policy or a user.
    public init(raw markup: String) { self.markup = markup }

    /// Text, escaped.
    public init(text: String) { markup = HTML.escape(text) }

    public init(stringLiteral value: String) { markup = value }

    public init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }

    public var description: String { markup }

    /// Data as isolated, escaped text: in `<bdi>`, so that right-to-left or invisible characters
    /// cannot reorder the text around it.
    public static func data(_ text: String) -> HTML { HTML(raw: "<bdi>" + escape(text) + "</bdi>") }

    /// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped, byte by byte: a quote with a combining
    /// mark after it is one `Character` in Swift but still ends an attribute for a browser.
    /// Text with none of them (most names and addresses) is returned as it is.
    public static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { escaped($0) != nil }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if let entity = escaped(byte) { result.append(contentsOf: entity.utf8) } else { result.append(byte) }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The entity of a byte that must be escaped; nil for any other. UTF-8 never puts an ASCII
    /// byte inside another character's bytes.
    private static func escaped(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(raw: lhs.markup + rhs.markup) }

    public static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    /// The parts of an `HTML` literal: literal markup, escaped text, and fragments.
    public struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { markup += literal }

        /// Text, escaped.
        public mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }

        /// Data as isolated, escaped text (`HTML.data(_:)`).
        public mutating func appendInterpolation(data text: String) { markup += HTML.data(text).markup }

        /// A fragment, as it is.
        public mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        /// A number, as its digits.
        public mutating func appendInterpolation(_ number: Int) { markup += String(number) }
    }
}

extension Sequence where Element == HTML {
    /// The fragments one after the other, `separator` between each two.
    public func joined(separator: HTML = HTML()) -> HTML {
        var result = HTML()
        for (index, fragment) in enumerated() {
            if index > 0 { result += separator }
            result += fragment
        }
        return result
    }
}
