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
    var events: [TimedEvent] = []
    var lines = 0
    var parsed = 0
    var otherPrograms = 0
    var unrecognised = 0
    /// A few unrecognised lines: line number within the chunk (0-based) and a printable excerpt.
    var samples: [(line: Int, excerpt: String)] = []

    static let sampleLimit = 5
    static let overlongNote = "line longer than \(LineReader.maxLineLength / 1024) KiB, skipped"

    /// Parses every line of `chunk`.
    init(_ chunk: LineChunk) {
        events.reserveCapacity(chunk.bytes.count / 400)
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
            while start < end {
                let newline =
                    memchr(base + start, 0x0A, end - start).map {
                        UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
                    } ?? end
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
                    switch LineClassifier.classify(line) {
                    case .mail(let event):
                        parsed += 1
                        if let event { events.append(event) }
                    case .otherProgram:
                        otherPrograms += 1
                    case .unrecognised:
                        unrecognised += 1
                        if samples.count < ParsedChunk.sampleLimit { samples.append((number, excerpt(line))) }
                    }
                } else {
                    otherPrograms += 1
                }
                number += 1
                start = newline + 1
            }
        }
    }

    /// Up to 80 characters of a line, control characters and bad UTF-8 shown as `?`.
    func excerpt(_ line: ByteView) -> String {
        let text = line[0..<min(line.count, 240)].string
        let cleaned = String(
            text.unicodeScalars.prefix(80).map { scalar -> Character in
                scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}" ? "?" : Character(scalar)
            })
        return line.count > 80 ? cleaned + "…" : cleaned
    }
}
