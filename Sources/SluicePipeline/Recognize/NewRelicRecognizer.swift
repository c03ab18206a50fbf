/// New Relic's serverless payload `[1,"NR_LAMBDA_MONITORING","<base64 gzip JSON>"]`: decoded under the
/// intake's bounds, its span events, transactions and forwarded log records become records.
enum NewRelicRecognizer {
    static func recognize(_ value: JSONView, configuration: IntakeConfiguration, timestamp: Int64, into records: inout [RecognizedRecord]) {
        guard let encoded = value[2]?.stringValue,
            let compressed = try? Base64Decoder.decode(Array(encoded.utf8), field: "NR_LAMBDA_MONITORING payload")
        else { return }
        let inflated = compressed.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: configuration.maxDecompressedBytes, field: "NR_LAMBDA_MONITORING payload") }
        guard inflated.error == nil else { return }
        // The payload is read through a tape, valid while the inflated bytes are: everything is done here.
        inflated.buffer.withBytes { bytes in
            guard let tape = try? JSONTape(bytes, maxDepth: configuration.maxJSONDepth), let data = tape.root["data"] else { return }
            sections(data, timestamp: timestamp, into: &records)
        }
    }

    /// Span events, transactions and their errors, metric data and forwarded log records of the payload's `data`.
    static func sections(_ data: JSONView, timestamp: Int64, into records: inout [RecognizedRecord]) {
        metrics(data["metric_data"], timestamp: timestamp, into: &records)
        for event in data["span_event_data"]?[2]?.arrayValue ?? [] {
            let intrinsics = event[0]
            let all = (event.arrayValue ?? []).flatMap { $0.objectValue ?? [] }
            var attributes: [Attribute] = []
            for member in all where !["traceId", "guid", "parentId", "name", "timestamp", "duration"].contains(member.key) {
                attributes.append(Attribute(member.key, LogRecognizer.attribute(member.value)))
            }
            let errorClass = all.first { $0.key == "error.class" }
            let start = (intrinsics?["timestamp"]?.int64Value ?? timestamp) * 1_000_000
            let duration = Int64(((intrinsics?["duration"]?.doubleValue ?? 0) * 1e9).rounded())
            let kindText = intrinsics?["span.kind"]?.stringValue ?? (intrinsics?["nr.entryPoint"]?.boolValue == true ? "server" : "internal")
            records.append(.span(SpanRecord(
                traceID: intrinsics?["traceId"]?.stringValue ?? "", spanID: intrinsics?["guid"]?.stringValue ?? "",
                parentSpanID: intrinsics?["parentId"]?.stringValue, name: intrinsics?["name"]?.stringValue ?? "",
                kind: SpanKind(text: kindText), startNanos: start, durationNanos: duration,
                status: errorClass != nil ? .error(message: all.first { $0.key == "error.message" }?.value.stringValue) : .unset,
                attributes: attributes, producer: .newRelic,
                requestID: all.first { $0.key == "aws.requestId" }?.value.stringValue)))
        }
        // Transactions (one per invocation), failed when an error event names the same transaction.
        var failures: [String: (type: String?, message: String?)] = [:]
        for event in data["error_event_data"]?[2]?.arrayValue ?? [] {
            guard let intrinsics = event[0], let guid = intrinsics["nr.transactionGuid"]?.stringValue ?? intrinsics["guid"]?.stringValue else { continue }
            failures[guid] = (intrinsics["error.class"]?.stringValue, intrinsics["error.message"]?.stringValue)
        }
        for event in data["analytic_event_data"]?[2]?.arrayValue ?? [] {
            guard let intrinsics = event[0], intrinsics["type"]?.stringValue == "Transaction" else { continue }
            let agent = event[2]
            let guid = intrinsics["guid"]?.stringValue
            let failure = guid.flatMap { failures[$0] }
            var invocation = AgentInvocation(
                requestID: agent?["aws.requestId"]?.stringValue, producer: .newRelic,
                startTimestamp: intrinsics["timestamp"]?.int64Value ?? timestamp, durationMs: (intrinsics["duration"]?.doubleValue ?? 0) * 1000,
                coldStart: agent?["aws.lambda.coldStart"]?.boolValue ?? false, failed: failure != nil)
            invocation.errorType = failure?.type
            invocation.errorMessage = failure?.message
            invocation.traceID = intrinsics["traceId"]?.stringValue
            invocation.transactionID = guid
            records.append(.invocation(invocation))
        }
        for group in data["log_event_data"]?.arrayValue ?? [] {
            for entry in group["logs"]?.arrayValue ?? [] {
                var log = LogRecord(timestamp: entry["timestamp"]?.int64Value ?? timestamp,
                                    severity: entry["level"]?.stringValue.flatMap { Severity(level: $0) },
                                    body: Text(LogRecognizer.text(of: entry["message"])), source: .newRelicLog)
                log.traceID = entry["attributes"]?["trace.id"]?.stringValue
                log.spanID = entry["attributes"]?["span.id"]?.stringValue
                log.attributes = (entry["attributes"]?.objectValue ?? []).map { Attribute($0.key, LogRecognizer.attribute($0.value)) }
                records.append(.log(log))
            }
        }
    }

    /// `metric_data`: `[agent run id, start s, end s, [[{"name","scope"}, [count, total, exclusive, min, max,
    /// sum of squares]], ...]]`, each already aggregated over the harvest: a point with count, sum (the
    /// total), min and max, stamped with the harvest's end; the scope, when there is one, as a dimension.
    /// `Supportability/...` metrics describe the agent itself (about half of every payload) and are left out.
    static func metrics(_ section: JSONView?, timestamp: Int64, into records: inout [RecognizedRecord]) {
        guard let section, let entries = section[3]?.arrayValue else { return }
        let end = section[2]?.doubleValue.map { Int64(($0 * 1000).rounded()) } ?? timestamp
        for entry in entries {
            guard let name = entry[0]?["name"]?.stringValue, !name.hasPrefix("Supportability/"), let values = entry[1],
                  let count = values[0]?.doubleValue, count >= 0, count < 9.2e18 else { continue }
            let total = values[1]?.doubleValue ?? 0
            let scope = entry[0]?["scope"]?.stringValue ?? ""
            var sample = MetricSample(name: name, values: [], dimensions: scope.isEmpty ? [] : [Attribute("scope", .string(scope))],
                                      timestamp: end, producer: .newRelic)
            sample.histogram = HistogramPoint(count: Int64(count), sum: total, min: values[3]?.doubleValue, max: values[4]?.doubleValue,
                                              bucketCounts: [Int64(count)], explicitBounds: [])
            records.append(.metric(sample))
        }
    }
}
