/// Why an OTLP request, or one item in it, could not be taken.
public enum OTLPDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not a valid protobuf (or JSON) message of the signal's request type.
    case malformedBody(signal: String, encoding: String, reason: String)
    /// A span or log record's trace id is not 16 bytes (32 hex digits in JSON).
    case invalidTraceID(signal: String, path: String, byteCount: Int)
    /// A span's id (or parent id) is not 8 bytes.
    case invalidSpanID(signal: String, path: String, byteCount: Int)
    /// A span ends before it starts.
    case negativeDuration(path: String, startNanos: UInt64, endNanos: UInt64)

    public var description: String {
        switch self {
        case .malformedBody(let signal, let encoding, let reason):
            "the body is not an OTLP \(signal) export request in \(encoding): \(reason)"
        case .invalidTraceID(let signal, let path, let count):
            "\(signal) \(path): the trace id has \(count) bytes; OTLP trace ids have 16 (32 hex digits)"
        case .invalidSpanID(let signal, let path, let count):
            "\(signal) \(path): the span id has \(count) bytes; OTLP span ids have 8 (16 hex digits)"
        case .negativeDuration(let path, let start, let end):
            "traces \(path): the span ends (\(end)) before it starts (\(start))"
        }
    }
}
