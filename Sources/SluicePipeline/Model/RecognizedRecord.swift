/// One normalised record recognised in a log event, with where it came from.
///
/// `indirect`: each record lives in a box of its own, so a copy is one reference instead of the
/// record's fields (184 bytes and up to eight references for a span or a metric sample). The aggregators
/// read every record of a message, and Swift copies an array element before it binds a case's payload:
/// that copy was a fifth of aggregating, and the box costs recognition one allocation per record.
public indirect enum RecognizedRecord: Sendable, Equatable {
    case report(InvocationReport)
    case platform(PlatformEvent)
    case log(LogRecord)
    case span(SpanRecord)
    case metric(MetricSample)
    case invocation(AgentInvocation)
    case trace(TraceRecord)
}

extension RecognizedRecord {
    /// When the record says its function was active, in milliseconds: reports, platform events, log
    /// records and agent invocations; nil for spans, metric samples and trace records. What puts a record
    /// in a function's window, and what an execution environment's first and last times are made of.
    @inlinable public var activityTimestamp: Int64? {
        switch self {
        case .report(let r): r.timestamp
        case .platform(let e): e.timestamp
        case .log(let l): l.timestamp
        case .invocation(let a): a.startTimestamp
        case .span, .metric, .trace: nil
        }
    }
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
