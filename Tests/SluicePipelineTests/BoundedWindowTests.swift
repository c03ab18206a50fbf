import PropertyBased
import Testing
@testable import SluicePipeline

/// A window's state stops growing with its invocations: request ids past a limit become a sketch of fixed
/// size, intervals become busy time per second, and agent invocations waiting for a report are settled.
/// Below the limits every figure is exact, as the corpus streams' expected.json check.
@Suite("Bounded window state")
struct BoundedWindowTests {
    static func ids(_ range: Range<Int>) -> [String] { range.map { "0000\($0)-4b3f-8e83-8c90e71a76ea" } }

    /// Past the limit the counts are estimates from a hash seeded per process: bounds of 2 % (2.5 standard
    /// errors at 100,000) failed about one run in seventy. Four per cent is five standard errors of the
    /// sketch (0.8 %) and more of linear counting, which counts the smaller sets; a broken sketch misses by far more.
    @Test("request ids: exact up to the limit, then estimated within 4 %; duplicates add nothing")
    func distinctCounts() {
        var set = RequestIDSet()
        set.formUnion(Self.ids(0..<RequestIDSet.exactLimit))
        set.formUnion(Self.ids(0..<100))
        #expect(set.isExact && set.count == RequestIDSet.exactLimit && set.contains(Self.ids(7..<8)[0]))
        for n in [5_000, 20_000, 100_000] {
            var big = RequestIDSet()
            big.formUnion(Self.ids(0..<n))
            big.formUnion(Self.ids(0..<n / 2))
            #expect(!big.isExact && big.exactIDs == nil)
            #expect(abs(Double(big.count - n)) <= 0.04 * Double(n), "\(n) ids counted \(big.count)")
        }
        #expect(RequestIDSet.naturalLogarithm(1) == 0 && abs(RequestIDSet.naturalLogarithm(1000) - 6.907755278982137) < 1e-12
                && abs(RequestIDSet.naturalLogarithm(16384 / 3.0) - 8.605448239171125) < 1e-12)
    }

    @Test("request ids merge exactly, either side past the limit or not: set(a + b) == merge(set(a), set(b))")
    func idsMergeExactly() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...9_000), Gen.int(in: 0...9_000), Gen.uint64()) { first, second, seed in
            let all = Self.ids(0..<first) + Self.ids(4_000..<(4_000 + second))
            var whole = RequestIDSet(), a = RequestIDSet(), b = RequestIDSet()
            var rng = SplitMix(seed: seed)
            for id in all {
                whole.insert(id)
                if rng.next() % 2 == 0 { a.insert(id) } else { b.insert(id) }
            }
            a.formUnion(b)
            // Exact while the distinct ids are within the limit: their true number, not the sketch's estimate
            // of it, which can fall under the limit when there are a few more (a case that failed now and then).
            let exact = Set(all).count <= RequestIDSet.exactLimit
            #expect(a == whole && a.count == whole.count && a.isExact == exact && whole.isExact == exact)
        }
    }

    @Test("a set's count with more ids added is the count of the union, within the limit, across it and past it")
    func countAdding() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...4_200), Gen.int(in: 0...300), Gen.int(in: 0...5_000)) { held, added, offset in
            var set = RequestIDSet()
            set.formUnion(Self.ids(0..<held))
            // Some of the added ids are held already, some repeat among themselves.
            let more = Self.ids(offset..<(offset + added)) + Self.ids(offset..<(offset + added / 3))
            let union = set.union(more)
            #expect(set.count(adding: more) == union.count, "\(held) held, \(added) added from \(offset)")
            #expect(set.count(adding: []) == set.count)
        }
    }

    /// `streams` environments, each running invocations of `durationMs` back to back for `seconds`.
    static func intervals(streams: Int, seconds: Int, durationMs: Double) -> [ClosedRange<Double>] {
        var out: [ClosedRange<Double>] = []
        for stream in 0..<streams {
            var start = 1_795_305_600_000.0 + Double(stream) * 7
            while start + durationMs <= 1_795_305_600_000.0 + Double(seconds * 1000) {
                out.append(start...(start + durationMs))
                start += durationMs
            }
        }
        return out
    }

    @Test("concurrency: exact below the limit; past it, the busiest second's average, never above the exact figure")
    func concurrencyBounded() {
        let few = Self.intervals(streams: 3, seconds: 10, durationMs: 100)
        #expect(few.count <= ConcurrencyProfile.exactLimit && ConcurrencyProfile(few).isExact && ConcurrencyProfile(few).maxConcurrency == 3)
        // 50 environments busy all the time: 30,000 intervals, spread over the seconds, still 50.
        let many = ConcurrencyProfile(Self.intervals(streams: 50, seconds: 60, durationMs: 100))
        #expect(!many.isExact && many.intervals.isEmpty && many.maxConcurrency == 50)
        // Half-busy environments: the average (25) rounded up, never the exact 50 exceeded.
        let half = ConcurrencyProfile(Self.intervals(streams: 50, seconds: 60, durationMs: 100).enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(!half.isExact && (25...50).contains(half.maxConcurrency))
        // A report claiming 57 years is spread over Lambda's 900 seconds before its end only: the loop is bounded.
        var claimed = ConcurrencyProfile(Self.intervals(streams: 1, seconds: 500, durationMs: 100))
        claimed.add(0...1_795_305_800_000)
        #expect(!claimed.isExact && claimed.maxConcurrency == 2)
    }

    @Test("concurrency merges exactly across the limit: profile(a + b) == merge(profile(a), profile(b))")
    func concurrencyMergesExactly() async {
        let all = Self.intervals(streams: 8, seconds: 120, durationMs: 150)
        await propertyCheck(count: 20, input: Gen.int(in: 0...all.count), Gen.uint64()) { split, seed in
            var rng = SplitMix(seed: seed)
            var a = ConcurrencyProfile(), b = ConcurrencyProfile()
            for (index, interval) in all.enumerated() {
                if index < split && rng.next() % 4 != 0 { a.add(interval) } else { b.add(interval) }
            }
            a.merge(b)
            let whole = ConcurrencyProfile(all)
            #expect(a.isExact == whole.isExact && a.maxConcurrency == whole.maxConcurrency)
        }
    }

    @Test("a window of 20,000 reports and 10,000 agent-only invocations stays bounded and counts each once")
    func windowBounded() {
        let stream = StreamKey(owner: "123456789012", logGroup: "/aws/lambda/busy", logStream: "2026/11/22/[$LATEST]busy")
        let start: Int64 = 1_795_305_600_000
        var records: [RecognizedRecord] = []
        for (index, id) in Self.ids(0..<20_000).enumerated() {
            records.append(.report(InvocationReport(requestID: id, timestamp: start + Int64(index % 50_000), durationMs: 40,
                                                    status: index % 10 == 0 ? .error : .success)))
        }
        // An agent's record before its report, for a tenth of them: counted from the report only.
        for id in Self.ids(0..<2_000) {
            records.insert(.invocation(AgentInvocation(requestID: id, producer: .thundra, startTimestamp: start, durationMs: 40)), at: 0)
        }
        for (index, id) in Self.ids(100_000..<110_000).enumerated() {
            records.append(.invocation(AgentInvocation(requestID: id, producer: .thundra, startTimestamp: start + Int64(index), durationMs: 20,
                                                       coldStart: index % 100 == 0, failed: index % 4 == 0)))
        }
        var aggregator = FunctionAggregator()
        aggregator.add(RecognizedMessage(stream: stream, records: records))
        #expect(aggregator.windows.count == 1)
        let window = aggregator.windows.values.first ?? FunctionWindow()
        #expect(window.reported.exactIDs == nil && !window.concurrency.isExact && window.agentOnly.count <= FunctionWindow.pendingAgentLimit)
        let summary = aggregator.functions()[0]
        #expect(summary.invocations == 30_000)
        #expect(summary.coldStarts == 100 && summary.duration.count == 30_000)
        // 2,000 failed reports and 2,500 failed agent invocations, distinct: past the limit, estimated.
        #expect(abs(summary.errors - 4_500) <= 180, "errors \(summary.errors)")
    }

    @Test("the figures over all windows are exact when each window's are, however many ids they add up to")
    func totalsExact() {
        let stream = StreamKey(owner: "123456789012", logGroup: "/aws/lambda/busy", logStream: "2026/11/22/[$LATEST]busy")
        var aggregator = FunctionAggregator()
        // Three windows of 3,000 failed invocations each, two running at once all along.
        for window in 0..<3 {
            let start: Int64 = 1_795_305_600_000 + Int64(window) * 60_000
            let records = Self.ids((window * 3_000)..<((window + 1) * 3_000)).enumerated().map { index, id in
                RecognizedRecord.report(InvocationReport(requestID: id, timestamp: start + 10 + Int64(index / 2) * 10, durationMs: 10, status: .error))
            }
            aggregator.add(RecognizedMessage(stream: stream, records: records))
        }
        #expect(aggregator.windows.count == 3 && aggregator.windows.values.allSatisfy { $0.errors.isExact && $0.concurrency.isExact })
        let summary = aggregator.functions()[0]
        #expect(summary.errors == 9_000 && summary.window.errors.isExact && summary.window.maxConcurrency == 2)
    }
}
