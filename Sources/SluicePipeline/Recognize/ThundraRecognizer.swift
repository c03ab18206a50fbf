/// Thundra's records: Composite lines (the common fields folded back into each record), per-record lines,
/// and 2.0's span arrays. The `apiKey` is never read, so it never reaches a record.
enum ThundraRecognizer {
    static func recognize(_ value: JSONValue, timestamp: Int64, into records: inout [RecognizedRecord]) {
        if case .array(let items) = value {
            for item in items { recognize(item, timestamp: timestamp, into: &records) }
            return
        }
        guard let type = value["type"]?.stringValue, let data = value["data"] else { return }
        if type == "Composite" {
            let common = (data.objectValue ?? []).filter { $0.key != "allMonitoringData" && $0.key != "type" && $0.key != "id" }
            for item in data["allMonitoringData"]?.arrayValue ?? [] {
                guard case .object(var members) = item else { continue }
                for field in common where !members.contains(where: { $0.key == field.key }) { members.append(field) }
                record(JSONValue.object(members), type: members.last(where: { $0.key == "type" })?.value.stringValue ?? "", timestamp: timestamp, into: &records)
            }
        } else {
            record(data, type: type, timestamp: timestamp, into: &records)
        }
    }

    static func record(_ data: JSONValue, type: String, timestamp: Int64, into records: inout [RecognizedRecord]) {
        let traceID = uuidHex(data["traceId"]?.stringValue)
        switch type {
        case "Span":
            let start = data["startTimestamp"]?.int64Value ?? 0
            let finish = data["finishTimestamp"]?.int64Value ?? start
            let tags = data["tags"]
            var attributes: [Attribute] = []
            for member in tags?.objectValue ?? [] {
                switch member.value {
                case .object, .array: continue  // the event and response bodies: not attributes
                default: attributes.append(Attribute(member.key, LogRecognizer.attribute(member.value)))
                }
            }
            for key in ["className", "domainName", "serviceName"] {
                if let text = data[key]?.stringValue { attributes.append(Attribute("thundra." + key, .string(text))) }
            }
            let parent = data["parentSpanId"]?.stringValue
            let failed = tags?["error"]?.boolValue == true
            records.append(.span(SpanRecord(
                traceID: traceID ?? "", spanID: data["id"]?.stringValue ?? "", parentSpanID: parent?.isEmpty == false ? parent : nil,
                name: data["operationName"]?.stringValue ?? "", kind: data["className"]?.stringValue == "HTTP" ? .client : (parent?.isEmpty ?? true) ? .server : .internal,
                startNanos: start * 1_000_000, durationNanos: (finish - start) * 1_000_000,
                status: failed ? .error(message: tags?["error.message"]?.stringValue) : .unset,
                attributes: attributes, producer: .thundra, requestID: tags?["aws.lambda.invocation.request_id"]?.stringValue)))
        case "Log":
            var log = LogRecord(timestamp: data["logTimestamp"]?.int64Value ?? timestamp,
                                severity: data["logLevel"]?.stringValue.flatMap { Severity(level: $0) },
                                body: Text(data["logMessage"]?.stringValue ?? data["log"]?.stringValue ?? ""), source: .thundraLog)
            log.traceID = traceID
            log.spanID = data["spanId"]?.stringValue
            if let logger = data["logContextName"]?.stringValue { log.attributes.append(Attribute("logger.name", .string(logger))) }
            records.append(.log(log))
        case "Invocation":
            let tags = data["tags"]
            let start = data["startTimestamp"]?.int64Value ?? timestamp
            var invocation = AgentInvocation(
                requestID: tags?["aws.lambda.invocation.request_id"]?.stringValue, producer: .thundra, startTimestamp: start,
                durationMs: data["duration"]?.doubleValue ?? Double((data["finishTimestamp"]?.int64Value ?? start) - start),
                coldStart: data["coldStart"]?.boolValue, failed: data["erroneous"]?.boolValue ?? false, timedOut: data["timeout"]?.boolValue ?? false)
            invocation.errorType = data["errorType"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            invocation.errorMessage = data["errorMessage"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            invocation.traceID = traceID
            invocation.xrayTraceID = tags?["aws.xray.trace.id"]?.stringValue.flatMap(TraceIDs.fromXRay)
            invocation.transactionID = data["transactionId"]?.stringValue
            records.append(.invocation(invocation))
        case "Metric":
            let time = data["metricTimestamp"]?.int64Value ?? timestamp
            let group = data["metricName"]?.stringValue
            for member in data["metrics"]?.objectValue ?? [] {
                guard let value = member.value.doubleValue else { continue }
                records.append(.metric(MetricSample(namespace: group, name: member.key, values: [value], timestamp: time, producer: .thundra)))
            }
        default:
            break
        }
    }

    /// A Thundra uuid trace id as 32 hex digits.
    static func uuidHex(_ text: String?) -> String? {
        guard let text else { return nil }
        let hex = text.filter { $0 != "-" }.lowercased()
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit) ? hex : text
    }
}
