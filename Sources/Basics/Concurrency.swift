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

/// Runs `first` on the calling thread and `second` on a thread of its own, at once, and returns
/// what each returned or threw. The second thread is not one of Dispatch's, so that a
/// `concurrentMap` in either still has every core (Dispatch runs one inside another serially).
public func concurrently<A: Sendable, B: Sendable, E1: Error, E2: Error>(
    _ first: () throws(E1) -> A, _ second: @escaping @Sendable () throws(E2) -> B
) -> (Result<A, E1>, Result<B, E2>) {
    let results = Box<Result<B, E2>>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        results.value = Result(catching: second)
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    let first = Result(catching: first)
    done.wait()
    return (first, results.value!)
}

/// Memory that threads write at distinct places, read once they have all finished.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// A result written by another thread, read once it has finished.
private final class Box<T>: @unchecked Sendable {
    var value: T?
}
