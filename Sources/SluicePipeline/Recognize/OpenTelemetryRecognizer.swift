/// OpenTelemetry's output: console exporter spans and log records (compact, or reassembled from the
/// pretty-printed form) and OTLP/JSON `resourceSpans` / `resourceLogs`.
enum OpenTelemetryRecognizer {
    static func hex(_ text: String?) -> String? {
        guard var text else { return nil }
        if text.hasPrefix("0x") { text.removeFirst(2) }
        return text.lowercased()
    }

    /// The invocation an instrumented handler's server span stands for (`faas.invocation_id`).
    static func invocation(of span: SpanRecord) -> RecognizedRecord? {
        guard span.kind == .server, let requestID = span.requestID else { return nil }
        func attribute(_ key: String) -> AttributeValue? { span.attributes.last { $0.key == key }?.value }
        var invocation = AgentInvocation(
            requestID: requestID, producer: .openTelemetry, startTimestamp: span.startNanos / 1_000_000,
            durationMs: Double(span.durationNanos) / 1e6, coldStart: attribute("faas.coldstart").map { $0 == .bool(true) },
            failed: span.isError)
        invocation.traceID = span.traceID
        invocation.transactionID = span.spanID
        if case .error(let message) = span.status { invocation.errorMessage = message }
        return .invocation(invocation)
    }

    /// A console exporter span (`name`, `context.trace_id`, `kind: SpanKind.*`, ISO times).
    static func consoleSpan(_ value: JSONView) -> RecognizedRecord? {
        guard let traceID = hex(value["context"]?["trace_id"]?.stringValue), let spanID = hex(value["context"]?["span_id"]?.stringValue) else { return nil }
        let start = value["start_time"]?.stringValue.flatMap(nanoseconds) ?? 0
        let end = value["end_time"]?.stringValue.flatMap(nanoseconds) ?? start
        let attributes = value["attributes"].members.map { Attribute($0.key, LogRecognizer.attribute($0.value)) }
        return .span(SpanRecord(
            traceID: traceID, spanID: spanID, parentSpanID: hex(value["parent_id"]?.stringValue), name: value["name"]?.stringValue ?? "",
            kind: SpanKind(json: value["kind"]), startNanos: start, durationNanos: RecordBounds.duration(from: start, to: end),
            status: status(value["status"]?["status_code"]?.stringValue, value["status"]?["description"]?.stringValue),
            attributes: attributes, producer: .openTelemetry, requestID: attributes.first { $0.key == "faas.invocation_id" }.flatMap {
                if case .string(let s) = $0.value { return s } else { return nil }
            }))
    }

    /// A console exporter log record (`body`, `severity_number`, `severity_text`, `trace_id`, `span_id`).
    static func consoleLog(_ value: JSONView, timestamp: Int64) -> RecognizedRecord {
        var severity = value["severity_text"]?.withStringBytes(Severity.init(levelBytes:)) ?? nil
        if severity == nil, let number = value["severity_number"]?.int64Value {
            severity = Severity.allCases.last { Int64($0.number) <= number }
        }
        var log = LogRecord(timestamp: Timestamps.epochMilliseconds(iso: value["timestamp"]) ?? timestamp,
                            severity: severity, body: Text(LogRecognizer.text(of: value["body"])), source: .otelLog)
        let trace = hex(value["trace_id"]?.stringValue)
        log.traceID = trace == "0" || trace?.allSatisfy({ $0 == "0" }) == true ? nil : trace
        let span = hex(value["span_id"]?.stringValue)
        log.spanID = span?.allSatisfy({ $0 == "0" }) == true ? nil : span
        log.attributes = value["attributes"].members.map { Attribute($0.key, LogRecognizer.attribute($0.value)) }
        return .log(log)
    }

