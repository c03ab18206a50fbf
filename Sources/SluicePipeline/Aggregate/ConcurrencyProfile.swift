/// When a window's reported invocations ran, for the most of them in flight at once: every interval while
/// there are at most ``exactLimit``, then the time spent busy in each second, so that a window's state stops
/// growing with its invocations (its seconds are the window's and the 900 an invocation can run before).
///
/// Busy time is kept in whole microseconds: merging adds integers, the same in any order, and a profile
/// turns into seconds exactly when its intervals pass the limit, however they were added.
public struct ConcurrencyProfile: Sendable, Equatable {
    /// The most intervals held one by one.
    public static let exactLimit = 4096

    /// The most intervals this profile holds: ``exactLimit``, or any number for totals over windows that
    /// already hold theirs.
    private let limit: Int
    /// Each reported invocation's run, in milliseconds, while exact.
    public private(set) var intervals: [ClosedRange<Double>] = []
    /// Busy time by second, once the intervals passed the limit.
    private var busy: BusySeconds?

    public init() { limit = Self.exactLimit }

    /// A profile holding up to `limit` intervals one by one.
    public init(exactUpTo limit: Int) { self.limit = limit }

    public init(_ intervals: [ClosedRange<Double>]) {
        self.init()
        for interval in intervals { add(interval) }
    }

    /// Whether every interval is held (the most in flight exact).
    public var isExact: Bool { busy == nil }

    public mutating func add(_ interval: ClosedRange<Double>) {
        if busy != nil {
            busy?.add(interval)
            return
        }
        intervals.append(interval)
        if intervals.count > limit { spread() }
    }

    public mutating func merge(_ other: ConcurrencyProfile) {
        guard let theirs = other.busy else {
            for interval in other.intervals { add(interval) }
            return
        }
        if busy == nil { spread() }
        busy?.merge(theirs)
    }

    /// The most invocations in flight at once (each execution environment runs one at a time, so this is
    /// the number of environments busy together). Once the intervals are spread over seconds: the busiest
    /// second's average, rounded up (at most the exact figure, which a second's average cannot exceed).
    public var maxConcurrency: Int {
        if let busy { return busy.peak }
        var edges: [(time: Double, delta: Int)] = []
        edges.reserveCapacity(intervals.count * 2)
        for interval in intervals {
            edges.append((interval.lowerBound, 1))
            edges.append((interval.upperBound, -1))
        }
        // Ends before starts at the same instant: back-to-back invocations do not overlap.
        edges.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var current = 0
        var peak = 0
        for edge in edges {
            current += edge.delta
            peak = max(peak, current)
        }
        return peak
    }

    private mutating func spread() {
        var seconds = BusySeconds()
        for interval in intervals { seconds.add(interval) }
        intervals = []
        busy = seconds
    }

    /// Busy microseconds by second since the epoch, changed in place through the optional that holds them.
    struct BusySeconds: Sendable, Equatable {
        private var microseconds: [Int64: Int64] = [:]

        /// Lambda's longest invocation (15 minutes): a report of a longer one is spread over its last 900
        /// seconds only, which bounds the loop and the seconds a window holds whatever a line claims.
        static let longestSeconds: Int64 = 900

        /// Adds the part of `interval` (milliseconds, within the records' bounds) in each second it touches.
        mutating func add(_ interval: ClosedRange<Double>) {
            let last = Int64((interval.upperBound / 1000).rounded(.down))
            var second = Swift.max(Int64((interval.lowerBound / 1000).rounded(.down)), last - Self.longestSeconds)
            while Double(second) * 1000 < interval.upperBound {
                let from = Swift.max(interval.lowerBound, Double(second) * 1000)
                let to = Swift.min(interval.upperBound, Double(second + 1) * 1000)
                microseconds[second, default: 0] += Int64(((to - from) * 1000).rounded())
                second += 1
            }
        }

        mutating func merge(_ other: BusySeconds) {
            for (second, busy) in other.microseconds { microseconds[second, default: 0] += busy }
        }

        /// The busiest second's average number in flight, rounded up.
        var peak: Int { Int(((microseconds.values.max() ?? 0) + 999_999) / 1_000_000) }
    }
}
