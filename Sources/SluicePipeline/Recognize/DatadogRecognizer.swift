/// Datadog's log-forwarded telemetry: metric lines `{m,v,e,t}` and `{"traces":[[span…]]}`.
enum DatadogRecognizer {
    /// `{"m":name,"v":value,"e":epoch seconds (int or float),"t":["key:value",…]}`
    static func metric(_ value: JSONView) -> RecognizedRecord? {
        guard let name = value["m"]?.stringValue, let number = value["v"]?.doubleValue else { return nil }
        let seconds = value["e"]?.doubleValue ?? 0
        var tags: [Attribute] = []
        for element in value["t"].elements {
            // `key:value`, split at the first colon on the bytes (escaped tags are decoded first).
            func tag(_ text: UnsafeBufferPointer<UInt8>) -> Attribute {
                guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return Attribute(String(decoding: text, as: UTF8.self), .string("")) }
                return Attribute(String(decoding: UnsafeBufferPointer(rebasing: text[..<colon]), as: UTF8.self),
                                 .string(String(decoding: UnsafeBufferPointer(rebasing: text[(colon + 1)...]), as: UTF8.self)))
            }
            if let raw = element.cleanStringBytes {
                tags.append(tag(raw))
            } else if var text = element.stringValue {
                tags.append(text.withUTF8(tag))
            }
        }
        return .metric(MetricSample(name: name, values: [number], dimensions: tags.sorted { $0.key < $1.key },
                                    timestamp: Int64((seconds * 1000).rounded()), producer: .datadog))
    }

    /// Every span of every trace of a `{"traces": [[…]]}` line. The 128-bit trace id is `_dd.p.tid` (upper
    /// 64 bits, hex) followed by `trace_id` (lower 64 bits, 16 hex digits).
    static func traces(_ value: JSONView, into records: inout [RecognizedRecord]) {
        let traces = value["traces"].elements
        // `_dd.p.tid` rides on the first span of a chunk only: lend it to every span of the same trace.
        var upperHalves: [String: String] = [:]
        for span in traces.flatMap({ $0.elements }) {
            if let lower = span["trace_id"]?.stringValue?.lowercased(), let tid = span["meta"]?["_dd.p.tid"]?.stringValue?.lowercased() {
                upperHalves[lower] = tid
            }
        }
        for trace in traces {
            for span in trace.elements {
                let lower = (span["trace_id"]?.stringValue ?? "").lowercased()
                let upper = upperHalves[lower] ?? String(repeating: "0", count: 16)
                let parent = span["parent_id"]?.stringValue
                var attributes: [Attribute] = []
                for member in span["meta"].members where member.key != "_dd.p.tid" {
                    attributes.append(Attribute(member.key, .string(LogRecognizer.text(of: member.value))))
                }
                for member in span["metrics"].members {
                    attributes.append(Attribute(member.key, LogRecognizer.attribute(member.value)))
                }
                for key: StaticString in ["service", "resource", "type"] {
                    if let text = span[key]?.stringValue { attributes.append(Attribute("dd." + key.description, .string(text))) }
                }
                let kind = span["meta"]?["span.kind"]?.stringValue.map { SpanKind(text: $0) }
                    ?? (span["type"]?.stringValue == "serverless" ? .server : .internal)
                let error = span["error"]?.int64Value ?? 0
                if span["name"]?.stringValue == "aws.lambda" {
                    // The invocation span: what Datadog knows of the invocation itself.
                    let meta = span["meta"]
                    var invocation = AgentInvocation(
                        requestID: meta?["request_id"]?.stringValue, producer: .datadog,
                        startTimestamp: (span["start"]?.int64Value ?? 0) / 1_000_000, durationMs: Double(span["duration"]?.int64Value ?? 0) / 1e6,
                        coldStart: meta?["cold_start"]?.stringValue.map { $0 == "true" }, failed: error != 0,
                        timedOut: meta?["error.type"]?.stringValue == "Impending Timeout")
                    invocation.errorType = meta?["error.type"]?.stringValue
                    invocation.errorMessage = meta?["error.message"]?.stringValue
                    invocation.traceID = upper + lower
                    invocation.transactionID = (span["span_id"]?.stringValue ?? "").lowercased()
                    records.append(.invocation(invocation))
                }
                records.append(.span(SpanRecord(
                    traceID: upper + lower, spanID: (span["span_id"]?.stringValue ?? "").lowercased(),
                    parentSpanID: parent == nil || parent == "0000000000000000" ? nil : parent?.lowercased(),
                    name: span["name"]?.stringValue ?? "", kind: kind,
                    startNanos: span["start"]?.int64Value ?? 0, durationNanos: span["duration"]?.int64Value ?? 0,
                    status: error != 0 ? .error(message: span["meta"]?["error.message"]?.stringValue) : .unset,
                    attributes: attributes, producer: .datadog, requestID: span["meta"]?["request_id"]?.stringValue)))
            }
        }
    }
}
