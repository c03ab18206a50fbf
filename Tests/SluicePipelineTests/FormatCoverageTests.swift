import Testing
@testable import SluicePipeline

/// Records FORMATS.md names that the stream sets' expected.json does not count: New Relic's metric data,
/// OTLP/JSON logs and metrics, EMF's storage resolution, SnapStart's RESTORE_ lines.
@Suite("format coverage beyond expected.json")
struct FormatCoverageTests {
    static func recognize(_ messages: [String]) throws -> [RecognizedRecord] {
        let events = messages.enumerated().map { SubscriptionPayloadEncoder.Event(id: .string("e\($0.offset)"), timestamp: 1_795_311_100_000, message: Array($0.element.utf8)) }
        var recognizer = Recognizer()
        return recognizer.recognize(try #require(dataMessage(events))).records
    }

    static func corpusMessages(_ file: String) throws -> [String] {
        try TestPaths.read(TestPaths.corpus + "/lines/" + file).split(separator: UInt8(ascii: "\n")).compactMap {
            try JSONValue.parse($0)["message"]?.stringValue
        }
    }

    @Test("New Relic metric_data: one aggregated point per metric, with count, total, min and max")
    func newRelicMetrics() throws {
        let lines = try Self.corpusMessages("newrelic.jsonl").filter { $0.hasPrefix("[1,\"NR_LAMBDA_MONITORING\"") }
        #expect(!lines.isEmpty)
        let metrics = try Self.recognize(lines).compactMap { record -> MetricSample? in
            if case .metric(let sample) = record { return sample } else { return nil }
        }
        #expect(metrics.count > lines.count, "every payload of the corpus carries metric data")
        #expect(metrics.allSatisfy { $0.producer == .newRelic && $0.histogram != nil })
        #expect(!metrics.contains { $0.name.hasPrefix("Supportability/") }, "the agent's own metrics are left out")
        let custom = try #require(metrics.first { $0.name == "Custom/OrderValue" })
        let point = try #require(custom.histogram)
        #expect(point.count >= 1 && point.min! <= point.max! && point.sum > 0)
        #expect(custom.timestamp > 1_700_000_000_000)
        let transaction = try #require(metrics.first { $0.name.hasPrefix("WebTransaction/Function/") })
        #expect((transaction.histogram?.sum ?? 0) > 0, "transaction time in seconds")
        #expect(metrics.contains { $0.dimensions.contains { $0.key == "scope" } }, "scoped metrics keep their scope")
    }

    @Test("a JSON platform.report takes its trace id from the tracing header's Root and Sampled from its flag")
    func platformReportTracing() throws {
        func report(_ header: String) throws -> InvocationReport {
            let line = #"{"time":"2026-11-22T01:30:00.078Z","type":"platform.report","record":{"requestId":"r1","metrics":{"durationMs":1.5},"#
                + #""tracing":{"spanId":"35465b3a9e2f7c6a","type":"X-Amzn-Trace-Id","value":"\#(header)"},"status":"success"}}"#
            let records = try Self.recognize([line])
            guard case .report(let report) = try #require(records.first) else { throw RecordMismatch() }
            return report
        }
        let sampled = try report("Root=1-6352a70e-1e2c502e358361800241fd45;Parent=35465b3a9e2f7c6a;Sampled=1")
        #expect(sampled.traceID == "6352a70e1e2c502e358361800241fd45")
        #expect(sampled.sampled == true)
        #expect(sampled.segmentID == "35465b3a9e2f7c6a")
        let unsampled = try report("Parent=35465b3a9e2f7c6a;Sampled=0;Root=1-6352A70E-1E2C502E358361800241FD45")
        #expect(unsampled.traceID == "6352a70e1e2c502e358361800241fd45")
        #expect(unsampled.sampled == false)
    }

    struct RecordMismatch: Error {}

    @Test("New Relic span events: the intrinsics the span holds are not repeated as attributes; errors and request ids are found")
    func newRelicSpans() throws {
        let lines = try Self.corpusMessages("newrelic.jsonl").filter { $0.hasPrefix("[1,\"NR_LAMBDA_MONITORING\"") }
        let spans = try Self.recognize(lines).compactMap { record -> SpanRecord? in
            if case .span(let span) = record { return span } else { return nil }
        }
        #expect(spans.count >= lines.count)
        let intrinsics: Set<String> = ["traceId", "guid", "parentId", "name", "timestamp", "duration"]
        #expect(spans.allSatisfy { span in span.producer == .newRelic && !span.attributes.contains { intrinsics.contains($0.key) } })
        #expect(spans.allSatisfy { span in span.attributes.contains { $0.key == "type" } }, "other intrinsics stay attributes")
        #expect(spans.contains { $0.requestID != nil })
        // A failed span carries its error class as an attribute and its message as the status.
        for span in spans where span.attributes.contains(where: { $0.key == "error.class" }) {
            guard case .error = span.status else {
                Issue.record("span \(span.name) names an error class but is not failed")
                continue
            }
        }
        #expect(spans.contains { if case .error = $0.status { true } else { false } }, "the corpus has failed invocations")
    }

    @Test("Thundra's fields, found in one pass: a record's own first, then its Composite line's; the last of duplicates; escaped keys")
    func thundraFields() throws {
        let line = #"{"type":"Composite","dataModelVersion":"2.0","data":{"type":"Composite","logLevel":"WARN","traceId":"common","allMonitoringData":["#
            + #"{"type":"Log","logMessage":"first","logMessage":"second","logTimestamp":1795311069916},"#
            + #"{"type":"Log","log\u004cevel":"ERROR","logMessage":"own level","traceId":"own","logTimestamp":1795311069917},"#
            + #"{"type":"Metric","metricName":"g","metrics":{"a":1,"b":2.5},"metricTimestamp":1795311069918}]}}"#
        let records = try Self.recognize([line])
        let logs = records.compactMap { record -> LogRecord? in if case .log(let log) = record { log } else { nil } }
        #expect(logs.map(\.body.string) == ["second", "own level"])
        #expect(logs.map(\.severity) == [.warn, .error], "the Composite's level where the record has none; an escaped key is its name")
        #expect(logs.map(\.traceID) == ["common", "own"])
        #expect(logs.map(\.timestamp) == [1_795_311_069_916, 1_795_311_069_917])
        let metrics = records.compactMap { record -> MetricSample? in if case .metric(let sample) = record { sample } else { nil } }
        #expect(metrics.map(\.name) == ["a", "b"] && metrics.map(\.values) == [[1], [2.5]] && metrics.allSatisfy { $0.namespace == "g" })
        // Keys are told apart by length first: every field's name must find it, and nothing else.
        for field in ThundraRecognizer.Field.allCases {
            #expect(field.name.withUTF8Buffer { ThundraRecognizer.Field(Bytes($0)) } == field, "\(field.name)")
        }
        #expect(StaticString("logs").withUTF8Buffer { ThundraRecognizer.Field(Bytes($0)) } == nil)
    }

    /// Powertools Logger records are read in one pass over their members: every field lands where it did when
    /// each was looked up, renamed keys get OpenTelemetry's names, and the last of duplicate keys wins.
    @Test("Powertools Logger: own fields, renamed keys, the rest as attributes, last duplicate wins")
    func powertoolsFields() throws {
        let line = try #require(try Self.corpusMessages("aws-lambda-powertools.jsonl").first { $0.contains("\"exception_name\"") })
        let duplicated = #"{"level":"INFO","location":"a:1","message":"first","timestamp":"2026-11-22 01:31:27,229+0000","service":"s","level":"WARNING","message":"second","k\u00e9y":1}"#
        let logs = try Self.recognize([line, duplicated]).compactMap { record -> LogRecord? in
            if case .log(let log) = record { return log } else { return nil }
        }
        #expect(logs.count == 2)
        let log = try #require(logs.first)
        let attributes = Dictionary(log.attributes.map { ($0.key, $0.value.text) }, uniquingKeysWith: { a, _ in a })
        #expect(log.source == .powertoolsLog && log.severity == SluicePipeline.Severity.error && log.body.string == "could not parse quantity")
        #expect(log.timestamp == 1_795_311_087_229)
        #expect(log.requestID == "866e36f0-d029-4b62-b718-e3e697ba784f")
        #expect(log.traceID == "6b0245ef00922a64eade4906802a1655")
        #expect(attributes["service.name"] == "payment" && attributes["code.location"] == "handler:55")
        #expect(attributes["exception.type"] == "ValueError" && attributes["exception.stacktrace"]?.hasPrefix("Traceback") == true)
        #expect(attributes["customer"] == "Zoë Ünïcode 🚀" && attributes["order_id"] == "A-17")
        for own in ["level", "message", "timestamp", "function_request_id", "xray_trace_id", "service", "location", "exception", "exception_name"] {
            #expect(attributes[own] == nil, "\(own) is read into the record, not kept as an attribute")
        }
        let second = logs[1]
        #expect(second.severity == SluicePipeline.Severity.warn && second.body.string == "second")
        #expect(second.attributes.map(\.key) == ["code.location", "service.name", "kéy"])
    }

    @Test("OTLP/JSON resourceLogs and resourceMetrics documents (the table's json.other) are read")
    func otlpLogsAndMetrics() throws {
        let logs = #"{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"scope":{"name":"app"},"logRecords":[{"timeUnixNano":"1795311100123000000","severityNumber":17,"body":{"stringValue":"payment failed"},"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","attributes":[{"key":"order","value":{"intValue":"42"}}]}]}]}]}"#
        let metrics = #"{"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"metrics":[{"name":"orders","unit":"1","sum":{"dataPoints":[{"asInt":"3","timeUnixNano":"1795311100000000000","attributes":[{"key":"shop","value":{"stringValue":"b"}}]}],"aggregationTemporality":1,"isMonotonic":true}},{"name":"cpu","gauge":{"dataPoints":[{"asDouble":0.25,"timeUnixNano":"1795311100000000000"}]}},{"name":"latency","unit":"ms","histogram":{"dataPoints":[{"count":"4","sum":10.5,"min":1,"max":5,"bucketCounts":["1","2","1"],"explicitBounds":[2,4],"timeUnixNano":"1795311100000000000"}]}},{"name":"size","summary":{"dataPoints":[{"count":"2","sum":30,"quantileValues":[{"quantile":0,"value":10},{"quantile":1,"value":20}],"timeUnixNano":"1795311100000000000"}]}}]}]}]}"#
        #expect(MessageClassifier.classify(Array(logs.utf8)) == .otherJSON)
        let records = try Self.recognize([logs, metrics])
        let log = try #require(records.compactMap { if case .log(let l) = $0 { l } else { nil } }.first)
        #expect(log.severity == .error && log.body.string == "payment failed" && log.timestamp == 1_795_311_100_123)
        #expect(log.traceID == "5b8efff798038103d269b633813fc60c" && log.attributes == [Attribute("order", .int(42))])
        let samples = records.compactMap { if case .metric(let m) = $0 { m } else { nil } }
        #expect(samples.map(\.name) == ["orders", "cpu", "latency", "size"])
        #expect(samples[0].values == [3] && samples[0].dimensions == [Attribute("shop", .string("b"))] && samples[0].unit == "1")
        #expect(samples[1].values == [0.25])
        #expect(samples[2].histogram == HistogramPoint(count: 4, sum: 10.5, min: 1, max: 5, bucketCounts: [1, 2, 1], explicitBounds: [2, 4]))
        #expect(samples[3].histogram == HistogramPoint(count: 2, sum: 30, min: 10, max: 20, bucketCounts: [2], explicitBounds: []))
    }

    @Test("OTLP/JSON span kinds as the enum's numbers (as the OTLP/JSON encoding writes them) and as names")
    func otlpSpanKinds() throws {
        func span(_ id: String, _ kind: String) -> String {
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"\#(id)","name":"n","kind":\#(kind),"startTimeUnixNano":"1795311100000000000","endTimeUnixNano":"1795311100500000000"}"#
        }
        let spans = [span("00000000000000a1", "3"), span("00000000000000a2", "2"), span("00000000000000a3", "\"SPAN_KIND_PRODUCER\""),
                     span("00000000000000a4", "0"), span("00000000000000a5", "9")]
        let document = #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":["# + spans.joined(separator: ",") + "]}]}]}"
        let kinds = try Self.recognize([document]).compactMap { if case .span(let s) = $0 { s.kind } else { nil } }
        #expect(kinds == [.client, .server, .producer, .unspecified, .internal])
    }

    @Test("EMF StorageResolution 1 marks the metric high-resolution; the summary says so")
    func storageResolution() throws {
        let lines = try Self.corpusMessages("aws-embedded-metrics.jsonl").filter { $0.contains("\"StorageResolution\": 1") }
        #expect(!lines.isEmpty)
        let samples = try Self.recognize(lines).compactMap { if case .metric(let m) = $0 { m } else { nil } }
        #expect(samples.contains { $0.storageResolution == 1 })
        #expect(samples.contains { $0.storageResolution == nil }, "metrics declared without it stay standard")
        var aggregator = MetricAggregator()
        for sample in samples { aggregator.add(sample) }
        #expect(aggregator.series.values.contains { $0.highResolution } && aggregator.series.values.contains { !$0.highResolution })
    }

    @Test("SnapStart RESTORE_START and RESTORE_REPORT lines, text and JSON format")
    func restoreLines() throws {
        let records = try Self.recognize([
            "RESTORE_START Runtime Version: java:21.v17\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0bdbb1f4\n",
            "RESTORE_REPORT Restore Duration: 270.75 ms\n",
            #"{"time":"2026-11-22T08:00:00.000Z","type":"platform.restoreStart","record":{"runtimeVersion":"java:21.v17","runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:0bdbb1f4"}}"#,
            #"{"time":"2026-11-22T08:00:00.300Z","type":"platform.restoreReport","record":{"status":"success","metrics":{"durationMs":270.75}}}"#,
        ])
        let kinds = records.compactMap { if case .platform(let event) = $0 { event.kind } else { nil } }
        #expect(kinds == [
            .restoreStart(runtimeVersion: "java:21.v17", runtimeVersionARN: "arn:aws:lambda:us-east-1::runtime:0bdbb1f4"),
            .restoreReport(durationMs: 270.75, status: nil),
            .restoreStart(runtimeVersion: "java:21.v17", runtimeVersionARN: "arn:aws:lambda:us-east-1::runtime:0bdbb1f4"),
            .restoreReport(durationMs: 270.75, status: "success"),
        ])
    }

    @Test("Thundra 2.0 Trace records name each trace's root span, which the assembled trace then uses")
    func thundraTrace() throws {
        let set = "thundra-legacy-json"
        let functions = try NormalisationTests.figures(set)
        let records = functions.values.flatMap(\.traceRecords)
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        #expect(Int64(records.count) == expected["record_classes"]?["thundra.Trace"]?.int64Value, "one record per Trace line")
        let spans = functions.values.flatMap(\.spans).reduce(0) { $0 + $1.value.0 }
        #expect(spans > 0)
        for record in records {
            #expect(record.traceID.count == 32 && record.rootSpanID != nil && record.durationNanos >= 0 && record.producer == .thundra)
        }
        // Assembled across the set's payloads: every trace's root is the span its record named.
        let root = TestPaths.corpus + "/streams/" + set
        var recognizer = Recognizer()
        var assembler = TraceAssembler()
        for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
            for message in PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file).messages {
                assembler.add(recognizer.recognize(message))
            }
        }
        for record in records {
            let trace = try #require(assembler.traces[record.traceID])
            #expect(trace.declaredRootSpanID == record.rootSpanID)
            #expect(trace.root?.spanID == record.rootSpanID)
        }
    }
}
