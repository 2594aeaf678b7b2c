/// UTF-8 text built piece by piece in a byte array: where output has millions of small pieces
/// (a big store's activity), appending each to a `String` costs more than the piece itself.
struct ByteText: Sendable {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ number: Int) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var magnitude = number.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// `string` as a JSON string literal (`JSONWriter.quoted`).
    mutating func appendQuoted(_ string: String) {
        var string = string
        let plain = string.withUTF8 { utf8 in
            guard utf8.allSatisfy(JSONWriter.isPlain) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !plain { append(JSONWriter.quoted(string)) }
    }

    /// The text of `other`.
    mutating func append(_ other: ByteText) {
        bytes.append(contentsOf: other.bytes)
    }

    /// One ASCII character, such as `,`.
    mutating func append(ascii: Unicode.Scalar) {
        bytes.append(UInt8(ascii: ascii))
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
