/// A span, normalised (OpenTelemetry's trace data model), from any producer.
public struct SpanRecord: Sendable, Equatable {
    /// 32 lowercase hex digits (128 bits): Datadog's `_dd.p.tid` + `trace_id`, X-Ray's root, a Thundra uuid.
    public var traceID: String
    public var spanID: String
    public var parentSpanID: String?
    public var name: String
    public var kind: SpanKind
    /// Nanoseconds since the epoch.
    public var startNanos: Int64
    public var durationNanos: Int64
    public var status: SpanStatus
    public var attributes: [Attribute]
    public var producer: Producer
    /// The invocation it belongs to, when the producer says.
    public var requestID: String?

    public init(traceID: String, spanID: String, parentSpanID: String?, name: String, kind: SpanKind = .internal,
                startNanos: Int64, durationNanos: Int64, status: SpanStatus = .unset, attributes: [Attribute] = [],
                producer: Producer, requestID: String? = nil) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startNanos = startNanos
        self.durationNanos = durationNanos
        self.status = status
        self.attributes = attributes
        self.producer = producer
        self.requestID = requestID
    }

    public var isError: Bool { if case .error = status { return true } else { return false } }
}

public enum SpanKind: String, Sendable, CaseIterable {
    case unspecified, `internal`, server, client, producer, consumer

    /// Reads `SpanKind.SERVER`, `SPAN_KIND_SERVER`, `server`, an OTLP enum number.
    init(text: String) {
        let name = text.split(separator: ".").last.map { $0.replacingPrefix("SPAN_KIND_") } ?? ""
        self = SpanKind(rawValue: name.lowercased()) ?? .internal
    }
}

public enum SpanStatus: Sendable, Equatable {
    case unset, ok
    case error(message: String?)
}

extension Substring {
    func replacingPrefix(_ prefix: String) -> Substring { hasPrefix(prefix) ? dropFirst(prefix.count) : self }
}
