import PropertyBased
import Testing
@testable import SluicePipeline

@Suite("aggregation")
struct AggregationTests {
    static func recognized(_ set: String) throws -> [RecognizedMessage] {
        let root = TestPaths.corpus + "/streams/" + set
        var recognizer = Recognizer()
        var messages: [RecognizedMessage] = []
        for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
            for message in PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file).messages {
                messages.append(recognizer.recognize(message))
            }
        }
        messages += recognizer.finish()
        return messages
    }

    static func close(_ a: Double, _ b: Double?) -> Bool {
        guard let b else { return false }
        return abs(a - b) <= 1e-6 * max(1, abs(b))
    }

    @Test("per-function figures as every corpus stream's expected.json", arguments: NormalisationTests.allSets)
    func functions(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        var aggregator = FunctionAggregator()
        for message in try Self.recognized(set) { aggregator.add(message) }
        let functions = aggregator.functions()
        let reference = expected["functions"]?.objectValue ?? []
        #expect(functions.count == reference.count)
        for member in reference {
            guard let f = functions.first(where: { $0.logGroup == member.key }) else {
                Issue.record("\(set): no figures for \(member.key)")
                continue
            }
            let e = member.value
            let w = f.window
            #expect(Int64(f.invocations) == e["invocations"]?.int64Value, "\(set)")
            #expect(Int64(w.coldStarts) == e["cold_starts"]?.int64Value, "\(set)")
            #expect(Int64(f.errors) == e["errors"]?.int64Value, "\(set)")
            #expect(Int64(f.timeouts) == e["timeouts"]?.int64Value, "\(set)")
            #expect(Int64(w.outOfMemory.count) == e["out_of_memory"]?.int64Value, "\(set)")
            #expect(Int64(w.streams.count) == e["log_streams"]?.int64Value, "\(set)")
            #expect(w.duration.count == e["duration_ms"]?["count"]?.int64Value, "\(set)")
            #expect(Self.close(w.duration.sum, e["duration_ms"]?["sum"]?.doubleValue), "\(set)")
            #expect(Self.close(w.duration.min, e["duration_ms"]?["min"]?.doubleValue), "\(set)")
            #expect(Self.close(w.duration.max, e["duration_ms"]?["max"]?.doubleValue), "\(set)")
            #expect(Self.close(w.billedDurationSum, e["billed_duration_ms"]?["sum"]?.doubleValue), "\(set)")
            #expect(Self.close(w.maxMemoryUsed.max, e["max_memory_used_mb"]?["max"]?.doubleValue), "\(set)")
            #expect(w.initDuration.count == e["init_duration_ms"]?["count"]?.int64Value, "\(set)")
            #expect(Self.close(w.initDuration.sum, e["init_duration_ms"]?["sum"]?.doubleValue), "\(set)")
            #expect(w.estimatedCostUSD > 0)
        }
    }

    @Test("EMF and Datadog metric series and spans by source as expected.json", arguments: NormalisationTests.allSets)
    func metricsTracesLogs(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        var metrics = MetricAggregator()
        var traces = TraceAggregator()
        for message in try Self.recognized(set) {
            metrics.add(message)
            traces.add(message)
        }
        let emf = metrics.sorted.filter { $0.key.source == .embeddedMetricFormat }
        #expect(emf.count == (expected["emf_metrics"]?.arrayValue?.count ?? 0), "\(set)")
        for entry in expected["emf_metrics"]?.arrayValue ?? [] {
            let dimensions = (entry["dimensions"]?.arrayValue ?? []).map { DimensionPair(name: $0[0]?.stringValue ?? "", value: $0[1]?.stringValue ?? "") }
            let match = emf.first { $0.key.namespace == entry["namespace"]?.stringValue && $0.key.name == entry["metric"]?.stringValue && $0.key.dimensions == dimensions }
            #expect(match?.value.count == entry["count"]?.int64Value, "\(set): \(entry)")
            #expect(Self.close(match?.value.sum ?? .nan, entry["sum"]?.doubleValue), "\(set)")
        }
        var datadog: [String: (Int64, Double)] = [:]
        for (key, series) in metrics.sorted where key.source == .datadog {
            let old = datadog[key.name] ?? (0, 0)
            datadog[key.name] = (old.0 + series.count, old.1 + series.sum)
        }
        #expect(datadog.count == (expected["datadog_metrics"]?.objectValue?.count ?? 0), "\(set)")
        for member in expected["datadog_metrics"]?.objectValue ?? [] {
            #expect(datadog[member.key]?.0 == member.value["count"]?.int64Value, "\(set): \(member.key)")
            #expect(Self.close(datadog[member.key]?.1 ?? .nan, member.value["sum"]?.doubleValue), "\(set): \(member.key)")
        }
        #expect(traces.bySource.count == (expected["spans"]?.objectValue?.count ?? 0), "\(set)")
        for member in expected["spans"]?.objectValue ?? [] {
            let figures = traces.bySource.first { $0.key.rawValue == member.key }?.value
            #expect(Int64(figures?.spans ?? -1) == member.value["spans"]?.int64Value, "\(set): \(member.key)")
            #expect(Int64(figures?.traceIDs.count ?? -1) == member.value["trace_ids"]?.int64Value, "\(set): \(member.key)")
            #expect(Int64(figures?.errorSpans ?? -1) == member.value["error_spans"]?.int64Value, "\(set): \(member.key)")
        }
    }

    @Test("spans assemble into the expected traces; client calls make the service map", arguments: NormalisationTests.allSets)
    func traceAssembly(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        var assembler = TraceAssembler()
        var clientSpans = 0
        var spans = 0
        for message in try Self.recognized(set) {
            assembler.add(message)
            for case .span(let span) in message.records {
                spans += 1
                if span.kind == .client, TraceAssembler.peer(of: span) != nil { clientSpans += 1 }
            }
        }
        let traceIDs = (expected["spans"]?.objectValue ?? []).reduce(Int64(0)) { $0 + ($1.value["trace_ids"]?.int64Value ?? 0) }
        #expect(Int64(assembler.traces.count) == traceIDs, "\(set)")
        #expect(assembler.traces.values.reduce(0) { $0 + $1.spans.count } == spans, "\(set)")
        #expect(assembler.serviceMap.values.reduce(0) { $0 + $1.calls } == clientSpans, "\(set)")
        if spans > 0 {
            #expect(assembler.traces.values.allSatisfy { $0.root != nil && $0.durationNanos >= 0 }, "\(set)")
            // Every agent run called a local HTTP server; Thundra 2.0.2 records no span for it.
            if !set.hasPrefix("thundra-legacy") {
                #expect(clientSpans > 0, "\(set)")
                #expect(assembler.serviceMap.keys.contains { $0.to.hasPrefix("127.0.0.1") }, "\(set): \(assembler.serviceMap.keys)")
            }
        }
    }

    @Test("every record has an idempotency key: unique in a run, the same when the payload comes again")
    func idempotencyKeys() throws {
        var all: [String] = []
        for set in NormalisationTests.allSets {
            let first = try Self.recognized(set)
            let again = try Self.recognized(set)
            for (a, b) in zip(first, again) {
                #expect(a.keys.count == a.records.count, "\(set)")
                #expect(a.keys == b.keys, "\(set)")
            }
            all += first.flatMap(\.keys)
        }
        #expect(Set(all).count == all.count)
        #expect(all.count > 2_000)
    }

    @Test("keys kept as event ids give `<event id>:<n>` for every record, n counting within each event")
    func recordKeysFromEvents() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...4).array(of: 0...40), Gen.uint64()) { counts, seed in
            var rng = SplitMix(seed: seed)
            var keys = RecordKeys()
            var expected: [String] = []
            for (event, count) in counts.enumerated() {
                let id = "\(rng.next() % 1000)-\(event)"
                Array(id.utf8).withUnsafeBufferPointer { keys.append(id: $0, records: count) }
                expected += (0..<count).map { "\(id):\($0)" }
            }
            #expect(keys.strings == expected)
        }
    }

    @Test("a record's key is `<event id>:<n>`, as stores written before hold them")
    func recordKeySpelling() {
        for id in ["", "3773", "36745934882451583412311289112893722358916853421658128384", "é-ü"] {
            for n in [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, 9_999_999] {
                let key = Array(id.utf8).withUnsafeBufferPointer { RecordKeys.key($0, n) }
                #expect(key == "\(id):\(n)")
            }
        }
    }

    @Test("tail sampling keeps every failed and slow trace and a stable fraction of the rest")
    func sampling() throws {
        func trace(_ id: String, ms: Int64, error: Bool = false) -> AssembledTrace {
            var t = AssembledTrace(traceID: id)
            t.add(SpanRecord(traceID: id, spanID: "1", parentSpanID: nil, name: "f", startNanos: 0, durationNanos: ms * 1_000_000,
                             status: error ? .error(message: nil) : .unset, producer: .openTelemetry), function: "f")
            return t
        }
        var traces = (0..<10_000).map { trace(String($0, radix: 16), ms: 10) }
        traces.append(trace("failed", ms: 5, error: true))
        traces.append(trace("slow", ms: 500))
        let sampler = TailSampler(keepFraction: 0.1)
        let decision = sampler.decide(traces, p99ByFunction: ["f": 100])
        #expect(decision.keptForError == ["failed"])
        #expect(decision.keptAsSlow == ["slow"])
        #expect(decision.kept.count + decision.dropped == traces.count)
        #expect((800...1200).contains(decision.keptBySampling.count), "\(decision.keptBySampling.count)")
        #expect(sampler.decide(traces.reversed(), p99ByFunction: ["f": 100]) == decision)
        #expect(TailSampler(thresholdMs: 9, keepFraction: 0).decide(traces, p99ByFunction: [:]).keptAsSlow.count == 10_001)
        #expect(TailSampler(keepFraction: 1).decide(traces, p99ByFunction: [:]).dropped == 0)
    }

    @Test("the critical path follows, from the root, the child that ends last")
    func criticalPath() {
        func span(_ id: String, _ parent: String?, _ start: Int64, _ duration: Int64) -> SpanRecord {
            SpanRecord(traceID: "t", spanID: id, parentSpanID: parent, name: id, startNanos: start, durationNanos: duration, producer: .datadog)
        }
        var trace = AssembledTrace(traceID: "t")
        for s in [span("root", nil, 0, 100), span("a", "root", 5, 30), span("b", "root", 40, 55), span("b1", "b", 41, 10), span("b2", "b", 60, 30),
                  span("cycle", "cycle", 1, 1)] {
            trace.add(s, function: "f")
        }
        #expect(trace.criticalPath.map(\.name) == ["root", "b", "b2"])
        #expect(trace.root?.name == "root")
        #expect(trace.durationNanos == 100)
    }

    @Test("the trace store is bounded; what it drops is counted")
    func boundedTraces() throws {
        var assembler = TraceAssembler(maxTraces: 3)
        for message in try Self.recognized("datadog-lambda-text") { assembler.add(message) }
        #expect(assembler.traces.count == 3)
        #expect(assembler.droppedTraces == 3)
        #expect(TraceAssembler.host(of: "http://127.0.0.1:4000/items/42?x=1") == "127.0.0.1:4000")
        #expect(TraceAssembler.host(of: "127.0.0.1/items/42") == "127.0.0.1")
    }

    /// Gives every message to one of two sides (`true` the first), in any proportion and order of arrival:
    /// the first `split` messages mostly to the first side, the rest to the second.
    static func split(_ all: [RecognizedMessage], at split: Int, seed: UInt64, _ give: (Bool, RecognizedMessage) -> Void) {
        var rng = SplitMix(seed: seed)
        for (index, message) in all.enumerated() { give(index < split && rng.next() % 4 != 0, message) }
    }

    @Test("aggregates merge exactly: aggregate(a + b) == merge(aggregate(a), aggregate(b))")
    func mergeProperty() async throws {
        let all = try NormalisationTests.allSets.flatMap { try Self.recognized($0) }
        var whole = FunctionAggregator()
        for message in all { whole.add(message) }
        await propertyCheck(count: 30, input: Gen.int(in: 0...all.count), Gen.uint64()) { split, seed in
            var a = FunctionAggregator(), b = FunctionAggregator()
            Self.split(all, at: split, seed: seed) { $0 ? a.add($1) : b.add($1) }
            a.merge(b)
            #expect(a.windows.keys == whole.windows.keys)
            for (key, window) in whole.windows {
                guard let merged = a.windows[key] else { continue }
                #expect(Self.same(merged, window), "\(key)")
            }
        }
    }

    @Test("metric series merge exactly: aggregate(a + b) == merge(aggregate(a), aggregate(b))")
    func metricMergeProperty() async throws {
        let all = try NormalisationTests.allSets.flatMap { try Self.recognized($0) }
        var whole = MetricAggregator()
        for message in all { whole.add(message) }
        #expect(whole.series.count > 20)
        await propertyCheck(count: 30, input: Gen.int(in: 0...all.count), Gen.uint64()) { split, seed in
            var a = MetricAggregator(), b = MetricAggregator()
            Self.split(all, at: split, seed: seed) { $0 ? a.add($1) : b.add($1) }
            a.merge(b)
            let merged = a.series
            #expect(merged.count == whole.series.count)
            for (key, series) in whole.series {
                guard let other = merged[key] else {
                    Issue.record("series \(key.name) lost in the merge")
                    continue
                }
                #expect(other.count == series.count && other.min == series.min && other.max == series.max
                        && other.histogram.counts == series.histogram.counts && other.highResolution == series.highResolution, "\(key.name)")
                #expect(abs(other.sum - series.sum) <= 1e-9 * max(1, abs(series.sum)), "\(key.name)")
            }
        }
    }

    @Test("the metric series table finds what a dictionary of the keys' bytes finds, however many series")
    func metricTableAgreesWithDictionary() async throws {
        struct Bytes: Hashable {
            var source: Producer, namespace: [UInt8]?, name: [UInt8], unit: [UInt8]?, dimensions: [[UInt8]]
        }
        // Few letters, so that names repeat and differ by a byte; "é" precomposed and decomposed.
        let letters = ["a", "b", "é", "e\u{301}", "/", "Latency"]
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 1...600)) { seed, samples in
            var rng = SplitMix(seed: seed)
            func text(_ length: Int) -> String { (0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }.joined() }
            var aggregator = MetricAggregator()
            var reference: [Bytes: (count: Int64, sum: Double)] = [:]
            // Arrays shared by many samples, as recognition shares them, beside arrays made for one sample and
            // freed after it (whose storage the next array may reuse): the aggregator knows arrays by storage.
            let shared = (0..<3).map { _ in [Attribute(text(1), .string(text(1)))] }
            for _ in 0..<samples {
                let source: Producer = rng.next() % 2 == 0 ? .embeddedMetricFormat : .datadog
                let namespace = rng.next() % 3 == 0 ? nil : text(Int(rng.next() % 2))
                let name = text(1 + Int(rng.next() % 3))
                let unit = rng.next() % 2 == 0 ? nil : "Milliseconds"
                let dimensions = switch rng.next() % 3 {
                case 0: [Attribute]()
                case 1: [Attribute(text(1), .string(text(Int(rng.next() % 2))))]
                default: shared[Int(rng.next() % 3)]
                }
                let value = Double(rng.next() % 1000)
                aggregator.add(MetricSample(namespace: namespace, name: name, unit: unit, values: [value], dimensions: dimensions,
                                            timestamp: 0, producer: source))
                let key = Bytes(source: source, namespace: namespace.map { Array($0.utf8) }, name: Array(name.utf8), unit: unit.map { Array($0.utf8) },
                                dimensions: dimensions.flatMap { [Array($0.key.utf8), Array($0.value.text.utf8)] })
                reference[key, default: (0, 0)].count += 1
                reference[key, default: (0, 0)].sum += value
            }
            let found = aggregator.sorted
            #expect(found.count == reference.count)
            for (key, series) in found {
                let bytes = Bytes(source: key.source, namespace: key.namespace.map { Array($0.utf8) }, name: Array(key.name.utf8),
                                  unit: key.unit.map { Array($0.utf8) }, dimensions: key.dimensions.flatMap { [Array($0.name.utf8), Array($0.value.utf8)] })
                #expect(reference[bytes]?.count == series.count && reference[bytes]?.sum == series.sum, "\(key.name)")
            }
        }
    }

    /// Equal, but for the last bits of floating-point sums added in another order.
    static func same(_ x: FunctionWindow, _ y: FunctionWindow) -> Bool {
        var a = x, b = y
        let sums = [(a.duration.sum, b.duration.sum), (a.billedDurationSum, b.billedDurationSum), (a.initDuration.sum, b.initDuration.sum),
                    (a.estimatedCostUSD, b.estimatedCostUSD), (a.maxMemoryUsed.sum, b.maxMemoryUsed.sum)]
        guard sums.allSatisfy({ abs($0.0 - $0.1) <= 1e-9 * max(1, abs($0.1)) }) else { return false }
        a.billedDurationSum = 0; b.billedDurationSum = 0
        a.estimatedCostUSD = 0; b.estimatedCostUSD = 0
        return a.invocations == b.invocations && a.coldStarts == b.coldStarts && a.errors == b.errors && a.timeouts == b.timeouts
            && a.outOfMemory == b.outOfMemory && a.streams == b.streams && a.duration.counts == b.duration.counts
            && a.duration.offset == b.duration.offset && a.duration.count == b.duration.count && a.duration.min == b.duration.min
            && a.duration.max == b.duration.max && a.initDuration.counts == b.initDuration.counts && a.maxMemoryUsed.counts == b.maxMemoryUsed.counts
            && a.memorySizeMB == b.memorySizeMB && Set(a.agentOnly.keys) == Set(b.agentOnly.keys) && a.maxConcurrency == b.maxConcurrency
    }

    @Test("histogram quantiles are within 1 % of the true value; merging equals recording everything")
    func histogram() async {
        await propertyCheck(count: 200, input: Gen.double(in: 0.01...100_000).array(of: 1...300), Gen.int(in: 0...300)) { values, cut in
            var whole = ExponentialHistogram()
            for v in values { whole.record(v) }
            var left = ExponentialHistogram(), right = ExponentialHistogram()
            for (i, v) in values.enumerated() { if i < cut { left.record(v) } else { right.record(v) } }
            left.merge(right)
            #expect(left.counts == whole.counts && left.offset == whole.offset && left.count == whole.count)
            #expect(left.min == whole.min && left.max == whole.max)
            #expect(abs(left.sum - whole.sum) <= 1e-9 * whole.sum)
            let sorted = values.sorted()
            for q in [0.5, 0.9, 0.99] {
                let rank = max(1, Int((q * Double(values.count)).rounded(.up)))
                let truth = sorted[rank - 1]
                guard let estimate = whole.quantile(q) else {
                    Issue.record("no quantile")
                    continue
                }
                #expect(abs(estimate - truth) / truth <= 0.01, "q\(q): \(estimate) vs \(truth)")
            }
        }
    }

    @Test("bucket boundaries: a value lies in (upper(i-1), upper(i)]")
    func buckets() {
        let h = ExponentialHistogram()
        for value in [0.001, 0.5, 1, 1.0109, 2, 3, 1000, 619.31, 900_000] {
            let i = h.index(of: value)
            #expect(h.upperBound(of: i - 1) < value && value <= h.upperBound(of: i) * (1 + 1e-12), "\(value)")
        }
        #expect(h.index(of: 1) == -1)
        #expect(h.index(of: 2) == 63)
    }

    @Test("without platform reports, the agents' invocations are the figures; with them, they add nothing")
    func agentFallback() throws {
        for set in ["thundra-text", "newrelic-text", "datadog-lambda-text", "opentelemetry-sdk-text"] {
            let messages = try Self.recognized(set)
            var withReports = FunctionAggregator()
            var agentsOnly = FunctionAggregator()
            for message in messages {
                withReports.add(message)
                let kept = message.records.filter { if case .report = $0 { return false } else { return true } }
                agentsOnly.add(RecognizedMessage(stream: message.stream, records: kept))
            }
            let full = try #require(withReports.functions().first)
            let fallback = try #require(agentsOnly.functions().first)
            let agents = messages.flatMap(\.records).compactMap { if case .invocation(let a) = $0 { return a } else { return nil } }
            #expect(full.invocations == full.window.invocations, "\(set): reports win")
            #expect(fallback.invocations == Set(agents.compactMap(\.requestID)).count, "\(set)")
            #expect(fallback.duration.count == Int64(fallback.invocations), "\(set)")
            #expect(fallback.coldStarts == agents.filter { $0.coldStart == true }.count, "\(set)")
            #expect(fallback.errors >= agents.filter(\.failed).count, "\(set)")
        }
    }

    @Test("concurrency: the most invocations in flight at once")
    func concurrency() throws {
        var window = FunctionWindow()
        window.concurrency = ConcurrencyProfile([0...10, 5...15, 10...20, 12...13, 30...40])
        #expect(window.maxConcurrency == 3)
        var aggregator = FunctionAggregator()
        for message in try Self.recognized("thundra-text") { aggregator.add(message) }
        let function = try #require(aggregator.functions().first)
        // Four execution environments: never more than four invocations at once, and some overlap.
        #expect((1...4).contains(function.window.maxConcurrency))
    }

    @Test("cost: requests plus GB-seconds, by architecture")
    func cost() {
        let prices = PriceTable.default
        #expect(abs(prices.cost(billedMs: 1000, memoryMB: 1024, architecture: .x86_64) - (0.0000002 + 0.0000166667)) < 1e-12)
        #expect(abs(prices.cost(billedMs: 1000, memoryMB: 1024, architecture: .arm64) - (0.0000002 + 0.0000133334)) < 1e-12)
        #expect(AggregationConfiguration(windowMilliseconds: 10).validate().count == 1)
    }
}
