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

/// One metric data point from a log line: an EMF document, a Datadog metric line, a Thundra metric.
public struct MetricSample: Sendable, Equatable {
    /// EMF's namespace; nil for producers without one.
    public var namespace: String?
    public var name: String
    public var unit: String?
    /// Every value the line gives for it (EMF arrays give several).
    public var values: [Double]
    /// Dimension names and values (EMF's dimension set, Datadog's tags), sorted by name.
    public var dimensions: [Attribute]
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var producer: Producer
    /// An already aggregated histogram point (OpenTelemetry's), instead of single values.
    public var histogram: HistogramPoint?

    public init(namespace: String? = nil, name: String, unit: String? = nil, values: [Double], dimensions: [Attribute] = [],
                timestamp: Int64, producer: Producer, histogram: HistogramPoint? = nil) {
        self.histogram = histogram
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.values = values
        self.dimensions = dimensions
        self.timestamp = timestamp
        self.producer = producer
    }
}

/// An explicit-bucket histogram data point as a producer aggregated it.
public struct HistogramPoint: Sendable, Equatable {
    public var count: Int64
    public var sum: Double
    public var min: Double?
    public var max: Double?
    public var bucketCounts: [Int64]
    public var explicitBounds: [Double]

    public init(count: Int64, sum: Double, min: Double?, max: Double?, bucketCounts: [Int64], explicitBounds: [Double]) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
    }
}

extension Substring {
    func replacingPrefix(_ prefix: String) -> Substring { hasPrefix(prefix) ? dropFirst(prefix.count) : self }
}
