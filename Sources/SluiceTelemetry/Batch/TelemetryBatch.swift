/// What Sluice delivers: invocations, spans of kept traces, log records and metric points, each with a key
/// that makes storing it twice a no-op. The unit the exporter sends, `serve` receives and a store writes.
public struct TelemetryBatch: Sendable, Equatable {
    public var environments: [EnvironmentRow]
    public var invocations: [InvocationRow]
    public var spans: [SpanRow]
    public var logs: [LogRow]
    public var metrics: [MetricRow]

    public init(environments: [EnvironmentRow] = [], invocations: [InvocationRow] = [], spans: [SpanRow] = [], logs: [LogRow] = [], metrics: [MetricRow] = []) {
        self.environments = environments
        self.invocations = invocations
        self.spans = spans
        self.logs = logs
        self.metrics = metrics
    }

    public var isEmpty: Bool { environments.isEmpty && invocations.isEmpty && spans.isEmpty && logs.isEmpty && metrics.isEmpty }
    public var itemCount: Int { environments.count + invocations.count + spans.count + logs.count + metrics.count }

    public mutating func append(_ other: TelemetryBatch) {
        environments += other.environments
        invocations += other.invocations
        spans += other.spans
        logs += other.logs
        metrics += other.metrics
    }
}
