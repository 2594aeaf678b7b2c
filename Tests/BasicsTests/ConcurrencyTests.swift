import Basics
import Testing

@Suite("Work spread over the cores")
struct ConcurrencyTests {
    struct Failure: Error, Equatable {
        var value: Int
    }

    @Test("a concurrent map keeps the order of the elements, in chunks or not", arguments: [0, 1, 7, 1000, 100_003])
    func mapKeepsOrder(count: Int) {
        let numbers = Array(0..<count)
        #expect(numbers.concurrentMap(minimumChunk: 10) { $0 * 3 + 1 } == numbers.map { $0 * 3 + 1 })
        #expect((0..<count).concurrentMap(minimumChunk: 1) { String($0) } == numbers.map { String($0) })
    }

    @Test("two pieces of work give each its own result or error")
    func concurrently() {
        let (sum, failure) = Basics.concurrently(
            { (1...1000).reduce(0, +) }, { () throws(Failure) -> Int in throw Failure(value: 7) })
        #expect(sum.get() == 500_500)
        #expect(throws: Failure(value: 7)) { try failure.get() }
    }
}
