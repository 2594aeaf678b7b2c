#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts a log file's text into chunks of whole lines.
///
/// Each chunk is read straight into its own buffer, after the unfinished line the last one left.
/// A line longer than `maxLineLength` that spans reads is dropped and counted without being held
/// in memory; an unfinished last line is left for the next run, unless the file is a finished
/// rotation.
struct LineReader {
    static let maxLineLength = 1 << 20

    let file: LogFile
    let chunkSize: Int
    /// A rotated file's last line counts even without its newline.
    let isFinished: Bool
    private(set) var offset: Int64
    private var carry: [UInt8] = []
    private var discarding = false
    private var atEnd = false
    /// Bytes of an unfinished last line left unread at the end.
    private(set) var unfinishedTail = 0

    init(file: LogFile, isFinished: Bool, offset: Int64, chunkSize: Int) {
        self.file = file
        self.isFinished = isFinished
        self.offset = offset
        self.chunkSize = chunkSize
    }

    /// The next chunk, or nil at the end of the file.
    mutating func next() throws(MailLogError) -> LineChunk? {
        var overlong = 0
        while !atEnd {
            var buffer = try fill()
            if buffer.count == carry.count {
                atEnd = true
                break
            }
            carry = []
            if discarding {
                // Still inside an over-long line: drop up to its newline.
                guard let newline = buffer.firstIndex(of: 0x0A) else {
                    offset += Int64(buffer.count)
                    continue
                }
                offset += Int64(newline + 1)
                buffer.removeFirst(newline + 1)
                discarding = false
            }
            guard let last = lastNewline(buffer) else {
                if buffer.count > LineReader.maxLineLength {
                    overlong += 1
                    offset += Int64(buffer.count)
                    discarding = true
                } else {
                    carry = buffer
                }
                continue
            }
            carry = Array(buffer[(last + 1)...])
            buffer.removeSubrange((last + 1)...)
            offset += Int64(buffer.count)
            return LineChunk(bytes: buffer, endOffset: offset, overlongBefore: overlong)
        }
        // The end: an unfinished last line counts only in a finished file.
        if !carry.isEmpty && !discarding {
            if isFinished {
                let bytes = carry
                carry = []
                offset += Int64(bytes.count)
                return LineChunk(bytes: bytes, endOffset: offset, overlongBefore: overlong)
            }
            unfinishedTail = carry.count
        }
        return overlong == 0 ? nil : LineChunk(bytes: [], endOffset: offset, overlongBefore: overlong)
    }

    /// A new buffer: the carried line, then up to `chunkSize` bytes read.
    private func fill() throws(MailLogError) -> [UInt8] {
        var failure: MailLogError?
        let buffer = [UInt8](unsafeUninitializedCapacity: carry.count + chunkSize) { storage, initialized in
            let base = storage.baseAddress!
            carry.withUnsafeBufferPointer { if let old = $0.baseAddress { base.update(from: old, count: $0.count) } }
            let (count, error) = file.readCatching(to: base + carry.count, limit: chunkSize)
            initialized = carry.count + count
            failure = error
        }
        if let failure { throw failure }
        return buffer
    }

    /// Scans back from the end: a newline is rarely more than a line's length away.
    private func lastNewline(_ buffer: [UInt8]) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            var index = bytes.count - 1
            while index >= 0 {
                if bytes[index] == 0x0A { return index }
                index -= 1
            }
            return nil
        }
    }
}
