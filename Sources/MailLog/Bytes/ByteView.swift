/// A borrowed, read-only view of bytes inside a buffer that outlives it.
///
/// Parsers scan `ByteView`s instead of `String`s so that the per-line work allocates nothing;
/// a `String` is made only for a field that is kept. A view must not escape the buffer it
/// points into: every parser that takes one turns what it keeps into owned values before it
/// returns.
///
/// `@unchecked Sendable`: the bytes are only read, never written, through a view, and the
/// buffer is owned by the reader that outlives every parse of it.
public struct ByteView: @unchecked Sendable {
    public let base: UnsafePointer<UInt8>
    public let count: Int

    @inlinable
    public init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable
    public subscript(_ index: Int) -> UInt8 { base[index] }

    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// The bytes from `range`, as a view of the same buffer.
    @inlinable
    public subscript(_ range: Range<Int>) -> ByteView {
        ByteView(base: base + range.lowerBound, count: range.count)
    }

    /// The bytes from `start` to the end.
    @inlinable
    public func suffix(from start: Int) -> ByteView {
        ByteView(base: base + start, count: Swift.max(0, count - start))
    }

    /// The first index at or after `start` that holds `byte`.
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
        var index = start
        while index < count {
            if base[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// The first offset at or after `start` that holds `,` or a space; `count` when none does.
    /// Eight bytes a step: a byte is one of the two when its XOR with it is zero, and the lowest
    /// flagged byte of `(w - 0x01…) & ~w & 0x80…` is always a true zero.
    @inline(__always)
    func firstCommaOrSpace(from start: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(base)
        @inline(__always) func zeroBytes(_ word: UInt64) -> UInt64 {
            (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        }
        while index + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let found = zeroBytes(word ^ 0x2C2C_2C2C_2C2C_2C2C) | zeroBytes(word ^ 0x2020_2020_2020_2020)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: ",") || byte == 0x20 { return index }
            index += 1
        }
        return index
    }

    /// `firstIndex(of:from:)` through memchr: for bytes that may lie far ahead.
    @inline(__always)
    func firstIndexFar(of byte: UInt8, from start: Int) -> Int? {
        guard start < count, let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Whether the bytes at `offset` spell `literal`.
    @inlinable @inline(__always)
    public func matches(_ literal: StaticString, at offset: Int = 0) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard offset >= 0, offset + length <= count else { return false }
        let bytes = literal.utf8Start
        var index = 0
        while index < length {
            if base[offset + index] != bytes[index] { return false }
            index += 1
        }
        return true
    }

    /// The first offset at or after `start` where `literal` begins.
    public func firstRange(of literal: StaticString, from start: Int = 0) -> Range<Int>? {
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return start..<start }
        let first = Int32(literal.utf8Start[0])
        var index = start
        while index + length <= count {
            // memchr finds candidates for the first byte with vector instructions.
            guard let found = memchr(base + index, first, count - length + 1 - index) else { return nil }
            index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if matches(literal, at: index) { return index..<(index + length) }
            index += 1
        }
        return nil
    }

    /// Whether the bytes are valid UTF-8 and hold no NUL, as a log line's text must.
    ///
    /// ASCII, by far the most common, is checked eight bytes at a time; from the first byte
    /// that is not plain ASCII on, byte by byte.
    public var isCleanText: Bool {
        var index = 0
        let raw = UnsafeRawPointer(base)
        // A high bit set, or a zero byte (the classic `(w - 0x01…) & ~w & 0x80…` test).
        @inline(__always) func suspect(_ offset: Int) -> UInt64 {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return (word | ((word &- 0x0101_0101_0101_0101) & ~word)) & 0x8080_8080_8080_8080
        }
        // 32 bytes a step with one branch; the 8-byte loop below finds where a suspect word is.
        while index + 32 <= count {
            if suspect(index) | suspect(index + 8) | suspect(index + 16) | suspect(index + 24) != 0 { break }
            index += 32
        }
        while index + 8 <= count {
            if suspect(index) != 0 { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte != 0 && byte < 0x80 {
                index += 1
                continue
            }
            guard let (_, length) = scalar(at: index), byte != 0 else { return false }
            index += length
        }
        return true
    }

    /// The Unicode scalar whose UTF-8 encoding starts at `index`, and its length in bytes; nil
    /// when the bytes there are not well-formed UTF-8 (overlong forms, surrogates, past U+10FFFF,
    /// cut short).
    public func scalar(at index: Int) -> (UInt32, Int)? {
        let lead = base[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return nil
        }
        guard index + length <= count, base[index + 1] >= low, base[index + 1] <= high else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let byte = base[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, length)
    }

    /// The bytes decoded as UTF-8, invalid sequences repaired with U+FFFD.
    public var string: String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// The bytes decoded as UTF-8 with ASCII letters lowered, as addresses are stored.
    public var lowercasedString: String {
        var hasUpper = false
        for index in 0..<count where base[index] >= 0x41 && base[index] <= 0x5A {
            hasUpper = true
            break
        }
        guard hasUpper else { return string }
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count {
                let byte = base[index]
                buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
            return count
        }
    }

    /// The bytes as a decimal number, or nil when they are not all digits.
    @inlinable
    public var decimalValue: Int? {
        guard count > 0, count <= 18 else { return nil }
        var value = 0
        for index in 0..<count {
            let digit = base[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}

extension ByteView: Equatable {
    public static func == (lhs: ByteView, rhs: ByteView) -> Bool {
        lhs.count == rhs.count && (lhs.base == rhs.base || memcmp(lhs.base, rhs.base, lhs.count) == 0)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// Runs `body` with a view of this string's UTF-8 bytes.
    public func withByteView<Result>(_ body: (ByteView) throws -> Result) rethrows -> Result {
        var copy = self
        return try copy.withUTF8 { buffer in
            try body(ByteView(base: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count))
        }
    }
}
