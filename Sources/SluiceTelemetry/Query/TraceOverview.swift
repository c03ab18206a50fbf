/// One stored trace at a glance: for lists of the slowest and the failed traces.
public struct TraceOverview: Sendable, Equatable {
    public var traceID: String
    /// The function that logged its first span.
    public var function: String
    /// The name of its earliest span.
    public var rootName: String
    public var startNanos: Int64
    public var durationNanos: Int64
    public var spans: Int
    public var errorSpans: Int

    public init(traceID: String, function: String, rootName: String, startNanos: Int64, durationNanos: Int64, spans: Int, errorSpans: Int) {
        self.traceID = traceID
        self.function = function
        self.rootName = rootName
        self.startNanos = startNanos
        self.durationNanos = durationNanos
        self.spans = spans
        self.errorSpans = errorSpans
    }
}