    /// A console exporter metrics record (`resource_metrics` → `scope_metrics` → `metrics` → data points):
    /// a sample per data point, sums and gauges as values, histograms as their aggregated point.
    static func consoleMetrics(_ value: JSONView, into records: inout [RecognizedRecord]) {
        for resource in value["resource_metrics"].elements {
            for scope in resource["scope_metrics"].elements {
                for metric in scope["metrics"].elements {
                    guard let name = metric["name"]?.stringValue else { continue }
                    let unit = metric["unit"]?.stringValue
                    for point in (metric["data"]?["data_points"]).elements {
                        let dimensions = point["attributes"].members.map { Attribute($0.key, LogRecognizer.attribute($0.value)) }.sorted { $0.key < $1.key }
                        let time = RecordBounds.milliseconds(point["time_unix_nano"]?.int64Value.map { $0 / 1_000_000 }) ?? 0
                        if let single = point["value"]?.doubleValue {
                            records.append(.metric(MetricSample(name: name, unit: unit, values: MetricValues(single), dimensions: dimensions, timestamp: time, producer: .openTelemetry)))
                        } else if let count = point["count"]?.int64Value {
                            let histogram = HistogramPoint(
                                count: count, sum: point["sum"]?.doubleValue ?? 0, min: point["min"]?.doubleValue, max: point["max"]?.doubleValue,
                                bucketCounts: point["bucket_counts"].elements.compactMap(\.int64Value),
                                explicitBounds: point["explicit_bounds"].elements.compactMap(\.doubleValue))
                            records.append(.metric(MetricSample(name: name, unit: unit, values: [], dimensions: dimensions, timestamp: time,
                                                                producer: .openTelemetry, histogram: histogram)))
                        }
                    }
                }
            }
        }
    }

    /// OTLP/JSON: every span of `resourceSpans`, every log record of `resourceLogs`, every data point of
    /// `resourceMetrics`.
    static func otlp(_ value: JSONView, timestamp: Int64, into records: inout [RecognizedRecord]) {
        otlpMetrics(value, into: &records)
        for resource in value["resourceSpans"].elements {
            for scope in resource["scopeSpans"].elements {
                for span in scope["spans"].elements {
                    let start = RecordBounds.nanoseconds(int(span["startTimeUnixNano"])) ?? 0
                    let end = RecordBounds.nanoseconds(int(span["endTimeUnixNano"])) ?? start
                    let code = span["status"]?["code"]
                    let failed = code?.stringValue == "STATUS_CODE_ERROR" || code?.int64Value == 2
                    let ok = code?.stringValue == "STATUS_CODE_OK" || code?.int64Value == 1
                    let parent = span["parentSpanId"]?.stringValue
                    let attributes = keyValues(span["attributes"])
                    records.append(.span(SpanRecord(
                        traceID: (span["traceId"]?.stringValue ?? "").lowercased(), spanID: (span["spanId"]?.stringValue ?? "").lowercased(),
                        parentSpanID: parent?.isEmpty == false ? parent?.lowercased() : nil, name: span["name"]?.stringValue ?? "",
                        kind: SpanKind(json: span["kind"]), startNanos: start, durationNanos: RecordBounds.duration(from: start, to: end),
                        status: failed ? .error(message: span["status"]?["message"]?.stringValue) : ok ? .ok : .unset,
                        attributes: attributes, producer: .openTelemetry,
                        requestID: attributes.last { $0.key == "faas.invocation_id" }.map { $0.value.text })))
                }
            }
        }
        for resource in value["resourceLogs"].elements {
            for scope in resource["scopeLogs"].elements {
                for record in scope["logRecords"].elements {
                    var severity = record["severityText"]?.withStringBytes(Severity.init(levelBytes:)) ?? nil
                    if severity == nil, let number = int(record["severityNumber"]) {
                        severity = Severity.allCases.last { Int64($0.number) <= number }
                    }
                    var log = LogRecord(timestamp: RecordBounds.milliseconds(int(record["timeUnixNano"]).map { $0 / 1_000_000 }) ?? timestamp,
                                        severity: severity,
                                        body: Text(anyValue(record["body"])), source: .otelLog)
                    log.traceID = record["traceId"]?.stringValue?.lowercased()
                    log.spanID = record["spanId"]?.stringValue?.lowercased()
                    log.attributes = keyValues(record["attributes"])
                    records.append(.log(log))
                }
            }
        }
    }

