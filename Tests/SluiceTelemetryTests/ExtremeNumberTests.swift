import SluicePipeline
import SluiceStore
import SluiceTelemetry
import Testing

/// `Fixtures/bad/extreme-numbers.json.gz`: a line of every shape the corpus holds, every number
/// in it 1e300, -1e300, Int64's ends or -1 (every run of digits of a text line huge, or 0). Converting such
/// numbers trapped in nine places, from Datadog's `"e": 1e300` to a report's interval before 1970, and lost
/// the whole batch.
@Suite("Extreme numbers")
struct ExtremeNumberTests {
    static let path = Pipeline.fixtures + "/bad/extreme-numbers.json.gz"

    @Test("every line is read, and every time and duration a record keeps is within RecordBounds")
    func recordsStayWithinBounds() throws {
        let records = try Pipeline.recognize([Self.path]).flatMap(\.records)
        #expect(records.count > 700, "every extreme line gave records")
        var checked = 0
        for record in records {
            for (field, milliseconds) in Self.milliseconds(of: record) {
                #expect(milliseconds >= 0 && milliseconds <= Double(RecordBounds.maxMilliseconds), "\(field) \(milliseconds) of \(record)")
                checked += 1
            }
            for (field, nanoseconds) in Self.nanoseconds(of: record) {
                #expect(nanoseconds >= 0 && nanoseconds < RecordBounds.nanosecondLimit, "\(field) \(nanoseconds) of \(record)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test("the aggregators and the batch take them, and the batch comes back from OTLP item for item")
    func batchSurvivesExport() throws {
        let messages = try Pipeline.recognize([Self.path])
        let functions = Pipeline.aggregatorFunctions(messages)
        #expect(functions.count == 1 && functions[0].invocations > 0)
        var metrics = MetricAggregator()
        for message in messages { metrics.add(message) }
        #expect(metrics.count > 20)
        let batch = Pipeline.batch(messages)
        #expect(batch.spans.count > 50 && batch.metrics.count > 50 && batch.invocations.count > 20)
        let (back, _) = try OTLPRoundTripTests.roundTrip(batch)
        #expect(differences(batch, back) == [])
    }

    @Test("counts a sender wrote at Int64's ends add up to its ends, in the aggregator and in a stored metric's windows")
    func countsSaturate() async throws {
        var aggregator = MetricAggregator()
        for count in [Int64.max, .max, 1] {
            aggregator.add(MetricSample(name: "huge", values: [], timestamp: 1_795_311_107_000, producer: .openTelemetry,
                                        histogram: HistogramPoint(count: count, sum: 1, min: 1, max: 1, bucketCounts: [], explicitBounds: [])))
        }
        #expect(aggregator.series.values.map(\.count) == [.max])
        var merged = aggregator
        merged.merge(aggregator)
        #expect(merged.series.values.map(\.count) == [.max])

        // Two rows a collector sent with count 2^64 - 1 (clamped to 2^63 - 1), in one window.
        let rows = (0..<2).map { index in
            MetricRow(key: "huge:\(index)", source: "otlp", name: "huge", timestampMs: 1_795_311_107_000 + Int64(index),
                      count: .max, sum: 1, min: 1, max: 1, logGroup: "/aws/lambda/huge")
        }
        try await SQLiteStoreTests.withStore { store, _ in
            _ = try await store.write(TelemetryBatch(metrics: rows))
            let series = try await TelemetryQuery(store: store).metric(name: "huge", sinceMs: nil, windowMs: 60_000)
            #expect(series.flatMap(\.points).map(\.count) == [.max])
        }
        #expect(Int64.min.saturatingAdding(-1) == .min && Int64(5).saturatingAdding(-7) == -2)
        #expect(Int64.max.saturatingMultiplied(by: 1000) == .max && Int64.min.saturatingMultiplied(by: 1000) == .min)
        #expect(Int64.min.saturatingMultiplied(by: -2) == .max && Int64(-7).saturatingMultiplied(by: 1000) == -7000)
    }

    @Test("the store's reads and its retention take any time as their bound; durations people type stop at 146 years")
    func storeBounds() async throws {
        let batch = Pipeline.batch(try Pipeline.recognize([Self.path]))
        try await SQLiteStoreTests.withStore { store, _ in
            _ = try await store.write(batch)
            for since in [Int64.min, -1, 0, .max] {
                // Multiplied into nanoseconds, the bounds trapped (`since=9223372036854775807ms` stopped serve).
                let traces = try await store.traces(sinceMs: since, failedOnly: false, limit: 1000)
                let clientSpans = try await store.clientSpans(sinceMs: since)
                #expect(since == .max ? traces.isEmpty && clientSpans.isEmpty : !traces.isEmpty, "since \(since)")
            }
            #expect(try await store.deleteOlder(thanMs: .min) == 0)
            #expect(try await store.deleteOlder(thanMs: .max) > 0)
            #expect(try await store.traces(sinceMs: nil, failedOnly: false, limit: 10).isEmpty)
        }
        #expect(DurationText.milliseconds("9223372036854775807ms") == nil && DurationText.milliseconds("9223372036854775807") == nil)
        #expect(DurationText.milliseconds("53000w") == nil)
        #expect(DurationText.milliseconds("7600w") == Int64(7600) * 604_800_000)
    }

    @Test("numbers in tables: any Double, either sign")
    func fixedNumbers() {
        #expect(ReplaySummary.fixed(1234.5678, 2) == "1234.57" && ReplaySummary.fixed(0.000_001, 8) == "0.00000100")
        #expect(ReplaySummary.fixed(-1.5, 2) == "-1.50" && ReplaySummary.fixed(-0.25, 3) == "-0.250" && ReplaySummary.fixed(-0.001, 2) == "0.00")
        // Converted to Int, these trapped.
        #expect(ReplaySummary.fixed(1e308, 3) == "1e+308" && ReplaySummary.fixed(-1e300, 2) == "-1e+300")
        #expect(ReplaySummary.fixed(.infinity, 3) == "inf" && ReplaySummary.fixed(-.infinity, 3) == "-inf")
        #expect(ReplaySummary.fixed(7, 0) == "7")
    }

    /// The times (since the epoch) and durations in milliseconds a record holds, by field.
    static func milliseconds(of record: RecognizedRecord) -> [(String, Double)] {
        switch record {
        case .report(let r):
            [("report.timestamp", Double(r.timestamp)), ("report.durationMs", r.durationMs)]
                + [("billed", r.billedDurationMs), ("init", r.initDurationMs), ("restore", r.restoreDurationMs), ("billedRestore", r.billedRestoreDurationMs)]
                .compactMap { name, value in value.map { ("report.\(name)DurationMs", $0) } }
        case .platform(let e): [("platform.timestamp", Double(e.timestamp))]
        case .log(let l): [("log.timestamp", Double(l.timestamp))]
        case .metric(let m): [("metric.timestamp", Double(m.timestamp))]
        case .invocation(let a): [("invocation.startTimestamp", Double(a.startTimestamp)), ("invocation.durationMs", a.durationMs)]
        case .span, .trace: []
        }
    }

    /// The times and durations in nanoseconds a record holds, by field (a span ending before its start has
    /// none: see `EndBeforeStartTests`).
    static func nanoseconds(of record: RecognizedRecord) -> [(String, Int64)] {
        switch record {
        case .span(let s): [("span.startNanos", s.startNanos), ("span.durationNanos", s.durationNanos), ("span.end", s.startNanos + s.durationNanos)]
        case .trace(let t): [("trace.startNanos", t.startNanos), ("trace.durationNanos", t.durationNanos), ("trace.end", t.startNanos + t.durationNanos)]
        default: []
        }
    }
}
