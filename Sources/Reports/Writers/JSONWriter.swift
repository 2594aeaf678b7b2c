import Foundation

/// Writes JSON text with keys in the order given, so that output is stable and diffable.
public struct JSONWriter: Sendable {
    private var output = ByteText(capacity: 4096)
    /// Whether the next value of the innermost object or array follows another.
    private var needsComma = false

    public init() {}

    /// The JSON written so far.
    public var text: String { output.text }

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func value(_ key: String? = nil, _ string: String) {
        separator(key)
        output.appendQuoted(string)
    }

    public mutating func value(_ key: String? = nil, _ number: Int) {
        separator(key)
        output.append(number)
    }

    public mutating func value(_ key: String? = nil, _ flag: Bool) {
        separator(key)
        output.append(flag ? "true" : "false")
    }

    /// A number with at most one digit after the point (a trailing zero dropped), or `null`
    /// for nil.
    public mutating func value(_ key: String? = nil, _ number: Double?) {
        separator(key)
        output.append(number.map { JSONWriter.decimal($0, decimals: 1) } ?? "null")
    }

    /// A string, or `null` for nil.
    public mutating func value(_ key: String? = nil, _ string: String?) {
        separator(key)
        if let string { output.appendQuoted(string) } else { output.append("null") }
    }

    /// What another writer wrote (a whole object or array), as the next value.
    public mutating func value(_ key: String? = nil, _ json: JSONWriter) {
        separator(key)
        output.append(json.output)
    }

    public mutating func null(_ key: String? = nil) {
        separator(key)
        output.append("null")
    }

    /// `number` rounded to `decimals` places, as JSON writes it: `23.5`, `40`, `-3.2`.
    public static func decimal(_ number: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (number * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.\(decimals)f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        separator(key)
        output.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: String) {
        output.append(bracket)
        needsComma = true
    }

    private mutating func separator(_ key: String?) {
        if needsComma {
            output.append(ascii: ",")
            output.append(ascii: " ")
        }
        needsComma = true
        if let key {
            output.appendQuoted(key)
            output.append(ascii: ":")
            output.append(ascii: " ")
        }
    }

    /// `string` as a JSON string literal; everything outside ASCII printable is kept as UTF-8
    /// except control characters, which are escaped.
    public static func quoted(_ string: String) -> String {
        if isPlain(string) { return "\"" + string + "\"" }
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Whether `string` is printable ASCII with nothing to escape, as most strings are (keys,
    /// addresses, times): quoted as it is.
    static func isPlain(_ string: String) -> Bool {
        string.utf8.allSatisfy(isPlain)
    }

    /// Whether `byte` is printable ASCII other than the quote and the backslash.
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C
    }
}
