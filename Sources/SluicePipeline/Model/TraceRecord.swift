/// A record that describes a whole trace rather than one of its spans (Thundra 2.0's `Trace`): which span
/// is its root, when it started and how long it took.
public struct TraceRecord: Sendable, Equatable {
    /// 32 lower-case hex digits, as the trace's spans carry it.
    public var traceID: String
    public var rootSpanID: String?
    public var startNanos: Int64
    public var durationNanos: Int64
    public var attributes: [Attribute]
    public var producer: Producer

    public init(traceID: String, rootSpanID: String?, startNanos: Int64, durationNanos: Int64, attributes: [Attribute] = [], producer: Producer) {
        self.traceID = traceID
        self.rootSpanID = rootSpanID
        self.startNanos = startNanos
        self.durationNanos = durationNanos
        self.attributes = attributes
        self.producer = producer
    }
}
