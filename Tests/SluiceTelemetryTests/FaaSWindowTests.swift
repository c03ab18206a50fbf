import PropertyBased
import SluicePipeline
@testable import SluiceTelemetry
import Testing

@Suite("Derived faas windows")
struct FaaSWindowTests {
    /// Rows of one function's window: a few request ids shared by reports, agents' records and markers, in
    /// any order, with any flags, and fields missing now and then.
    static func rows(_ rng: inout SplitMix) -> [InvocationRow] {
        // Now and then ids outside ASCII, one of them spelt two ways that are one string to Swift (é composed,
        // and e with a combining accent), which a window counts as one request.
        let unicode = rng.next() % 4 == 0
        func id(_ n: UInt64, _ rng: inout SplitMix) -> String {
            guard unicode, n < 3 else { return "request-\(n)" }
            return n == 0 ? (rng.next() % 2 == 0 ? "requ\u{E9}te" : "reque\u{301}te") : "requ\u{EA}te-\(n)"
        }
        return (0..<Int(rng.next() % 48)).map { index in
            let source: InvocationRow.Source = [.report, .agent, .marker, .report][Int(rng.next() % 4)]
            var flags: InvocationFlags = []
            if rng.next() % 4 == 0 { flags.insert(.failed) }
            if rng.next() % 6 == 0 { flags.insert(.timedOut) }
            if rng.next() % 7 == 0 { flags.insert(.outOfMemory) }
            let end = 1_795_311_100_000 + Int64(rng.next() % 60_000)
            return InvocationRow(key: "e\(index):0", owner: "123456789012", logGroup: "/aws/lambda/orders", function: "orders", logStream: "s",
                                 requestID: id(rng.next() % 9, &rng), source: source, producer: source == .agent ? "thundra" : nil,
                                 startMs: end - 500, endMs: end, durationMs: rng.next() % 6 == 0 ? nil : Double(rng.next() % 90_000) / 7,
                                 billedDurationMs: source == .report ? 100 : nil, memorySizeMB: 256,
                                 maxMemoryUsedMB: rng.next() % 3 == 0 ? nil : Int(rng.next() % 256),
                                 initDurationMs: rng.next() % 4 == 0 ? Double(rng.next() % 2_000) / 3 : nil, coldStart: rng.next() % 3 == 0,
                                 flags: flags, costUSD: source == .report ? Double(rng.next() % 1_000) / 1e7 : nil)
        }
    }

    @Test("a window counted request by request has the figures a FunctionWindow counts, whatever its rows and their order")
    func countingAgreesWithTheWindow() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let rows = Self.rows(&rng)
            // The window's rows among others' (every row, or some of them), as the encoder hands them over.
            let indices = rng.next() % 2 == 0 ? Array(rows.indices) : rows.indices.filter { _ in rng.next() % 3 != 0 }
            rows.withUnsafeBufferPointer { buffer in
                var byID: [Int] = []
                var hashes: [(hash: UInt64, index: Int)] = []
                let counted = OTLPEncoder.FaaSWindow(start: 7, counting: buffer, indices[...], sortingBy: &byID, hashes: &hashes)
                let aggregated = OTLPEncoder.FaaSWindow(start: 7, aggregating: buffer, indices[...])
                #expect(counted == aggregated, "seed \(seed)")
            }
        }
    }
}
