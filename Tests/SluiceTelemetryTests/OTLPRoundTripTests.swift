import Foundation
import SluiceOTLP
import SluicePipeline
import SluiceTelemetry
import SwiftProtobuf
import Testing

@Suite("OTLP encoding")
struct OTLPRoundTripTests {
    static func roundTrip(_ batch: TelemetryBatch) throws -> (TelemetryBatch, derivedSkipped: Int) {
        let encoder = OTLPEncoder()
        let decoder = OTLPDecoder()
        let traces = try OTLPTraceRequest(serializedBytes: encoder.traces(batch))
        let logs = try OTLPLogsRequest(serializedBytes: encoder.logs(batch))
        let metrics = try OTLPMetricsRequest(serializedBytes: encoder.metrics(batch))
        // Canonical: what the generated types write back for what they read is what Sluice wrote.
        #expect(try traces.serializedBytes() == encoder.traces(batch))
        #expect(try logs.serializedBytes() == encoder.logs(batch))
        #expect(try metrics.serializedBytes() == encoder.metrics(batch))
        var out = TelemetryBatch()
        var skipped = 0
        for outcome in [decoder.traces(traces), decoder.logs(logs), decoder.metrics(metrics)] {
            #expect(outcome.rejected.isEmpty, "\(outcome.rejected)")
            out.append(outcome.batch)
            skipped += outcome.derivedSkipped
        }
        return (out, skipped)
    }

    @Test("decode inverts encode: every fixture's batch comes back from protobuf bytes item for item")
    func fixturesRoundTrip() throws {
        let files = try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads")
        #expect(files.count > 30)
        let batch = Pipeline.batch(try Pipeline.recognize(files))
        #expect(batch.spans.count > 100 && batch.logs.count > 100 && batch.invocations.count > 50 && batch.metrics.count > 20)
        let (back, skipped) = try Self.roundTrip(batch)
        #expect(skipped > 0, "the derived faas.* metrics are sent and recognised as derived")
        #expect(differences(batch, back) == [])
    }

