import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open log file that yields its text, decompressing gzip files as it goes.
///
/// Reads are in large blocks straight from the file descriptor; a whole file is never held.
public final class LogFile {
    public let path: String
    public let isCompressed: Bool
    /// Size on disk, in bytes (compressed size for gzip).
    public let sizeOnDisk: Int64
    /// Last modification, UTC seconds.
    public let modificationTime: Int64
    /// Bytes taken from the file so far (compressed bytes for gzip), for progress.
    public private(set) var bytesConsumed: Int64 = 0

    private let descriptor: Int32
    private var stream = z_stream()
    private var input: [UInt8] = []
    private var inputStart = 0
    private var inputEnd = 0
    private var sawEnd = false
    private var memberOpen = false
    /// A fault met after some text was inflated in the same read: that text is returned first,
    /// and the fault thrown by the next read.
    private var pendingFault: MailLogError?

    /// Opens `path`.
    ///
    /// - Throws: `MailLogError` when the file is missing, a directory, or unreadable.
    public init(path: String) throws(MailLogError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno
            if reason == ENOENT { throw MailLogError(.fileNotFound, path: path, "no such file") }
            throw MailLogError(.unreadable, path: path, "cannot read it: \(String(cString: strerror(reason)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw MailLogError(.notAFile, path: path, "is not a regular file (a directory?); name the log files in it")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MailLogError(.unreadable, path: path, "cannot open it: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.sizeOnDisk = Int64(info.st_size)
        self.modificationTime = Int64(info.st_mtim.tv_sec)
        // gzip files start with 1f 8b.
        var magic: (UInt8, UInt8) = (0, 0)
        let peeked = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
        self.isCompressed = peeked == 2 && magic.0 == 0x1F && magic.1 == 0x8B
        if isCompressed {
            input = [UInt8](repeating: 0, count: 1 << 18)
            guard czlib_inflate_init_gzip(&stream) == Z_OK else {
                close(descriptor)
                throw MailLogError(.unreadable, path: path, "zlib could not start decompressing it")
            }
        }
    }

    deinit {
        if isCompressed { inflateEnd(&stream) }
        close(descriptor)
    }

    /// Appends up to `limit` bytes of text to `buffer`; returns how many, 0 at the end.
    ///
    /// - Throws: `MailLogError` when a compressed file is cut short or corrupt.
    public func read(into buffer: inout [UInt8], limit: Int) throws(MailLogError) -> Int {
        guard limit > 0 else { return 0 }
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: limit)
        defer { scratch.deallocate() }
        let count = try read(to: scratch, limit: limit)
        buffer.append(contentsOf: UnsafeBufferPointer(start: scratch, count: count))
        return count
    }

    /// `read(to:limit:)` for closures that cannot throw: the count, and the error if any.
    func readCatching(to destination: UnsafeMutablePointer<UInt8>, limit: Int) -> (Int, MailLogError?) {
        do {
            return (try read(to: destination, limit: limit), nil)
        } catch {
            return (0, error)
        }
    }

    /// Writes up to `limit` bytes of text at `destination`; returns how many, 0 at the end.
    ///
    /// (Not `read(into:)`: an `&array` argument would silently convert to a pointer.)
    public func read(to destination: UnsafeMutablePointer<UInt8>, limit: Int) throws(MailLogError) -> Int {
        isCompressed ? try inflate(into: destination, limit: limit) : try readPlain(into: destination, limit: limit)
    }

    private func readPlain(into destination: UnsafeMutablePointer<UInt8>, limit: Int) throws(MailLogError) -> Int {
        var total = 0
        while total < limit {
            let got = Glibc.read(descriptor, destination + total, limit - total)
            if got < 0 {
                if errno == EINTR { continue }
                throw MailLogError(.unreadable, path: path, "read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            total += got
        }
        bytesConsumed += Int64(total)
        return total
    }

    /// Inflates up to `limit` bytes; text inflated before a fault is returned before the fault is thrown.
    private func inflate(into destination: UnsafeMutablePointer<UInt8>, limit: Int) throws(MailLogError) -> Int {
        if let pendingFault { throw pendingFault }
        var produced = 0
        do {
            try inflate(into: destination, limit: limit, produced: &produced)
        } catch {
            guard produced > 0 else { throw error }
            pendingFault = error
        }
        return produced
    }

    private func inflate(
        into destination: UnsafeMutablePointer<UInt8>, limit: Int, produced: inout Int
    ) throws(MailLogError) {
        while produced < limit {
            if inputStart == inputEnd {
                if sawEnd {
                    if memberOpen {
                        throw MailLogError(
                            .truncatedCompression, path: path,
                            "the compressed data ends early (the file is cut short); the text before the cut was read")
                    }
                    break
                }
                let got = input.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw MailLogError(.unreadable, path: path, "read failed: \(String(cString: strerror(errno)))")
                }
                if got == 0 {
                    sawEnd = true
                } else {
                    inputStart = 0
                    inputEnd = got
                    bytesConsumed += Int64(got)
                }
                continue
            }
            if !memberOpen {
                // A new gzip member may follow the last one; zero padding or other trailing bytes end the text.
                guard input[inputStart] == 0x1F else {
                    inputStart = inputEnd
                    sawEnd = true
                    continue
                }
                memberOpen = true
            }
            var status: Int32 = Z_OK
            var used = 0
            var made = 0
            input.withUnsafeMutableBufferPointer { inputBuffer in
                stream.next_in = inputBuffer.baseAddress! + inputStart
                stream.avail_in = UInt32(inputEnd - inputStart)
                stream.next_out = destination + produced
                stream.avail_out = UInt32(limit - produced)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                used = (inputEnd - inputStart) - Int(stream.avail_in)
                made = (limit - produced) - Int(stream.avail_out)
            }
            inputStart += used
            produced += made
            switch status {
            case Z_STREAM_END:
                inflateReset(&stream)
                memberOpen = false
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw MailLogError(.corruptCompression, path: path, "the compressed data is corrupt (\(reason))")
            }
        }
    }

    /// Skips `count` bytes of text (a checkpoint's offset); returns how many were skipped.
    public func skip(_ count: Int64) throws(MailLogError) -> Int64 {
        guard count > 0 else { return 0 }
        if !isCompressed {
            let position = lseek(descriptor, off_t(count), SEEK_SET)
            guard position >= 0 else {
                throw MailLogError(.unreadable, path: path, "cannot seek: \(String(cString: strerror(errno)))")
            }
            let reached = min(count, sizeOnDisk)
            bytesConsumed = reached
            return reached
        }
        let scratchSize = 1 << 20
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchSize)
        defer { scratch.deallocate() }
        var skipped: Int64 = 0
        while skipped < count {
            let got = try read(to: scratch, limit: Int(min(count - skipped, Int64(scratchSize))))
            if got == 0 { break }
            skipped += Int64(got)
        }
        return skipped
    }
}
