import GRDB
import SluicePipeline
import SluiceTelemetry

// Rows to statement arguments and back. Column names are the schema's (StoreSchema).

extension EnvironmentRow {
    init(row: Row) {
        self.init(owner: row["owner"], logGroup: row["log_group"], logStream: row["log_stream"], function: row["function"],
                  firstMs: row["first_ms"], lastMs: row["last_ms"])
    }

    var arguments: StatementArguments { [logGroup, logStream, owner, function, firstMs, lastMs] }
}

extension InvocationRow {
    init(row: Row) {
        self.init(key: row["key"], owner: row["owner"], logGroup: row["log_group"], function: row["function"], logStream: row["log_stream"],
                  requestID: row["request_id"], source: InvocationRow.Source(rawValue: row["source"]) ?? .marker, producer: row["producer"],
                  startMs: row["start_ms"], endMs: row["end_ms"], durationMs: row["duration_ms"], billedDurationMs: row["billed_duration_ms"],
                  memorySizeMB: row["memory_size_mb"], maxMemoryUsedMB: row["max_memory_used_mb"], initDurationMs: row["init_duration_ms"],
                  coldStart: row["cold_start"], errorType: row["error_type"], flags: InvocationFlags(rawValue: row["flags"]),
                  costUSD: row["cost_usd"], traceID: row["trace_id"])
    }

    var arguments: StatementArguments {
        [key, logGroup, requestID, owner, function, logStream, source.rawValue, producer, startMs, endMs, durationMs, billedDurationMs,
         memorySizeMB, maxMemoryUsedMB, initDurationMs, coldStart, errorType, flags.rawValue, costUSD, traceID]
    }
}

extension SpanRow {
    init(row: Row) {
        let status: SpanStatus
        switch row["status"] as String {
        case "ok": status = .ok
        case "error": status = .error(message: row["status_message"])
        default: status = .unset
        }
        let span = SpanRecord(traceID: row["trace_id"], spanID: row["span_id"], parentSpanID: row["parent_span_id"], name: row["name"],
                              kind: SpanKind(rawValue: row["kind"]) ?? .internal, startNanos: row["start_ns"], durationNanos: row["duration_ns"],
                              status: status, attributes: AttributeCodec.decode(row["attributes"]),
                              producer: Producer(rawValue: row["producer"]) ?? .application, requestID: row["request_id"])
        self.init(span: span, owner: row["owner"], logGroup: row["log_group"], function: row["function"])
    }

    var arguments: StatementArguments {
        [span.traceID, span.spanID, span.parentSpanID, span.name, span.kind.rawValue, span.startNanos, span.durationNanos,
         span.status.name, span.status.message, AttributeCodec.encode(span.attributes), span.producer.rawValue, span.requestID,
         owner, logGroup, function]
    }
}

extension SpanStatus {
    /// `unset`, `ok` or `error`: the store's column.
    public var name: String {
        switch self {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        }
    }

    public var message: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension LogRow {
    init(row: Row) {
        self.init(key: row["key"], timestampMs: row["time_ms"], severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)),
                  body: row["body"], requestID: row["request_id"], traceID: row["trace_id"], spanID: row["span_id"],
                  attributes: AttributeCodec.decode(row["attributes"]), source: row["source"], owner: row["owner"],
                  logGroup: row["log_group"], logStream: row["log_stream"], function: row["function"])
    }

    var arguments: StatementArguments {
        [key, timestampMs, severity?.rawValue, body, requestID, traceID, spanID, AttributeCodec.encode(attributes), source, owner,
         logGroup, logStream, function]
    }
}

extension MetricRow {
    init(row: Row) {
        self.init(key: row["key"], source: row["source"], namespace: row["namespace"], name: row["name"], unit: row["unit"],
                  dimensions: AttributeCodec.decode(row["dimensions"]), timestampMs: row["time_ms"], count: row["count"],
                  sum: row["sum"], min: row["min"], max: row["max"], logGroup: row["log_group"])
    }

    var arguments: StatementArguments {
        [key, source, namespace, name, unit, AttributeCodec.encode(dimensions), timestampMs, count, sum, min, max, logGroup]
    }
}

extension TraceOverview {
    init(row: Row) {
        self.init(traceID: row["trace_id"], function: row["function"] ?? "", rootName: row["root_name"] ?? "", startNanos: row["start_ns"],
                  durationNanos: row["duration_ns"], spans: row["spans"], errorSpans: row["error_spans"])
    }
}
