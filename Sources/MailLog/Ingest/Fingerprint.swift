/// Identifies a log file by its first bytes.
struct Fingerprint {
    /// How many bytes of a file's head identify it.
    static let headLimit = 4096

    let head: [UInt8]
    let lineHash: String

    /// Reads the head of `file`; nil when there is no complete first line yet.
    init?(reading file: LogFile, isFinished: Bool) throws(MailLogError) {
        var head: [UInt8] = []
        while head.count < Fingerprint.headLimit {
            do {
                if try file.read(into: &head, limit: Fingerprint.headLimit - head.count) == 0 { break }
            } catch {
                // A compressed file cut (or corrupt) within its head: the text before the fault is its head,
                // and the fault is met again, and reported, when the file is read.
                let isCompressionFault = error.code == .truncatedCompression || error.code == .corruptCompression
                guard isCompressionFault, !head.isEmpty else { throw error }
                break
            }
        }
        let firstLineEnd = head.firstIndex(of: 0x0A)
        guard !head.isEmpty, firstLineEnd != nil || head.count >= Fingerprint.headLimit || isFinished else {
            return nil
        }
        self.head = head
        self.lineHash = Fingerprint.hash(head[0..<(firstLineEnd.map { $0 + 1 } ?? head.count)])
    }

    /// Whether this file begins as the checkpointed one did.
    func matches(_ checkpoint: FileCheckpoint) -> Bool {
        checkpoint.headLength <= head.count && checkpoint.fingerprint == fingerprint(length: checkpoint.headLength)
    }

    /// The fingerprint over the first `length` bytes.
    func fingerprint(length: Int) -> String {
        "\(lineHash)-\(length)-\(Fingerprint.hash(head[0..<length]))"
    }

    /// FNV-1a, 64 bits, as 16 hex digits.
    static func hash(_ bytes: ArraySlice<UInt8>) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
