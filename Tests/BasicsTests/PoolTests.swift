import Basics
import Testing

@Suite("Pool: items lent one holder at a time, made only when all are lent")
struct PoolTests {
    final class Counter: @unchecked Sendable {
        var made = 0
    }

    @Test("a second item is made only while the first is lent; items taken back are lent again")
    func lendsAndKeeps() {
        let counter = Counter()
        let pool = Pool<Int, Never> {
            counter.made += 1
            return counter.made
        }
        let first = pool.lend()
        let second = pool.lend()
        #expect(first == 1 && second == 2 && counter.made == 2)
        pool.takeBack(second)
        #expect(pool.lend() == 2 && counter.made == 2, "the idle item, not a new one")
        pool.takeBack(first)
        pool.takeBack(second)
        _ = (pool.lend(), pool.lend())
        #expect(counter.made == 2)
        #expect(pool.lend() == 3, "all lent: a new one")
    }

    @Test("items made already are lent first; a failure to make another is thrown")
    func idleAndFailure() throws {
        struct Refused: Error {}
        let pool = Pool<String, Refused>(idle: ["open"]) { () throws(Refused) -> String in throw Refused() }
        #expect(try pool.lend() == "open")
        #expect(throws: Refused.self) { try pool.lend() }
    }
}
