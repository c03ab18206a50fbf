/// One normalised record recognised in a log event, with where it came from.
public enum RecognizedRecord: Sendable, Equatable {
    case report(InvocationReport)
    case platform(PlatformEvent)
    case log(LogRecord)
    case span(SpanRecord)
    case metric(MetricSample)
    case invocation(AgentInvocation)
    case trace(TraceRecord)
}

/// The normalised records of one ``DataMessage``, and the stream they came from.
public struct RecognizedMessage: Sendable {
    public var stream: StreamKey
    public var records: [RecognizedRecord]
    /// One idempotency key per record, from the CloudWatch event it came from (`<event id>:<n>`, n its
    /// place among that event's records): the same payload processed twice gives the same keys, so a store
    /// keeps each record once. Made when asked for.
    public var keys: [String] { recordKeys.strings }
    var recordKeys: RecordKeys

    public init(stream: StreamKey, records: [RecognizedRecord], keys: [String]? = nil) {
        self.stream = stream
        self.records = records
        self.recordKeys = RecordKeys(keys ?? records.indices.map { "\(stream.logGroup):\(stream.logStream):\($0)" })
    }

    init(stream: StreamKey, records: [RecognizedRecord], keys: RecordKeys) {
        self.stream = stream
        self.records = records
        self.recordKeys = keys
    }
}
