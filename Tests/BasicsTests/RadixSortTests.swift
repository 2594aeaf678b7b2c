import Basics
import Testing

@Suite("Radix sort of 64-bit integers")
struct RadixSortTests {
    @Test("sorts as the standard library does: random, packed pairs, duplicates, extremes, short arrays")
    func agreesWithSort() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt64]] = [
            [], [7], (0..<300).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) },
            // Pairs of small ids packed as a read packs them: most bytes the same everywhere.
            (0..<5000).map { _ in UInt64.random(in: 0..<40000) << 32 | UInt64.random(in: 0..<40000) },
            // Every integer the same: no pass at all.
            Array(repeating: 0xDEAD_BEEF, count: 1000),
            // Duplicates, the extremes, and a descending run.
            (0..<2000).map { UInt64($0 % 17) } + [UInt64.max, 0, UInt64.max, 1 << 63],
            (0..<1000).reversed().map { UInt64($0) << 56 },
            (0..<100).map { _ in UInt64.random(in: 0..<1000) },
        ]
        cases.append((0..<100_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) })
        for values in cases {
            var sorted = values
            sorted.radixSort()
            #expect(sorted == values.sorted(), "\(values.count) integers")
        }
    }
}
