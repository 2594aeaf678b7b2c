import Dispatch
import Foundation

extension RandomAccessCollection where Self: Sendable, Index == Int, Element: Sendable {
    /// `transform` of each element, in order, worked out on every core: the elements are cut into
    /// chunks of at least `minimumChunk`, a few per core.
    public func concurrentMap<T: Sendable>(minimumChunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chunks = Swift.min(Swift.max(count / Swift.max(minimumChunk, 1), 1), 4 * cores)
        guard chunks > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each chunk initializes its own elements; `concurrentPerform` returns when all have.
            let results = Slots(base: buffer.baseAddress!)
            let (count, start) = (count, startIndex)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for offset in chunk * count / chunks..<(chunk + 1) * count / chunks {
                    (results.base + offset).initialize(to: transform(self[start + offset]))
                }
            }
            initialized = count
        }
    }
}

/// Runs `first` and `second` at once, on two threads, and returns what each returned or threw.
public func concurrently<A: Sendable, B: Sendable, E1: Error, E2: Error>(
    _ first: @Sendable () throws(E1) -> A, _ second: @Sendable () throws(E2) -> B
) -> (Result<A, E1>, Result<B, E2>) {
    let results = Pair<Result<A, E1>, Result<B, E2>>()
    DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 { results.first = Result(catching: first) } else { results.second = Result(catching: second) }
    }
    return (results.first!, results.second!)
}

/// Memory that threads write at distinct places, read once they have all finished.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Two results, each written by its own thread, read once both have finished.
private final class Pair<A, B>: @unchecked Sendable {
    var first: A?
    var second: B?
}
