import PropertyBased
import Testing
@testable import SluicePipeline

/// What recognition makes once and finds again by its bytes must be what it would have made anew.
@Suite("recognition cache")
struct RecognitionCacheTests {
    @Test("a byte-keyed cache answers every key with what its bytes make, and never holds more than its bounds")
    func answersByBytes() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            // Few short keys from two letters: hits, misses and forgetting when full all happen.
            var cache = ByteKeyedCache<String>(capacity: 1 + Int(rng.next() % 8), keyCapacity: 1 + Int(rng.next() % 24))
            var made = 0
            for _ in 0..<200 {
                let key = (0..<Int(rng.next() % 6)).map { _ in rng.next() % 2 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b") }
                let value = key.withUnsafeBufferPointer { bytes in
                    cache.value(for: bytes) {
                        made += 1
                        return String(decoding: bytes, as: UTF8.self)
                    }
                }
                #expect(value == String(decoding: key, as: UTF8.self))
                #expect(cache.count <= cache.capacity)
            }
            // Two letters and at most five of them: 63 keys, so 200 look-ups must have found some.
            #expect(made < 200)
        }
    }

    /// An EMF document of one directive whose dimension names and values come from small pools, spelt in
    /// every way JSON allows (escapes, numbers, null, missing, names and values that run into each other).
    static func emfDocument(_ rng: inout SplitMix) -> String {
        let names = ["a", "ab", "b", "\\u0061", "LongDimensionNameOfMoreThanFifteen"]
        let values = ["\"bc\"", "\"c\"", "\"\"", "null", "1", "\"1\"", "\"\\u0063\"", "[1,2]", "{\"k\":\"v\"}", "\"ServiceValueOfMoreThanFifteenBytes\""]
        var members: [String] = []
        for name in names where rng.next() % 3 != 0 {
            members.append("\"\(name)\":\(values[Int(rng.next() % UInt64(values.count))])")
        }
        let sets = (0..<Int(rng.next() % 3)).map { _ in
            "[" + (0..<Int(rng.next() % 3)).map { _ in "\"\(names[Int(rng.next() % UInt64(names.count))])\"" }.joined(separator: ",") + "]"
        }
        let metric = rng.next() % 2 == 0 ? "LatencyOfTheCheckoutService" : "m"
        return "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[\(sets.joined(separator: ","))],"
            + "\"Metrics\":[{\"Name\":\"\(metric)\",\"Unit\":\"Count\"}]}]},\"\(metric)\":\(rng.next() % 100)"
            + (members.isEmpty ? "" : "," + members.joined(separator: ",")) + "}"
    }

    /// The metric samples of each event, by a recognizer that has seen the events before it, and by a new one.
    static func samplesSharedAndFresh(_ messages: [String]) -> (shared: [[MetricSample]], fresh: [[MetricSample]])? {
        let events = messages.enumerated().map { SubscriptionPayloadEncoder.Event(id: .string("\($0.offset)"), timestamp: 1, message: Array($0.element.utf8)) }
        var shared: [[MetricSample]] = [], fresh: [[MetricSample]] = []
        var recognizer = Recognizer()
        for event in events {
            guard let message = dataMessage([event]) else { return nil }
            var alone = Recognizer()
            shared.append(recognizer.recognize(message).records.compactMap { if case .metric(let m) = $0 { m } else { nil } })
            fresh.append(alone.recognize(message).records.compactMap { if case .metric(let m) = $0 { m } else { nil } })
        }
        return (shared, fresh)
    }

    /// Expects each message's samples found again to be those made anew, naming the first message whose
    /// samples differ (to read, rather than thirty messages' samples).
    static func expectSame(_ shared: [[MetricSample]], _ fresh: [[MetricSample]], messages: [String]) {
        #expect(shared.count == fresh.count)
        let differing = fresh.indices.first { shared[$0] != fresh[$0] }
        #expect(differing == nil, "\(differing.map { "message \($0): \(messages[$0])\nfound again: \(shared[$0])\nmade anew: \(fresh[$0])" } ?? "")")
    }

    @Test("EMF dimension sets found again are those the document's own names and values make")
    func emfDimensionSets() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let documents = (0..<30).map { _ in Self.emfDocument(&rng) }
            guard let (shared, fresh) = Self.samplesSharedAndFresh(documents) else {
                Issue.record("a generated payload did not decode")
                return
            }
            Self.expectSame(shared, fresh, messages: documents)
            #expect(fresh.joined().contains { !$0.dimensions.isEmpty })
        }
    }

    @Test("Datadog tags found again are those each line's own tags make")
    func datadogTags() async {
        let tags = ["\"a:b\"", "\"a\"", "\"\\u0061:b\"", "\"functionname:checkout-service-prod\"", "\"a:b:c\"", "\"b:\"", "1"]
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let lines = (0..<30).map { _ in
                let list = (0..<Int(rng.next() % 4)).map { _ in tags[Int(rng.next() % UInt64(tags.count))] }.joined(separator: ",")
                let name = rng.next() % 2 == 0 ? "aws.lambda.enhanced.invocations" : "m"
                return "{\"m\":\"\(name)\",\"v\":\(rng.next() % 9),\"e\":1,\"t\":[\(list)]}"
            }
            guard let (shared, fresh) = Self.samplesSharedAndFresh(lines) else {
                Issue.record("a generated payload did not decode")
                return
            }
            Self.expectSame(shared, fresh, messages: lines)
            #expect(fresh.joined().count == 30)
        }
    }

    @Test("New Relic's metric names made once are those each harvest names")
    func newRelicNames() throws {
        let harvests = try FormatCoverageTests.corpusMessages("newrelic.jsonl").filter { $0.contains("NR_LAMBDA_MONITORING") }
        try #require(harvests.count > 1)
        let samples = try #require(Self.samplesSharedAndFresh(harvests + harvests))
        #expect(samples.shared == samples.fresh)
        #expect(samples.fresh.joined().contains { $0.name.utf8.count > 15 })
    }
}
