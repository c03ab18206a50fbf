/// Thundra's records: Composite lines (the common fields folded back into each record), per-record lines,
/// and 2.0's span arrays. The `apiKey` is never read, so it never reaches a record.
enum ThundraRecognizer {
    static func recognize(_ value: JSONView, timestamp: Int64, into records: inout [RecognizedRecord]) {
        if value.kind == .array {
            for item in value.elements { recognize(item, timestamp: timestamp, into: &records) }
            return
        }
        guard let type = value["type"]?.stringValue, let data = value["data"] else { return }
        if type == "Composite" {
            // Each record lacks the fields common to the batch: they are looked up in the composite.
            FieldIndex.with(data) { common in
                for item in data["allMonitoringData"].elements where item.kind == .object {
                    FieldIndex.with(item) { own in
                        record(Fields(item: own, common: common), type: own[.type]?.stringValue ?? "", timestamp: timestamp, into: &records)
                    }
                }
            }
        } else {
            FieldIndex.with(data) { record(Fields(item: $0, common: nil), type: type, timestamp: timestamp, into: &records) }
        }
    }

    static func record(_ data: Fields, type: String, timestamp: Int64, into records: inout [RecognizedRecord]) {
        let traceID = uuidHex(data[.traceId])
        switch type {
        case "Span":
            let start = RecordBounds.milliseconds(data[.startTimestamp]?.int64Value) ?? 0
            let finish = RecordBounds.milliseconds(data[.finishTimestamp]?.int64Value) ?? start
            let tags = data[.tags]
            var attributes: [Attribute] = []
            attributes.reserveCapacity(tags.members.underestimatedCount + 3)
            for member in tags.members where member.value.kind != .object && member.value.kind != .array {
                // The event and response bodies are objects: not attributes.
                attributes.append(Attribute(member.key, LogRecognizer.attribute(member.value)))
            }
            for field: Field in [.className, .domainName, .serviceName] {
                if let text = data[field]?.stringValue { attributes.append(Attribute("thundra." + field.name.description, .string(text))) }
            }
            let parent = data[.parentSpanId]?.stringValue
            let failed = tags?["error"]?.boolValue == true
            records.append(.span(SpanRecord(
                traceID: traceID ?? "", spanID: data[.id]?.stringValue ?? "", parentSpanID: parent?.isEmpty == false ? parent : nil,
                name: data[.operationName]?.stringValue ?? "", kind: data[.className]?.stringValue == "HTTP" ? .client : (parent?.isEmpty ?? true) ? .server : .internal,
                startNanos: start * 1_000_000, durationNanos: RecordBounds.duration(from: start, to: finish) * 1_000_000,
                status: failed ? .error(message: tags?["error.message"]?.stringValue) : .unset,
                attributes: attributes, producer: .thundra, requestID: tags?["aws.lambda.invocation.request_id"]?.stringValue)))
        case "Log":
            var log = LogRecord(timestamp: RecordBounds.milliseconds(data[.logTimestamp]?.int64Value) ?? timestamp,
                                severity: data[.logLevel]?.withStringBytes(Severity.init(levelBytes:)) ?? nil,
                                body: Text(data[.logMessage]?.stringValue ?? data[.log]?.stringValue ?? ""), source: .thundraLog)
            log.traceID = traceID
            log.spanID = data[.spanId]?.stringValue
            if let logger = data[.logContextName]?.stringValue { log.attributes.append(Attribute("logger.name", .string(logger))) }
            records.append(.log(log))
        case "Invocation":
            let tags = data[.tags]
            let start = RecordBounds.milliseconds(data[.startTimestamp]?.int64Value) ?? timestamp
            var invocation = AgentInvocation(
                requestID: tags?["aws.lambda.invocation.request_id"]?.stringValue, producer: .thundra, startTimestamp: start,
                durationMs: RecordBounds.duration(milliseconds: data[.duration]?.doubleValue) ?? Double((RecordBounds.milliseconds(data[.finishTimestamp]?.int64Value) ?? start) - start),
                coldStart: data[.coldStart]?.boolValue, failed: data[.erroneous]?.boolValue ?? false, timedOut: data[.timeout]?.boolValue ?? false)
            invocation.errorType = data[.errorType]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            invocation.errorMessage = data[.errorMessage]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            invocation.traceID = traceID
            invocation.xrayTraceID = tags?["aws.xray.trace.id"]?.withStringBytes(TraceIDs.fromXRay) ?? nil
            invocation.transactionID = data[.transactionId]?.stringValue
            records.append(.invocation(invocation))
        case "Metric":
            let time = RecordBounds.milliseconds(data[.metricTimestamp]?.int64Value) ?? timestamp
            let group = data[.metricName]?.stringValue
            for member in data[.metrics].members {
                guard let value = member.value.doubleValue else { continue }
                records.append(.metric(MetricSample(namespace: group, name: member.key, values: MetricValues(value), timestamp: time, producer: .thundra)))
            }
        case "Trace":
            // 2.0's trace record: its `id` is the trace id its spans carry.
            guard let id = uuidHex(data[.id]) else { return }
            let start = RecordBounds.milliseconds(data[.startTimestamp]?.int64Value) ?? timestamp
            let finish = RecordBounds.milliseconds(data[.finishTimestamp]?.int64Value) ?? start
            let attributes = data[.tags].members.filter { $0.value.kind != .object && $0.value.kind != .array }
                .map { Attribute($0.key, LogRecognizer.attribute($0.value)) }
            records.append(.trace(TraceRecord(traceID: id, rootSpanID: data[.rootSpanId]?.stringValue, startNanos: start * 1_000_000,
                                              durationNanos: RecordBounds.duration(from: start, to: finish) * 1_000_000, attributes: attributes, producer: .thundra)))
        default:
            break
        }
    }

    /// A Thundra uuid trace id as 32 hex digits; any other string as it is.
    static func uuidHex(_ value: JSONView?) -> String? {
        if let raw = value?.cleanStringBytes, let hex = compactHex(raw) { return hex }
        guard let text = value?.stringValue else { return nil }
        let hex = text.filter { $0 != "-" }.lowercased()
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit) ? hex : text
    }

    /// `raw` without its dashes, lower-cased, when that is exactly 32 hex digits (read on the bytes:
    /// every span and invocation carries one).
    static func compactHex(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        guard raw.count >= 32, raw.count <= 64 else { return nil }
        var digits = 0
        for byte in raw where byte != UInt8(ascii: "-") {
            guard JSONReader.hexValue(byte) != nil else { return nil }
            digits += 1
        }
        guard digits == 32 else { return nil }
        return String(unsafeUninitializedCapacity: 32) { out in
            var n = 0
            for byte in raw where byte != UInt8(ascii: "-") {
                out[n] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") ? byte + 0x20 : byte
                n += 1
            }
            return n
        }
    }
}
