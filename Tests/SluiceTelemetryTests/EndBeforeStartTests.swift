import SluicePipeline
import SluiceTelemetry
import Testing

/// `Fixtures/bad/end-before-start.json`: spans and traces of every producer that writes a start and an end,
/// the two swapped. A local replay kept them with negative durations and `serve` refused them, so
/// forwarding stored less than replaying.
@Suite("Spans ending before they start")
struct EndBeforeStartTests {
    static let path = Pipeline.fixtures + "/bad/end-before-start.json"

    @Test("each is a zero-length span at its written start, and serve's decoder takes every one of them")
    func zeroLengthAndAccepted() throws {
        let messages = try Pipeline.recognize([Self.path])
        let records = messages.flatMap(\.records)
        let spans = records.compactMap { record -> SpanRecord? in if case .span(let span) = record { span } else { nil } }
        let traces = records.compactMap { record -> TraceRecord? in if case .trace(let trace) = record { trace } else { nil } }
        #expect(spans.count >= 8 && !traces.isEmpty)
        #expect(Set(spans.map(\.producer)) == [.openTelemetry, .thundra])
        for span in spans { #expect(span.durationNanos == 0 && span.startNanos > 0, "\(span.producer) \(span.name) \(span.durationNanos)") }
        for trace in traces { #expect(trace.durationNanos == 0 && trace.startNanos > 0, "\(trace.traceID) \(trace.durationNanos)") }

        let batch = Pipeline.batch(messages)
        #expect(batch.spans.count == spans.count)
        // The decoder `serve` runs: it refuses a span ending before its start (rejections are expected empty).
        let (back, _) = try OTLPRoundTripTests.roundTrip(batch)
        #expect(differences(batch, back) == [])
    }
}
