/// One normalised record recognised in a log event, with where it came from.
public enum RecognizedRecord: Sendable, Equatable {
    case report(InvocationReport)
    case platform(PlatformEvent)
    case log(LogRecord)
    case span(SpanRecord)
    case metric(MetricSample)
    case invocation(AgentInvocation)
}

/// The normalised records of one ``DataMessage``, and the stream they came from.
public struct RecognizedMessage: Sendable {
    public var stream: StreamKey
    public var records: [RecognizedRecord]

    public init(stream: StreamKey, records: [RecognizedRecord]) {
        self.stream = stream
        self.records = records
    }
}
