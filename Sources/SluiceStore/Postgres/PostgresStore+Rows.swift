import PostgresNIO
import SluicePipeline
import SluiceTelemetry

// Rows to bound values and back, in the schema's columns (StoreSchema).

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension EnvironmentRow {
    static let selectList = "log_group, log_stream, owner, function, first_ms, last_ms"
    var values: [PostgresValue] { [.text(logGroup), .text(logStream), .text(owner), .text(function), .int(firstMs), .int(lastMs)] }

    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(owner: try r.value("owner"), logGroup: try r.value("log_group"), logStream: try r.value("log_stream"),
                  function: try r.value("function"), firstMs: try r.value("first_ms"), lastMs: try r.value("last_ms"))
    }
}

extension InvocationRow {
    static let columns = ["key", "log_group", "request_id", "owner", "function", "log_stream", "source", "producer", "start_ms", "end_ms",
                          "duration_ms", "billed_duration_ms", "memory_size_mb", "max_memory_used_mb", "init_duration_ms", "cold_start",
                          "error_type", "flags", "cost_usd", "trace_id"]
    static var selectList: String { columns.joined(separator: ", ") }
    var values: [PostgresValue] {
        [.text(key), .text(logGroup), .text(requestID), .text(owner), .text(function), .text(logStream), .text(source.rawValue), .text(producer),
         .int(startMs), .int(endMs), .double(durationMs), .double(billedDurationMs), .int(memorySizeMB.map(Int64.init)),
         .int(maxMemoryUsedMB.map(Int64.init)), .double(initDurationMs), .bool(coldStart), .text(errorType), .int(Int64(flags.rawValue)),
         .double(costUSD), .text(traceID)]
    }

    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(key: try r.value("key"), owner: try r.value("owner"), logGroup: try r.value("log_group"), function: try r.value("function"),
                  logStream: try r.value("log_stream"), requestID: try r.value("request_id"),
                  source: InvocationRow.Source(rawValue: try r.value("source")) ?? .marker, producer: try r.value("producer"),
                  startMs: try r.value("start_ms"), endMs: try r.value("end_ms"), durationMs: try r.value("duration_ms"),
                  billedDurationMs: try r.value("billed_duration_ms"), memorySizeMB: try r.value("memory_size_mb", as: Int64?.self).map { Int($0) },
                  maxMemoryUsedMB: try r.value("max_memory_used_mb", as: Int64?.self).map { Int($0) }, initDurationMs: try r.value("init_duration_ms"),
                  coldStart: try r.value("cold_start"), errorType: try r.value("error_type"),
                  flags: InvocationFlags(rawValue: Int(try r.value("flags", as: Int64.self))), costUSD: try r.value("cost_usd"),
                  traceID: try r.value("trace_id"))
    }
}

extension SpanRow {
    static let columns = ["trace_id", "span_id", "parent_span_id", "name", "kind", "start_ns", "duration_ns", "status", "status_message",
                          "attributes", "producer", "request_id", "owner", "log_group", "function"]
    static var selectList: String { columns.joined(separator: ", ") }
    var values: [PostgresValue] {
        [.text(span.traceID), .text(span.spanID), .text(span.parentSpanID), .text(span.name), .text(span.kind.rawValue), .int(span.startNanos),
         .int(span.durationNanos), .text(span.status.name), .text(span.status.message), .text(AttributeCodec.encode(span.attributes)),
         .text(span.producer.rawValue), .text(span.requestID), .text(owner), .text(logGroup), .text(function)]
    }

    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        let status: SpanStatus
        switch try r.value("status", as: String.self) {
        case "ok": status = .ok
        case "error": status = .error(message: try r.value("status_message"))
        default: status = .unset
        }
        let span = SpanRecord(traceID: try r.value("trace_id"), spanID: try r.value("span_id"), parentSpanID: try r.value("parent_span_id"),
                              name: try r.value("name"), kind: SpanKind(rawValue: try r.value("kind")) ?? .internal,
                              startNanos: try r.value("start_ns"), durationNanos: try r.value("duration_ns"), status: status,
                              attributes: AttributeCodec.decode(try r.value("attributes")),
                              producer: Producer(rawValue: try r.value("producer")) ?? .application, requestID: try r.value("request_id"))
        self.init(span: span, owner: try r.value("owner"), logGroup: try r.value("log_group"), function: try r.value("function"))
    }
}

extension LogRow {
    static let columns = ["key", "time_ms", "severity", "body", "request_id", "trace_id", "span_id", "attributes", "source", "owner",
                          "log_group", "log_stream", "function"]
    static var selectList: String { columns.joined(separator: ", ") }
    var values: [PostgresValue] {
        [.text(key), .int(timestampMs), .text(severity?.rawValue), .text(body), .text(requestID), .text(traceID), .text(spanID),
         .text(AttributeCodec.encode(attributes)), .text(source), .text(owner), .text(logGroup), .text(logStream), .text(function)]
    }

    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(key: try r.value("key"), timestampMs: try r.value("time_ms"),
                  severity: (try r.value("severity", as: String?.self)).flatMap(Severity.init(rawValue:)), body: try r.value("body"),
                  requestID: try r.value("request_id"), traceID: try r.value("trace_id"), spanID: try r.value("span_id"),
                  attributes: AttributeCodec.decode(try r.value("attributes")), source: try r.value("source"), owner: try r.value("owner"),
                  logGroup: try r.value("log_group"), logStream: try r.value("log_stream"), function: try r.value("function"))
    }
}

extension MetricRow {
    static let columns = ["key", "source", "namespace", "name", "unit", "dimensions", "time_ms", "count", "sum", "min", "max", "log_group"]
    static var selectList: String { columns.joined(separator: ", ") }
    var values: [PostgresValue] {
        [.text(key), .text(source), .text(namespace), .text(name), .text(unit), .text(AttributeCodec.encode(dimensions)), .int(timestampMs),
         .int(count), .double(sum), .double(min), .double(max), .text(logGroup)]
    }

    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(key: try r.value("key"), source: try r.value("source"), namespace: try r.value("namespace"), name: try r.value("name"),
                  unit: try r.value("unit"), dimensions: AttributeCodec.decode(try r.value("dimensions")), timestampMs: try r.value("time_ms"),
                  count: try r.value("count"), sum: try r.value("sum"), min: try r.value("min"), max: try r.value("max"),
                  logGroup: try r.value("log_group"))
    }
}

extension TraceOverview {
    init(postgres row: PostgresRow) throws {
        let r = row.makeRandomAccess()
        self.init(traceID: try r.value("trace_id"), function: try r.value("function", as: String?.self) ?? "",
                  rootName: try r.value("root_name", as: String?.self) ?? "", startNanos: try r.value("start_ns"),
                  durationNanos: try r.value("duration_ns"), spans: Int(try r.value("spans", as: Int64.self)),
                  errorSpans: Int(try r.value("error_spans", as: Int64.self)))
    }
}
