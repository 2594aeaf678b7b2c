extension Array where Element == UInt64 {
    /// Sorts the integers in place, a byte at a time from the lowest (a radix sort): for the
    /// hundreds of thousands of packed pairs a read of a big store sorts, several times faster
    /// than the standard library's comparison sort. A byte that is the same in every integer
    /// (the high bytes of small ids) costs no pass.
    public mutating func radixSort() {
        guard count > 256 else {
            sort()
            return
        }
        let count = self.count
        let first = self[0]
        var scratch = [UInt64](repeating: 0, count: count)
        var sortedInScratch = false
        withUnsafeMutableBufferPointer { own in
            scratch.withUnsafeMutableBufferPointer { other in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * 256) { counts in
                    // Every byte's digits counted in one pass: counts[byte * 256 + digit].
                    counts.initialize(repeating: 0)
                    for value in own {
                        for byte in 0..<8 {
                            counts[byte &* 256 &+ Int(truncatingIfNeeded: value >> (byte &* 8)) & 0xFF] += 1
                        }
                    }
                    for byte in 0..<8 {
                        let shift = UInt64(byte * 8)
                        let base = byte * 256
                        guard counts[base + Int((first >> shift) & 0xFF)] != count else { continue }
                        // Where each digit's integers go next: after those of the smaller digits.
                        var total = 0
                        for digit in base..<base + 256 {
                            (counts[digit], total) = (total, total + counts[digit])
                        }
                        let (from, to) = sortedInScratch ? (other, own) : (own, other)
                        for value in from {
                            let slot = base + Int((value >> shift) & 0xFF)
                            to[counts[slot]] = value
                            counts[slot] += 1
                        }
                        sortedInScratch.toggle()
                    }
                }
            }
        }
        if sortedInScratch { self = scratch }
    }
}
