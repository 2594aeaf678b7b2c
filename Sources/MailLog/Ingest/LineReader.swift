/// Cuts a log file's text into chunks of whole lines.
///
/// A line longer than `maxLineLength` is dropped and reported by number (one that spans reads
/// without being held in memory); an unfinished last line is left for the next run, unless the file is a finished
/// rotation.
struct LineReader {
    static let maxLineLength = 1 << 20

    let file: LogFile
    let chunkSize: Int
    /// A rotated file's last line counts even without its newline.
    let isFinished: Bool
    private(set) var offset: Int64
    private(set) var nextLine: Int
    private var carry: [UInt8] = []
    private var discarding = false
    private var atEnd = false
    /// Bytes of an unfinished last line left unread at the end.
    private(set) var unfinishedTail = 0

    init(file: LogFile, isFinished: Bool, offset: Int64, nextLine: Int, chunkSize: Int) {
        self.file = file
        self.isFinished = isFinished
        self.offset = offset
        self.nextLine = nextLine
        self.chunkSize = chunkSize
    }

    /// The next chunk, or nil at the end of the file.
    mutating func next() throws(MailLogError) -> LineChunk? {
        var overlong: [Int] = []
        while !atEnd {
            let got = try file.read(into: &carry, limit: chunkSize)
            if got == 0 {
                atEnd = true
                break
            }
            if discarding {
                // Still inside an over-long line: drop up to its newline.
                guard let newline = carry.firstIndex(of: 0x0A) else {
                    offset += Int64(carry.count)
                    carry.removeAll(keepingCapacity: true)
                    continue
                }
                offset += Int64(newline + 1)
                carry.removeFirst(newline + 1)
                discarding = false
            }
            guard let last = carry.lastIndex(of: 0x0A) else {
                if carry.count > LineReader.maxLineLength {
                    overlong.append(nextLine)
                    nextLine += 1
                    offset += Int64(carry.count)
                    carry.removeAll(keepingCapacity: true)
                    discarding = true
                }
                continue
            }
            let bytes = Array(carry[0...last])
            carry.removeFirst(last + 1)
            return makeChunk(bytes, overlong: overlong)
        }
        // The end: an unfinished last line counts only in a finished file.
        if !carry.isEmpty && !discarding {
            if isFinished {
                let bytes = carry
                carry.removeAll()
                return makeChunk(bytes, overlong: overlong)
            }
            unfinishedTail = carry.count
        }
        if discarding && isFinished { discarding = false }
        return overlong.isEmpty ? nil : makeChunk([], overlong: overlong)
    }

    private mutating func makeChunk(_ bytes: [UInt8], overlong: [Int]) -> LineChunk {
        let first = nextLine
        offset += Int64(bytes.count)
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer where byte == 0x0A { count += 1 }
        }
        if let last = bytes.last, last != 0x0A { count += 1 }
        nextLine += count
        return LineChunk(bytes: bytes, firstLine: first, endOffset: offset, overlongLines: overlong)
    }
}
