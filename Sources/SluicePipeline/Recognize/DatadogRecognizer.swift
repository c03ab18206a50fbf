/// Datadog's log-forwarded telemetry: metric lines `{m,v,e,t}` and `{"traces":[[span…]]}`.
enum DatadogRecognizer {
    /// `{"m":name,"v":value,"e":epoch seconds (int or float),"t":["key:value",…]}`
    static func metric(_ value: JSONView, cache: inout RecognitionCache) -> RecognizedRecord? {
        guard let nameField = value["m"], let name = nameField.cleanStringBytes.map({ cache.string($0) }) ?? nameField.stringValue,
              let number = value["v"]?.doubleValue else { return nil }
        let time = RecordBounds.milliseconds(seconds: value["e"]?.doubleValue) ?? 0
        // A function's lines repeat their tags: the sorted set is made once for the array's bytes.
        var tags: [Attribute] = []
        if let list = value["t"], list.kind == .array {
            tags = cache.datadogTags.value(for: list.rawBytes) { Self.tags(list) }
        }
        return .metric(MetricSample(name: name, values: MetricValues(number), dimensions: tags, timestamp: time, producer: .datadog))
    }

    /// `key:value` tags, split at the first colon on the bytes, sorted by key.
    static func tags(_ list: JSONView) -> [Attribute] {
        list.elements.compactMap { element in
            element.withStringBytes { text -> Attribute in
                guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return Attribute(String(decoding: text, as: UTF8.self), .string("")) }
                return Attribute(String(decoding: UnsafeBufferPointer(rebasing: text[..<colon]), as: UTF8.self),
                                 .string(String(decoding: UnsafeBufferPointer(rebasing: text[(colon + 1)...]), as: UTF8.self)))
            }
        }.sorted { $0.key < $1.key }
    }

    /// Every span of every trace of a `{"traces": [[…]]}` line. The 128-bit trace id is `_dd.p.tid` (upper
    /// 64 bits, hex) followed by `trace_id` (lower 64 bits, 16 hex digits).
    static func traces(_ value: JSONView, into records: inout [RecognizedRecord]) {
        let traces = value["traces"].elements
        // `_dd.p.tid` rides on the first span of a chunk only: lend it to every span of the same trace.
        var upperHalves: [String: String] = [:]
        for span in traces.flatMap({ $0.elements }) {
            if let tid = span["meta"]?["_dd.p.tid"]?.withStringBytes(DatadogIDs.lowercased), let lower = span["trace_id"]?.withStringBytes(DatadogIDs.lowercased) {
                upperHalves[lower] = tid
            }
        }
        // Made once: sixteen digits are past a small string's room, and would be allocated for every span.
        let noUpperHalf = String(repeating: "0", count: 16)
        for trace in traces {
            for span in trace.elements {
                let lower = span["trace_id"]?.withStringBytes(DatadogIDs.lowercased) ?? ""
                let upper = upperHalves[lower] ?? noUpperHalf
                let parent = span["parent_id"]?.withStringBytes(DatadogIDs.lowercased)
                // One pass over `meta` (tens of tags): the attributes, and the tags read below on the way.
                var kindTag: JSONView?, requestID: JSONView?, coldStart: JSONView?, errorType: JSONView?, errorMessage: JSONView?
                let meta = span["meta"], metrics = span["metrics"]
                // Sized once (a tag each, and the three below) rather than grown from empty.
                var attributes: [Attribute] = []
                attributes.reserveCapacity(meta.members.underestimatedCount + metrics.members.underestimatedCount + 3)
                var tags = meta.members
                while let (keyEntry, value) = tags.nextRaw() {
                    // Told apart on the key's bytes: comparing each tag's `String` with six names cost more than making it.
                    switch JSONView.withText(value.document, keyEntry, { MetaTag(Bytes($0)) }) {
                    case .tid: continue
                    case .kind: kindTag = value
                    case .requestID: requestID = value
                    case .coldStart: coldStart = value
                    case .errorType: errorType = value
                    case .errorMessage: errorMessage = value
                    case .other: break
                    }
                    attributes.append(Attribute(JSONView.decode(value.document, keyEntry), .string(LogRecognizer.text(of: value))))
                }
                for member in metrics.members {
                    attributes.append(Attribute(member.key, LogRecognizer.attribute(member.value)))
                }
                let type = span["type"]?.stringValue
                if let service = span["service"]?.stringValue { attributes.append(Attribute("dd.service", .string(service))) }
                if let resource = span["resource"]?.stringValue { attributes.append(Attribute("dd.resource", .string(resource))) }
                if let type { attributes.append(Attribute("dd.type", .string(type))) }
                let kind = kindTag?.stringValue.map { SpanKind(text: $0) } ?? (type == "serverless" ? .server : .internal)
                let error = span["error"]?.int64Value ?? 0
                let name = span["name"]?.stringValue ?? ""
                let start = RecordBounds.nanoseconds(span["start"]?.int64Value) ?? 0, duration = RecordBounds.nanoseconds(span["duration"]?.int64Value) ?? 0
                let spanID = span["span_id"]?.withStringBytes(DatadogIDs.lowercased) ?? ""
                if name == "aws.lambda" {
                    // The invocation span: what Datadog knows of the invocation itself.
                    var invocation = AgentInvocation(
                        requestID: requestID?.stringValue, producer: .datadog,
                        startTimestamp: start / 1_000_000, durationMs: Double(duration) / 1e6,
                        coldStart: coldStart?.stringValue.map { $0 == "true" }, failed: error != 0,
                        timedOut: errorType?.stringValue == "Impending Timeout")
                    invocation.errorType = errorType?.stringValue
                    invocation.errorMessage = errorMessage?.stringValue
                    invocation.traceID = upper + lower
                    invocation.transactionID = spanID
                    records.append(.invocation(invocation))
                }
                records.append(.span(SpanRecord(
                    traceID: upper + lower, spanID: spanID,
                    parentSpanID: parent == "0000000000000000" ? nil : parent,
                    name: name, kind: kind, startNanos: start, durationNanos: duration,
                    status: error != 0 ? .error(message: errorMessage?.stringValue) : .unset,
                    attributes: attributes, producer: .datadog, requestID: requestID?.stringValue)))
            }
        }
    }

    /// What a span's `meta` tag is to the span.
    private enum MetaTag {
        /// `_dd.p.tid`: the trace id's upper half, read into the trace id, not kept as a tag.
        case tid
        case kind, requestID, coldStart, errorType, errorMessage, other

        init(_ key: Bytes) {
            switch key.count {
            case 9: self = key.equals("_dd.p.tid") ? .tid : key.equals("span.kind") ? .kind : .other
            case 10: self = key.equals("request_id") ? .requestID : key.equals("cold_start") ? .coldStart : key.equals("error.type") ? .errorType : .other
            case 13: self = key.equals("error.message") ? .errorMessage : .other
            default: self = .other
            }
        }
    }
}
