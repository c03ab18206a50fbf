import Testing
@testable import SluicePipeline

/// The records' public initialisers hand their arguments to the synthesised memberwise ones, whose labels
/// come in another order (the first stored property moved to the front): every argument must still land in
/// its own field, and the fields the public initialiser does not take keep their defaults.
@Suite("record initialisers")
struct RecordInitialiserTests {
    @Test("the public initialisers put every argument in its own field, the others at their defaults")
    func publicInitialisers() {
        let dimensions = [Attribute("scope", .string("s"))]
        let histogram = HistogramPoint(count: 3, sum: 4, min: 1, max: 2, bucketCounts: [], explicitBounds: [])
        let sample = MetricSample(namespace: "ns", name: "n", unit: "u", values: [1, 2], dimensions: dimensions, timestamp: 7,
                                  producer: .datadog, histogram: histogram, storageResolution: 1)
        #expect(sample.namespace == "ns" && sample.name == "n" && sample.unit == "u" && sample.values == [1, 2])
        #expect(sample.dimensions == dimensions && sample.timestamp == 7 && sample.producer == .datadog)
        #expect(sample.histogram == histogram && sample.storageResolution == 1)
        let bare = MetricSample(name: "m", values: [3], timestamp: 8, producer: .thundra)
        #expect(bare.namespace == nil && bare.unit == nil && bare.dimensions.isEmpty && bare.histogram == nil && bare.storageResolution == nil)

        let attributes = [Attribute("k", .int(1))]
        let log = LogRecord(timestamp: 9, severity: .warn, body: "b", requestID: "r", traceID: "t", spanID: "s", attributes: attributes,
                            source: .powertoolsLog)
        #expect(log.timestamp == 9 && log.severity == .warn && log.body == "b" && log.requestID == "r")
        #expect(log.traceID == "t" && log.spanID == "s" && log.attributes == attributes && log.source == .powertoolsLog)
        #expect(!log.isUnhandledError)

        let span = SpanRecord(traceID: "t", spanID: "s", parentSpanID: "p", name: "n", kind: .client, startNanos: 10, durationNanos: 11,
                              status: .error(message: "m"), attributes: attributes, producer: .newRelic, requestID: "r")
        #expect(span.traceID == "t" && span.spanID == "s" && span.parentSpanID == "p" && span.name == "n" && span.kind == .client)
        #expect(span.startNanos == 10 && span.durationNanos == 11 && span.status == .error(message: "m"))
        #expect(span.attributes == attributes && span.producer == .newRelic && span.requestID == "r")

        let invocation = AgentInvocation(requestID: "r", producer: .thundra, startTimestamp: 12, durationMs: 13, coldStart: true,
                                         failed: true, timedOut: true)
        #expect(invocation.requestID == "r" && invocation.producer == .thundra && invocation.startTimestamp == 12)
        #expect(invocation.durationMs == 13 && invocation.coldStart == true && invocation.failed && invocation.timedOut)
        #expect(invocation.errorType == nil && invocation.errorMessage == nil && invocation.traceID == nil)
        #expect(invocation.xrayTraceID == nil && invocation.transactionID == nil)

        let report = InvocationReport(requestID: "r", timestamp: 14, durationMs: 15, status: .timeout)
        #expect(report.requestID == "r" && report.timestamp == 14 && report.durationMs == 15 && report.status == .timeout)
        #expect(report.billedDurationMs == nil && report.initDurationMs == nil && report.errorType == nil && report.traceID == nil)
        #expect(InvocationReport(requestID: "r", timestamp: 1, durationMs: 2).status == .success)

        let event = PlatformEvent(kind: .timeout(afterSeconds: 3), requestID: "r", timestamp: 16)
        #expect(event.kind == .timeout(afterSeconds: 3) && event.requestID == "r" && event.timestamp == 16)
    }
}
