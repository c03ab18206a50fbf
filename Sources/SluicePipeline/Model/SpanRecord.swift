/// A span, normalised (OpenTelemetry's trace data model), from any producer.
///
/// Built through the synthesised memberwise initialiser, which the public one calls (see ``MetricSample``:
/// built field by field it was copied into its record's box, then destroyed). `producer` is declared first
/// so that the two cannot be mistaken for each other.
public struct SpanRecord: Sendable, Equatable {
    public var producer: Producer
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
    /// The invocation it belongs to, when the producer says.
    public var requestID: String?

    public var isError: Bool { if case .error = status { return true } else { return false } }
}

extension SpanRecord {
    public init(traceID: String, spanID: String, parentSpanID: String?, name: String, kind: SpanKind = .internal,
                startNanos: Int64, durationNanos: Int64, status: SpanStatus = .unset, attributes: [Attribute] = [],
                producer: Producer, requestID: String? = nil) {
        self.init(producer: producer, traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, name: name, kind: kind,
                  startNanos: startNanos, durationNanos: durationNanos, status: status, attributes: attributes, requestID: requestID)
    }
}

public enum SpanKind: String, Sendable, CaseIterable {
    case unspecified, `internal`, server, client, producer, consumer

    /// A kind as OTLP/JSON writes it (the enum's number: 0 unspecified, 1 internal, 2 server, 3 client,
    /// 4 producer, 5 consumer) or by name, as console exporters and agents do.
    init(json value: JSONView?) {
        if let number = value?.int64Value {
            self = number >= 0 && number < SpanKind.allCases.count ? SpanKind.allCases[Int(number)] : .internal
        } else {
            self.init(text: value?.stringValue ?? "")
        }
    }

    /// Reads `SpanKind.SERVER`, `SPAN_KIND_SERVER`, `server`.
    init(text: String) {
        var text = text
        self = text.withUTF8 { SpanKind(bytes: $0) }
    }

    /// The same, read on the bytes: every New Relic and OpenTelemetry span names its kind.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        // The last non-empty dot-separated part, without `SPAN_KIND_`, any case.
        var end = bytes.count
        while end > 0 && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        var start = end
        while start > 0 && bytes[start - 1] != UInt8(ascii: ".") { start -= 1 }
        if Bytes(UnsafeBufferPointer(rebasing: bytes[start..<end])).hasPrefix("SPAN_KIND_") { start += 10 }
        let name = UnsafeBufferPointer(rebasing: bytes[start..<end])
        for kind in SpanKind.allCases {
            let raw = kind.rawValue.utf8
            if raw.count == name.count && zip(raw, name).allSatisfy({ $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }) {
                self = kind
                return
            }
        }
        self = .internal
    }
}

public enum SpanStatus: Sendable, Equatable {
    case unset, ok
    case error(message: String?)
}

