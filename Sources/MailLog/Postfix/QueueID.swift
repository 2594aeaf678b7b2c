/// A Postfix queue id, packed into two words so that it hashes and compares without allocating.
///
/// Short ids are upper-case hex (`0F5383D`), long ids (`enable_long_queue_ids`) use digits and
/// both cases of letters (`4LXz6x2Wj5z9sbL`). Each character takes six bits, so ids of up to 21
/// characters fit; `host` keeps ids from different servers of one log apart.
public struct QueueID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public var host: UInt32

    static let maxLength = 21
    static let minLength = 5

    /// Packs `bytes` when they look like a queue id, else nil.
    public init?(_ bytes: ByteView, host: UInt32 = 0) {
        guard bytes.count >= QueueID.minLength, bytes.count <= QueueID.maxLength else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        if bytes.count <= 10 {
            // Short ids (the default hex ones) fit in the low word: no 128-bit shift.
            for index in 0..<bytes.count {
                guard let code = QueueID.code(of: bytes[index]) else { return nil }
                low = (low << 6) | UInt64(code)
            }
            self.high = 0
            self.low = low
            self.host = host
            return
        }
        for index in 0..<bytes.count {
            guard let code = QueueID.code(of: bytes[index]) else { return nil }
            // Shift the 128-bit value left by six and add the code.
            high = (high << 6) | (low >> 58)
            low = (low << 6) | UInt64(code)
        }
        self.high = high
        self.low = low
        self.host = host
    }

    /// 0-9 → 1...10, A-Z → 11...36, a-z → 37...62; nil for any other byte.
    @inline(__always)
    static func code(of byte: UInt8) -> UInt8? {
        let code = rawCode(of: byte)
        return code == 0 ? nil : code
    }

    /// `code(of:)` without branches, 0 for a byte that is none of them: hex ids mix digits and
    /// letters at random, so a branch on the kind of each character is mispredicted half the time.
    @inline(__always)
    static func rawCode(of byte: UInt8) -> UInt8 {
        let digit = byte &- 0x30
        let upper = byte &- 0x41
        let lower = byte &- 0x61
        return (digit < 10 ? digit &+ 1 : 0) | (upper < 26 ? upper &+ 11 : 0) | (lower < 26 ? lower &+ 37 : 0)
    }

    /// One word into the hasher instead of three: queue ids are looked up for most mail lines.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(high &* 0x9E37_79B9_7F4A_7C15 ^ low ^ UInt64(host) << 32)
    }

    /// The id as Postfix wrote it.
    public var description: String {
        var codes: [UInt8] = []
        var high = self.high
        var low = self.low
        while high != 0 || low != 0 {
            codes.append(UInt8(low & 0x3F))
            low = (low >> 6) | (high << 58)
            high >>= 6
        }
        let characters = codes.reversed().map { code -> Character in
            switch code {
            case 1...10: return Character(Unicode.Scalar(code - 1 + 0x30))
            case 11...36: return Character(Unicode.Scalar(code - 11 + 0x41))
            default: return Character(Unicode.Scalar(code - 37 + 0x61))
            }
        }
        return String(characters)
    }
}
