/// A borrowed, read-only view of bytes inside a buffer that outlives it.
///
/// Parsers scan `ByteView`s instead of `String`s so that the per-line work allocates nothing;
/// a `String` is made only for a field that is kept. A view must not escape the buffer it
/// points into: every parser that takes one turns what it keeps into owned values before it
/// returns.
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

    /// Whether the bytes at `offset` spell `literal`.
    @inlinable
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
