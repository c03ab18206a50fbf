import Testing
import SluicePipeline
@testable import SluiceTelemetry

/// The batch rows' public initialisers hand their arguments to the synthesised memberwise ones, whose labels
/// come in another order (the first stored property moved to the front): every argument must still land in
/// its own field, and the fields the public initialiser does not take keep their defaults.
@Suite("row initialisers")
struct RowInitialiserTests {
    let attributes = [Attribute("k", .string("v"))]

    @Test("a metric row puts every argument in its own field")
    func metricRow() {
        let row = MetricRow(key: "k", source: "s", namespace: "ns", name: "n", unit: "u", dimensions: attributes, timestampMs: 1,
                            count: 2, sum: 3, min: 4, max: 5, logGroup: "g")
        #expect(row.key == "k" && row.source == "s" && row.namespace == "ns" && row.name == "n" && row.unit == "u")
        #expect(row.dimensions == attributes && row.timestampMs == 1 && row.count == 2 && row.sum == 3 && row.min == 4 && row.max == 5)
        #expect(row.logGroup == "g")
        let bare = MetricRow(key: "k", source: "s", name: "n", timestampMs: 1, count: 0, sum: 0, min: 0, max: 0, logGroup: "g")
        #expect(bare.namespace == nil && bare.unit == nil && bare.dimensions.isEmpty)
    }

    @Test("a log row puts every argument in its own field")
    func logRow() {
        let row = LogRow(key: "k", timestampMs: 1, severity: .warn, body: "b", requestID: "r", traceID: "t", spanID: "p",
                         attributes: attributes, source: "s", owner: "o", logGroup: "g", logStream: "l", function: "f")
        #expect(row.key == "k" && row.timestampMs == 1 && row.severity == .warn && row.body == "b" && row.requestID == "r")
        #expect(row.traceID == "t" && row.spanID == "p" && row.attributes == attributes && row.source == "s" && row.owner == "o")
        #expect(row.logGroup == "g" && row.logStream == "l" && row.function == "f")
        let bare = LogRow(key: "k", timestampMs: 1, severity: nil, body: "b", source: "s", owner: "o", logGroup: "g", logStream: "l", function: "f")
        #expect(bare.requestID == nil && bare.traceID == nil && bare.spanID == nil && bare.attributes.isEmpty)
    }

    @Test("a span row puts every argument in its own field")
    func spanRow() {
        let span = SpanRecord(traceID: "t", spanID: "s", parentSpanID: nil, name: "n", startNanos: 1, durationNanos: 2, producer: .datadog)
        let row = SpanRow(span: span, owner: "o", logGroup: "g", function: "f")
        #expect(row.span == span && row.owner == "o" && row.logGroup == "g" && row.function == "f")
    }

    @Test("an invocation row puts every argument in its own field, the others at their defaults")
    func invocationRow() {
        let row = InvocationRow(key: "k", owner: "o", logGroup: "g", function: "f", logStream: "l", requestID: "r", source: .agent,
                                producer: "p", startMs: 1, endMs: 2, durationMs: 3, billedDurationMs: 4, memorySizeMB: 5, maxMemoryUsedMB: 6,
                                initDurationMs: 7, coldStart: true, errorType: "e", flags: .timedOut, costUSD: 8, traceID: "t")
        #expect(row.key == "k" && row.owner == "o" && row.logGroup == "g" && row.function == "f" && row.logStream == "l")
        #expect(row.requestID == "r" && row.source == .agent && row.producer == "p" && row.startMs == 1 && row.endMs == 2)
        #expect(row.durationMs == 3 && row.billedDurationMs == 4 && row.memorySizeMB == 5 && row.maxMemoryUsedMB == 6)
        #expect(row.initDurationMs == 7 && row.coldStart && row.errorType == "e" && row.flags == .timedOut && row.costUSD == 8)
        #expect(row.traceID == "t")
        let bare = InvocationRow(key: "k", owner: "o", logGroup: "g", function: "f", logStream: "l", requestID: "r", source: .report,
                                 startMs: 1, endMs: 2)
        #expect(bare.producer == nil && bare.durationMs == nil && bare.billedDurationMs == nil && bare.memorySizeMB == nil)
        #expect(bare.maxMemoryUsedMB == nil && bare.initDurationMs == nil && !bare.coldStart && bare.errorType == nil)
        #expect(bare.flags.isEmpty && bare.costUSD == nil && bare.traceID == nil)
    }
}