    @Test("decode inverts encode on every corpus stream set", arguments: Pipeline.streamSets)
    func corpusRoundTrip(_ set: String) throws {
        let batch = Pipeline.batch(try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/" + set)))
        #expect(!batch.isEmpty)
        let (back, _) = try Self.roundTrip(batch)
        #expect(differences(batch, back) == [])
    }

    @Test("resources carry OpenTelemetry's semantic conventions; spans carry 16- and 8-byte ids")
    func conventions() throws {
        let batch = Pipeline.batch(try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/thundra-json")))
        let request = try OTLPTraceRequest(serializedBytes: OTLPEncoder().traces(batch))
        let resource = try #require(request.resourceSpans.first).resource
        let keys = Set(resource.attributes.map(\.key))
        #expect(keys.isSuperset(of: ["cloud.provider", "cloud.platform", "cloud.account.id", "faas.name", "service.name", "aws.log.group.names"]))
        let spans = request.resourceSpans.flatMap(\.scopeSpans).flatMap(\.spans)
        #expect(!spans.isEmpty)
        #expect(spans.allSatisfy { $0.traceID.count == 16 && $0.spanID.count == 8 && ($0.parentSpanID.isEmpty || $0.parentSpanID.count == 8) })
        // Thundra's UUID span ids are hashed; the original stays as an attribute and parents still resolve.
        #expect(spans.contains { $0.attributes.contains { $0.key == "sluice.source_span_id" } })
        let ids = Set(spans.map(\.spanID))
        #expect(spans.filter { !$0.parentSpanID.isEmpty }.allSatisfy { ids.contains($0.parentSpanID) })
    }

    @Test("points sharing dimensions, a namespace or a source, or only some of them, each come back with their own")
    func sharedPointAttributes() throws {
        // Dimensions sorted by key, as rows hold them. Equal names stored apart, shared arrays and strings,
        // small and large strings, none at all, and more combinations than the encoder keeps encoded at once,
        // so that old ones are written again.
        let long = String(repeating: "ServerlessAirline", count: 3)
        let namespaces: [String?] = [nil, "Orders", long, String(long.reversed().reversed()), long + "2"]
        let sources = ["emf", "datadog", String(repeating: "producer-", count: 3)]
        let dimensions: [[Attribute]] = [[], [Attribute("service", .string("orders"))],
                                         [Attribute("count", .int(3)), Attribute("ok", .bool(true)), Attribute("service", .string("orders"))],
                                         [Attribute("service", .string(long))]]
        let rows = (0..<120).map { index in
            MetricRow(key: "event:\(index)", source: sources[index / 3 % sources.count], namespace: namespaces[index % namespaces.count],
                      name: "m\(index % 4)", unit: index % 2 == 0 ? "Count" : nil, dimensions: dimensions[index / 2 % dimensions.count],
                      timestampMs: 1_795_311_107_000 + Int64(index), count: 1, sum: Double(index), min: Double(index), max: Double(index),
                      logGroup: "/aws/lambda/orders")
        }
        let batch = TelemetryBatch(metrics: rows)
        let (back, _) = try Self.roundTrip(batch)
        #expect(differences(batch, back) == [])
        #expect(back.metrics.count == rows.count)
    }

    @Test("the derived faas.* window metrics count what the aggregator counts, agents' invocations and reports together",
          arguments: Pipeline.streamSets)
    func derivedMetrics(_ set: String) throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/" + set))
        let functions = Pipeline.aggregatorFunctions(messages)
        let request = try OTLPMetricsRequest(serializedBytes: OTLPEncoder(windowMilliseconds: 86_400_000 * 365).metrics(Pipeline.batch(messages)))
        let derived = request.resourceMetrics.flatMap(\.scopeMetrics).filter { $0.scope.name == "sluice.faas" }.flatMap(\.metrics)
        func total(_ name: String) -> Int64 {
            derived.filter { $0.name == name }.flatMap(\.sum.dataPoints).reduce(0) { $0 + $1.asInt }
        }
        #expect(total("faas.invocations") == Int64(functions.reduce(0) { $0 + $1.invocations }))
        #expect(total("faas.errors") == Int64(functions.reduce(0) { $0 + $1.errors }))
        #expect(total("faas.coldstarts") == Int64(functions.reduce(0) { $0 + $1.coldStarts }))
        let concurrency = derived.filter { $0.name == "sluice.faas.concurrency" }.flatMap(\.gauge.dataPoints).map(\.asInt)
        #expect(concurrency.max() == Int64(functions.map(\.window.maxConcurrency).max() ?? -1))
        let durations = derived.filter { $0.name == "faas.invoke_duration" }.flatMap(\.exponentialHistogram.dataPoints)
        #expect(durations.reduce(0) { $0 + $1.count } == UInt64(functions.reduce(0) { $0 + $1.duration.count }))
        #expect(durations.allSatisfy { $0.scale == 6 && $0.positive.bucketCounts.reduce(0, +) + $0.zeroCount == $0.count })
    }

    @Test("an invocation is counted once in the derived metrics whichever of its report and its agent record comes first")
    func derivedReportBeforeAgent() throws {
        func row(_ id: String, _ source: InvocationRow.Source, end: Int64, flags: InvocationFlags = []) -> InvocationRow {
            InvocationRow(key: "\(id):\(source)", owner: "123456789012", logGroup: "/aws/lambda/orders", function: "orders", logStream: "s",
                          requestID: id, source: source, producer: source == .agent ? "thundra" : nil, startMs: end - 10, endMs: end,
                          durationMs: 10, billedDurationMs: source == .report ? 10 : nil, memorySizeMB: 128, flags: flags)
        }
        // a: report, then agent; b: agent, then report; c: the agent alone; d: a report alone, failed.
        let rows = [row("a", .report, end: 1_795_311_100_000), row("a", .agent, end: 1_795_311_100_000, flags: .failed),
                    row("b", .agent, end: 1_795_311_101_000), row("b", .report, end: 1_795_311_101_000),
                    row("c", .agent, end: 1_795_311_102_000, flags: .failed), row("d", .report, end: 1_795_311_103_000, flags: .failed)]
        let request = try OTLPMetricsRequest(serializedBytes: OTLPEncoder().metrics(TelemetryBatch(invocations: rows)))
        let derived = request.resourceMetrics.flatMap(\.scopeMetrics).filter { $0.scope.name == "sluice.faas" }.flatMap(\.metrics)
        func total(_ name: String) -> Int64 { derived.filter { $0.name == name }.flatMap(\.sum.dataPoints).reduce(0) { $0 + $1.asInt } }
        let summary = try #require(FunctionRollup.summaries(environments: [], invocations: rows).first)
        #expect(total("faas.invocations") == 4 && summary.invocations == 4)
        #expect(total("faas.errors") == 2 && summary.errors == 2)
        let durations = derived.filter { $0.name == "faas.invoke_duration" }.flatMap(\.exponentialHistogram.dataPoints)
        #expect(durations.reduce(0) { $0 + $1.count } == 4)

        // Past the ids a window holds one by one, an agent's record after its report still adds no duration.
        let many = (0...RequestIDSet.exactLimit).map { row("r\($0)", .report, end: 1_795_311_100_000) }
            + [row("r5", .agent, end: 1_795_311_100_000), row("x", .agent, end: 1_795_311_100_000)]
        let manyRequest = try OTLPMetricsRequest(serializedBytes: OTLPEncoder().metrics(TelemetryBatch(invocations: many)))
        let manyDurations = manyRequest.resourceMetrics.flatMap(\.scopeMetrics).flatMap(\.metrics)
            .filter { $0.name == "faas.invoke_duration" }.flatMap(\.exponentialHistogram.dataPoints)
        #expect(manyDurations.reduce(0) { $0 + $1.count } == UInt64(RequestIDSet.exactLimit + 2))
    }

    @Test("the derived windows group a batch's rows by function and window however they interleave, functions by log group and account")
    func derivedWindowsInterleaved() throws {
        // Two accounts' functions of one log group and a second log group, four windows, the rows of all of
        // them interleaved; every row's log group stored apart, so that equal names are not the same string.
        let functions = [("222222222222", "orders-api"), ("111111111111", "orders-api"), ("111111111111", "billing-api")]
        let firstWindow: Int64 = 1_795_311_060_000
        let rows = (0..<96).map { index -> InvocationRow in
            let (owner, name) = functions[index % 3]
            let source: InvocationRow.Source = [.report, .agent, .report, .marker][index / 3 % 4]
            let end = firstWindow + Int64(index * 7 % 4) * 60_000 + Int64(index)
            return InvocationRow(key: "e\(index):0", owner: owner, logGroup: "/aws/lambda/\(name)", function: name, logStream: "s",
                                 requestID: "request-\(index % 37)", source: source, producer: source == .agent ? "thundra" : nil,
                                 startMs: end - 40, endMs: end, durationMs: 40, billedDurationMs: source == .report ? 40 : nil,
                                 initDurationMs: index % 11 == 0 ? 120 : nil, flags: index % 5 == 0 ? .failed : [])
        }
        let request = try OTLPMetricsRequest(serializedBytes: OTLPEncoder().metrics(TelemetryBatch(invocations: rows)))
        var seen: [(owner: String, logGroup: String, start: Int64)] = []
        for resourceMetrics in request.resourceMetrics where resourceMetrics.scopeMetrics.first?.scope.name == "sluice.faas" {
            let attributes = resourceMetrics.resource.attributes
            let owner = try #require(attributes.first { $0.key == "cloud.account.id" }).value.stringValue
            let logGroup = try #require(attributes.first { $0.key == "aws.log.group.names" }?.value.arrayValue.values.first).stringValue
            // A window's metrics each hold its one point.
            func points(_ name: String) -> [Opentelemetry_Proto_Metrics_V1_NumberDataPoint] {
                resourceMetrics.scopeMetrics.flatMap(\.metrics).filter { $0.name == name }.flatMap(\.sum.dataPoints)
            }
            for point in points("faas.invocations") {
                let start = Int64(point.startTimeUnixNano / 1_000_000)
                seen.append((owner, logGroup, start))
                let expected = try #require(FunctionRollup.summaries(environments: [], invocations: rows.filter {
                    $0.owner == owner && $0.logGroup == logGroup && $0.endMs / 60_000 * 60_000 == start
                }).first)
                let errors = points("faas.errors").first { $0.startTimeUnixNano == point.startTimeUnixNano }
                let coldStarts = points("faas.coldstarts").first { $0.startTimeUnixNano == point.startTimeUnixNano }
                #expect(point.asInt == Int64(expected.invocations) && errors?.asInt == Int64(expected.errors)
                        && coldStarts?.asInt == Int64(expected.coldStarts), "\(owner) \(logGroup) \(start)")
            }
        }
        // Each function's four windows once: functions by log group, then account; a function's windows by start.
        let order = functions.map { ($0.0, "/aws/lambda/\($0.1)") }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        let expected = order.flatMap { function in (0..<4).map { (function.0, function.1, firstWindow + Int64($0) * 60_000) } }
        #expect(seen.map { "\($0.owner) \($0.logGroup) \($0.start)" } == expected.map { "\($0.0) \($0.1) \($0.2)" })
    }

    @Test("items another sender got wrong are rejected one by one, naming where, and the rest are kept")
    func rejectsBadIDs() throws {
        var request = OTLPTraceRequest()
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        var good = Opentelemetry_Proto_Trace_V1_Span()
        good.traceID = Data(repeating: 1, count: 16)
        good.spanID = Data(repeating: 2, count: 8)
        good.name = "good"
        good.startTimeUnixNano = 1
        good.endTimeUnixNano = 5
        var shortTrace = good
        shortTrace.traceID = Data(repeating: 1, count: 8)
        var backwards = good
        backwards.endTimeUnixNano = 0
        scope.spans = [shortTrace, good, backwards]
        resourceSpans.scopeSpans = [scope]
        request.resourceSpans = [resourceSpans]
        let outcome = OTLPDecoder().traces(request)
        #expect(outcome.batch.spans.map(\.span.name) == ["good"])
        #expect(outcome.rejected == [
            .invalidTraceID(signal: "traces", path: "resourceSpans[0].scopeSpans[0].spans[0]", byteCount: 8),
            .negativeDuration(path: "resourceSpans[0].scopeSpans[0].spans[2]", startNanos: 1, endNanos: 0),
        ])
        #expect(outcome.batch.spans[0].function == "unknown_service")
    }
}