    /// OTLP/JSON `resourceMetrics`: a sample per data point; sums and gauges as values, histograms,
    /// exponential histograms and summaries as their aggregated point (count, sum, min, max).
    static func otlpMetrics(_ value: JSONView, into records: inout [RecognizedRecord]) {
        for resource in value["resourceMetrics"].elements {
            for scope in resource["scopeMetrics"].elements {
                for metric in scope["metrics"].elements {
                    guard let name = metric["name"]?.stringValue else { continue }
                    let unit = metric["unit"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                    for kind: StaticString in ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] {
                        for point in (metric[kind]?["dataPoints"]).elements {
                            let dimensions = keyValues(point["attributes"]).sorted { $0.key < $1.key }
                            let time = RecordBounds.milliseconds(int(point["timeUnixNano"]).map { $0 / 1_000_000 }) ?? 0
                            if let single = point["asDouble"]?.doubleValue ?? int(point["asInt"]).map(Double.init) {
                                records.append(.metric(MetricSample(name: name, unit: unit, values: MetricValues(single), dimensions: dimensions, timestamp: time,
                                                                    producer: .openTelemetry)))
                            } else if let count = int(point["count"]) {
                                var bounds = point["explicitBounds"].elements.compactMap(\.doubleValue)
                                var counts = point["bucketCounts"].elements.compactMap { int($0) }
                                if counts.count != bounds.count + 1 {
                                    // Exponential histograms and summaries: one bucket holding every value.
                                    (bounds, counts) = ([], [count])
                                }
                                let quantiles = point["quantileValues"].elements
                                let minimum = point["min"]?.doubleValue ?? quantiles.first { $0["quantile"]?.doubleValue == 0 }?["value"]?.doubleValue
                                let maximum = point["max"]?.doubleValue ?? quantiles.first { $0["quantile"]?.doubleValue == 1 }?["value"]?.doubleValue
                                let histogram = HistogramPoint(count: count, sum: point["sum"]?.doubleValue ?? 0, min: minimum, max: maximum,
                                                               bucketCounts: counts, explicitBounds: bounds)
                                records.append(.metric(MetricSample(name: name, unit: unit, values: [], dimensions: dimensions, timestamp: time,
                                                                    producer: .openTelemetry, histogram: histogram)))
                            }
                        }
                    }
                }
            }
        }
    }

    static func status(_ code: String?, _ description: String?) -> SpanStatus {
        switch code {
        case "ERROR", "StatusCode.ERROR": return .error(message: description)
        case "OK", "StatusCode.OK": return .ok
        default: return .unset
        }
    }

    static func nanoseconds(_ iso: String) -> Int64? {
        guard let millis = Timestamps.epochMilliseconds(iso: iso) else { return nil }
        // Microseconds the millisecond reading dropped (`…41.417299Z`).
        var micros: Int64 = 0
        if let dot = iso.firstIndex(of: ".") {
            let digits = iso[iso.index(after: dot)...].prefix(while: \.isNumber)
            if digits.count > 3 { micros = Int64(String((digits.dropFirst(3) + "000").prefix(3))) ?? 0 }
        }
        return millis * 1_000_000 + micros * 1000
    }

    static func int(_ value: JSONView?) -> Int64? {
        value?.int64Value ?? value?.stringValue.flatMap { Int64($0) }
    }

    static func anyValue(_ value: JSONView?) -> String {
        guard let value else { return "" }
        for key: StaticString in ["stringValue", "intValue", "doubleValue", "boolValue"] {
            if let inner = value[key] { return LogRecognizer.text(of: inner) }
        }
        return LogRecognizer.text(of: value)
    }

    static func keyValues(_ value: JSONView?) -> [Attribute] {
        value.elements.compactMap { item in
            guard let key = item["key"]?.stringValue, let inner = item["value"] else { return nil }
            if let s = inner["stringValue"]?.stringValue { return Attribute(key, .string(s)) }
            if let i = int(inner["intValue"]) { return Attribute(key, .int(i)) }
            if let d = inner["doubleValue"]?.doubleValue { return Attribute(key, .double(d)) }
            if let b = inner["boolValue"]?.boolValue { return Attribute(key, .bool(b)) }
            return Attribute(key, .string(anyValue(inner)))
        }
    }
}
