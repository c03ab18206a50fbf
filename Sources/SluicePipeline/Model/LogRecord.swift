/// A log record, normalised (OpenTelemetry's log data model).
///
/// Built through the synthesised memberwise initialiser, which the public one calls (see ``MetricSample``:
/// a record built field by field was copied into its box, then destroyed). `source` is declared first so
/// that the two cannot be mistaken for each other.
public struct LogRecord: Sendable, Equatable {
    /// The kind of line it came from (`python.text_log`, `powertools.log`, ...).
    public var source: LogSource
    /// Milliseconds since the epoch: the record's own time when it carries one, else the event's.
    public var timestamp: Int64
    public var severity: Severity?
    public var body: Text
    /// The invocation it belongs to: from the line, or the invocation open in its log stream.
    public var requestID: String?
    /// 32 lowercase hex digits, when the line carries a trace id.
    public var traceID: String?
    /// 16 lowercase hex digits, when the line carries a span id.
    public var spanID: String?
    public var attributes: [Attribute]
    /// Whether this is the runtime's report of an exception the handler did not catch (which fails the
    /// invocation), rather than a log call.
    public var isUnhandledError = false
}

extension LogRecord {
    public init(timestamp: Int64, severity: Severity?, body: Text, requestID: String? = nil, traceID: String? = nil,
                spanID: String? = nil, attributes: [Attribute] = [], source: LogSource) {
        self.init(source: source, timestamp: timestamp, severity: severity, body: body, requestID: requestID, traceID: traceID,
                  spanID: spanID, attributes: attributes)
    }
}

/// Where a log record came from; the names of `streams/README.md`'s `log_records.by_source`.
public enum LogSource: String, Sendable, CaseIterable, Comparable {
    case pythonTextLog = "python.text_log"
    case pythonUnhandledError = "python.unhandled_error"
    case lambdaJSONAppLog = "lambda.json_applog"
    case powertoolsLog = "powertools.log"
    case nodeTextLog = "node.text_log"
    case otelLog = "otel.log"
    case thundraLog = "thundra.log"
    case newRelicLog = "newrelic.log"
    case plainText = "text"

    public static func < (a: LogSource, b: LogSource) -> Bool { a.rawValue < b.rawValue }
}

/// A key and a value, as OpenTelemetry attributes are.
public struct Attribute: Sendable, Equatable {
    public var key: String
    public var value: AttributeValue

    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

public enum AttributeValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
}
