import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A run of whole lines read from one file.
struct LineChunk: Sendable {
    var bytes: [UInt8]
    /// Offset of the chunk's end in the file's text.
    var endOffset: Int64
    /// Lines longer than the limit, dropped while reading just before this chunk's bytes.
    var overlongBefore = 0
}

/// A chunk's lines turned into events, ready to be correlated in order.
struct ParsedChunk: Sendable {
    var events: [TimedFact] = []
    /// Stamps of framed lines that gave no event, to settle years with: each to be resolved
    /// before the event at index `before`. Only a stamp whose day differs from the stamp before
    /// it is kept, so that there are a few per chunk, not one per line.
    var stamps: [(before: Int, time: LineTime)] = []
    var lines = 0
    var parsed = 0
    var otherPrograms = 0
    var unrecognised = 0
    /// Parsed lines with a From header that could not be read (also among `parsed`).
    var unreadableHeaders = 0
    /// A few unrecognised lines: line number within the chunk (0-based) and a printable excerpt.
    var samples: [(line: Int, excerpt: String)] = []
    /// A few unreadable From headers: line number within the chunk (0-based) and the problem;
    /// never the header's text, which is personal data.
    var headerSamples: [(line: Int, problem: HeaderProblem)] = []

    static let sampleLimit = 5
    static let overlongNote = "line longer than \(LineReader.maxLineLength / 1024) KiB, skipped"

    /// Parses every line of `chunk`, interning its strings with `context`.
    init(_ chunk: LineChunk, _ context: FactContext) {
        // About one event for every 150 bytes of a mail log: reserved at once, not grown by copying.
        events.reserveCapacity(chunk.bytes.count / 150)
        for line in 0..<min(chunk.overlongBefore, ParsedChunk.sampleLimit) {
            samples.append((line, ParsedChunk.overlongNote))
        }
        lines += chunk.overlongBefore
        unrecognised += chunk.overlongBefore
        chunk.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            var number = chunk.overlongBefore
            let end = buffer.count
            var stamp: LineTime?
            var lastDay = Int64.min
            while start < end {
                let (newline, isPlain) = ParsedChunk.lineEnd(base, from: start, to: end)
                var length = newline - start
                if length > 0 && base[start + length - 1] == 0x0D { length -= 1 }
                let line = ByteView(base: base + start, count: length)
                lines += 1
                if length > LineReader.maxLineLength {
                    unrecognised += 1
                    if samples.count < ParsedChunk.sampleLimit {
                        samples.append((number, ParsedChunk.overlongNote))
                    }
                } else if length > 0 {
                    stamp = nil
                    var hasEvent = false
                    switch LineClassifier.classify(line, stamp: &stamp, context, isClean: isPlain ? true : nil) {
                    case .mail(let event):
                        parsed += 1
                        if let event {
                            events.append(event)
                            hasEvent = true
                        }
                    case .otherProgram:
                        otherPrograms += 1
                    case .unrecognised:
                        unrecognised += 1
                        if samples.count < ParsedChunk.sampleLimit { samples.append((number, excerpt(line))) }
                    case .unreadableRoundcube(let problem):
                        unrecognised += 1
                        if samples.count < ParsedChunk.sampleLimit {
                            samples.append((number, LineClassifier.roundcubeSample(line, problem)))
                        }
                    case .unreadableHeader(let problem):
                        parsed += 1
                        unreadableHeaders += 1
                        if headerSamples.count < ParsedChunk.sampleLimit { headerSamples.append((number, problem)) }
                    }
                    if let stamp {
                        let day = ParsedChunk.dayKey(stamp)
                        if day != lastDay {
                            lastDay = day
                            if !hasEvent { stamps.append((events.count, stamp)) }
                        }
                    }
                } else {
                    otherPrograms += 1
                }
                number += 1
                start = newline + 1
            }
        }
    }

    /// Where the line from `start` ends (its newline, or `end`), and whether it is plain ASCII
    /// without a NUL, and so clean text (`ByteView.isCleanText`) without another look: one pass
    /// over the line, eight bytes a step, for both. The lowest byte flagged in a word is always
    /// a newline, a NUL or a byte past ASCII (the zero test's false alarms lie above a true zero).
    @inline(__always)
    static func lineEnd(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (Int, isPlain: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(base)
        /// From a byte that is no plain text on: only the newline.
        func newline(from index: Int) -> (Int, isPlain: Bool) {
            let found = memchr(base + index, 0x0A, end - index).map {
                UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
            }
            return (found ?? end, false)
        }
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let newlines = word ^ (0x0A &* ones)
            let flags = ((newlines &- ones) & ~newlines | (word &- ones) & ~word | word) & high
            if flags != 0 {
                let at = index + flags.trailingZeroBitCount / 8
                return base[at] == 0x0A ? (at, true) : newline(from: at)
            }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == 0x0A { return (index, true) }
            if byte == 0 || byte >= 0x80 { return newline(from: index) }
            index += 1
        }
        return (end, true)
    }

    /// A number that differs between stamps of different days (of whichever kind).
    @inline(__always)
    static func dayKey(_ time: LineTime) -> Int64 {
        switch time {
        case .utc(let seconds): return Int64(CivilTime.day(of: seconds, offsetSeconds: 0)) << 2
        case .local(let seconds): return Int64(CivilTime.day(of: seconds, offsetSeconds: 0)) << 2 | 1
        case .yearless(let month, let day, _): return Int64(month) << 7 | Int64(day) << 2 | 2
        }
    }

    /// Up to 80 characters of a line as one printable line: control characters (NUL, line
    /// breaks, DEL, C1, the Unicode line and paragraph separators) and bytes that are not UTF-8
    /// are shown as `\xNN` or `\u{NNNN}`, a backslash as `\\`.
    func excerpt(_ line: ByteView) -> String {
        var text = ""
        var index = 0
        var characters = 0
        while index < line.count && characters < 80 {
            characters += 1
            guard let (value, length) = line.scalar(at: index) else {
                text += "\\x" + ParsedChunk.hex(UInt32(line[index]), digits: 2)
                index += 1
                continue
            }
            index += length
            switch value {
            case 0x5C: text += "\\\\"
            case 0..<0x20, 0x7F: text += "\\x" + ParsedChunk.hex(value, digits: 2)
            case 0x80..<0xA0, 0x2028, 0x2029: text += "\\u{" + ParsedChunk.hex(value, digits: 4) + "}"
            default: text.unicodeScalars.append(Unicode.Scalar(value)!)
            }
        }
        return index < line.count ? text + "…" : text
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
