/// New Relic's serverless payload `[1,"NR_LAMBDA_MONITORING","<base64 gzip JSON>"]`: decoded under the
/// intake's bounds, its span events, transactions and forwarded log records become records.
enum NewRelicRecognizer {
    static func recognize(_ value: JSONView, configuration: IntakeConfiguration, timestamp: Int64, cache: inout RecognitionCache,
                          into records: inout [RecognizedRecord]) {
        // Base64 has no escapes unless a writer escaped `/`: the string's bytes are decoded where they lie.
        let field = "NR_LAMBDA_MONITORING payload"
        guard let compressed = value[2]?.withStringBytes({ try? Base64Decoder.decode($0, field: field) }) ?? nil else { return }
        let inflated = compressed.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: configuration.maxDecompressedBytes, field: field) }
        guard inflated.error == nil else { return }
        // The payload is read through a tape, valid while the inflated bytes are: everything is done here.
        inflated.buffer.withBytes { bytes in
            guard let tape = try? JSONTape(bytes, maxDepth: configuration.maxJSONDepth) else { return }
            withExtendedLifetime(tape) {
                if let data = tape.root["data"] { sections(data, timestamp: timestamp, cache: &cache, into: &records) }
            }
        }
    }

    /// Span events, transactions and their errors, metric data and forwarded log records of the payload's `data`.
    static func sections(_ data: JSONView, timestamp: Int64, cache: inout RecognitionCache, into records: inout [RecognizedRecord]) {
        metrics(data["metric_data"], timestamp: timestamp, cache: &cache, into: &records)
        for event in (data["span_event_data"]?[2]).elements {
            // One pass over the event's objects (intrinsics, user, agent attributes): the attributes, the
            // span's own fields among the intrinsics (the last of a name, as a look-up would find it), and the
            // first error class, error message and request id among them all.
            var attributes: [Attribute] = []
            attributes.reserveCapacity(event.elements.reduce(0) { $0 + $1.members.underestimatedCount })
            var errorClass: JSONView?, errorMessage: JSONView?, requestID: JSONView?
            var traceID: JSONView?, guid: JSONView?, parentID: JSONView?, name: JSONView?, start: JSONView?, duration: JSONView?
            var kind: JSONView?, entryPoint: JSONView?
            var parts = event.elements
            var intrinsics = true
            while let part = parts.next() {
                defer { intrinsics = false }
                var members = part.members
                while let (keyEntry, value) = members.nextRaw() {
                    // Read on the key's bytes: no `String` for the fields the span itself carries.
                    switch JSONView.withText(part.document, keyEntry, { SpanKey(Bytes($0)) }) {
                    case .traceID: if intrinsics { traceID = value }; continue
                    case .guid: if intrinsics { guid = value }; continue
                    case .parentID: if intrinsics { parentID = value }; continue
                    case .name: if intrinsics { name = value }; continue
                    case .timestamp: if intrinsics { start = value }; continue
                    case .duration: if intrinsics { duration = value }; continue
                    case .spanKind: if intrinsics { kind = value }
                    case .entryPoint: if intrinsics { entryPoint = value }
                    case .errorClass: if errorClass == nil { errorClass = value }
                    case .errorMessage: if errorMessage == nil { errorMessage = value }
                    case .requestID: if requestID == nil { requestID = value }
                    case .other: break
                    }
                    // Keys repeat from span to span: the long ones are made once.
                    attributes.append(Attribute(cache.key(keyEntry, in: part.document), LogRecognizer.attribute(value)))
                }
            }
            let startNanos = (RecordBounds.milliseconds(start?.int64Value) ?? timestamp) * 1_000_000
            let durationNanos = RecordBounds.nanoseconds(seconds: duration?.doubleValue) ?? 0
            let kindText = kind?.stringValue ?? (entryPoint?.boolValue == true ? "server" : "internal")
            records.append(.span(SpanRecord(
                traceID: traceID?.stringValue ?? "", spanID: guid?.stringValue ?? "",
                parentSpanID: parentID?.stringValue, name: name?.stringValue ?? "",
                kind: SpanKind(text: kindText), startNanos: startNanos, durationNanos: durationNanos,
                status: errorClass != nil ? .error(message: errorMessage?.stringValue) : .unset,
                attributes: attributes, producer: .newRelic,
                requestID: requestID?.stringValue)))
        }
        // Transactions (one per invocation), failed when an error event names the same transaction.
        var failures: [String: (type: String?, message: String?)] = [:]
        for event in (data["error_event_data"]?[2]).elements {
            guard let intrinsics = event[0], let guid = intrinsics["nr.transactionGuid"]?.stringValue ?? intrinsics["guid"]?.stringValue else { continue }
            failures[guid] = (intrinsics["error.class"]?.stringValue, intrinsics["error.message"]?.stringValue)
        }
        for event in (data["analytic_event_data"]?[2]).elements {
            guard let intrinsics = event[0], intrinsics["type"]?.stringValue == "Transaction" else { continue }
            let agent = event[2]
            let guid = intrinsics["guid"]?.stringValue
            let failure = guid.flatMap { failures[$0] }
            var invocation = AgentInvocation(
                requestID: agent?["aws.requestId"]?.stringValue, producer: .newRelic,
                startTimestamp: RecordBounds.milliseconds(intrinsics["timestamp"]?.int64Value) ?? timestamp,
                durationMs: RecordBounds.duration(milliseconds: intrinsics["duration"]?.doubleValue.map { $0 * 1000 }) ?? 0,
                coldStart: agent?["aws.lambda.coldStart"]?.boolValue ?? false, failed: failure != nil)
            invocation.errorType = failure?.type
            invocation.errorMessage = failure?.message
            invocation.traceID = intrinsics["traceId"]?.stringValue
            invocation.transactionID = guid
            records.append(.invocation(invocation))
        }
        for group in data["log_event_data"].elements {
            for entry in group["logs"].elements {
                var log = LogRecord(timestamp: RecordBounds.milliseconds(entry["timestamp"]?.int64Value) ?? timestamp,
                                    severity: entry["level"]?.withStringBytes(Severity.init(levelBytes:)) ?? nil,
                                    body: Text(LogRecognizer.text(of: entry["message"])), source: .newRelicLog)
                log.traceID = entry["attributes"]?["trace.id"]?.stringValue
                log.spanID = entry["attributes"]?["span.id"]?.stringValue
                log.attributes = entry["attributes"].members.map { Attribute($0.key, LogRecognizer.attribute($0.value)) }
                records.append(.log(log))
            }
        }
    }

    /// What a span event's attribute key is to the span.
    private enum SpanKey {
        /// Intrinsics the span record holds in its own fields (ids, name, times): not attributes.
        case traceID, guid, parentID, name, timestamp, duration
        /// Intrinsics that decide the span's kind, and stay attributes.
        case spanKind, entryPoint
        case errorClass, errorMessage, requestID, other

        init(_ key: Bytes) {
            switch key.count {
            case 4: self = key.equals("guid") ? .guid : key.equals("name") ? .name : .other
            case 7: self = key.equals("traceId") ? .traceID : .other
            case 8: self = key.equals("parentId") ? .parentID : key.equals("duration") ? .duration : .other
            case 9: self = key.equals("timestamp") ? .timestamp : key.equals("span.kind") ? .spanKind : .other
            case 11: self = key.equals("error.class") ? .errorClass : .other
            case 13:
                self = key.equals("error.message") ? .errorMessage : key.equals("aws.requestId") ? .requestID
                    : key.equals("nr.entryPoint") ? .entryPoint : .other
            default: self = .other
            }
        }
    }

    /// `metric_data`: `[agent run id, start s, end s, [[{"name","scope"}, [count, total, exclusive, min, max,
    /// sum of squares]], ...]]`, each already aggregated over the harvest: a point with count, sum (the
    /// total), min and max, stamped with the harvest's end; the scope, when there is one, as a dimension.
    /// `Supportability/...` metrics describe the agent itself (about half of every payload) and are left out.
    static func metrics(_ section: JSONView?, timestamp: Int64, cache: inout RecognitionCache, into records: inout [RecognizedRecord]) {
        guard let section, let entries = section[3], entries.kind == .array else { return }
        let end = RecordBounds.milliseconds(seconds: section[2]?.doubleValue) ?? timestamp
        for entry in entries.elements {
            var parts = entry.elements
            guard let key = parts.next(), let values = parts.next() else { continue }
            // Checked on the bytes (decoded first only when escaped): half the names are skipped, and need no
            // `String`; the others repeat from harvest to harvest and are made once.
            guard let name = key["name"]?.withStringBytes({ raw in
                Bytes(raw).hasPrefix("Supportability/") ? nil : cache.string(raw)
            }) ?? nil else { continue }
            var numbers = values.elements
            guard let count = numbers.next()?.doubleValue, count >= 0, count < 9.2e18 else { continue }
            let total = numbers.next()?.doubleValue ?? 0
            _ = numbers.next()
            let min = numbers.next()?.doubleValue, max = numbers.next()?.doubleValue
            // No buckets: New Relic sends a metric's count, total, min and max, nothing of its distribution
            // (and an array per metric was a tenth of reading them).
            records.append(.metric(MetricSample(
                name: name, values: [], dimensions: scopeDimensions(key["scope"], cache: &cache), timestamp: end, producer: .newRelic,
                histogram: HistogramPoint(count: Int64(count), sum: total, min: min, max: max, bucketCounts: [], explicitBounds: []))))
        }
    }

    /// A metric's `scope` dimension: none when it is missing or empty, else one array per scope, found again
    /// by its bytes in every later harvest (so the metric aggregator knows the set by its storage).
    private static func scopeDimensions(_ scope: JSONView?, cache: inout RecognitionCache) -> [Attribute] {
        guard let raw = scope?.cleanStringBytes else {
            let text = scope?.stringValue ?? ""
            return text.isEmpty ? [] : [Attribute("scope", .string(text))]
        }
        if raw.isEmpty { return [] }
        return cache.newRelicScopes.value(for: raw) { [Attribute("scope", .string(String(decoding: raw, as: UTF8.self)))] }
    }
}
