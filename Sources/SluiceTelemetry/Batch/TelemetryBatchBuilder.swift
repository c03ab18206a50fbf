import SluicePipeline

/// Turns recognised messages into a ``TelemetryBatch``. Pure and synchronous.
///
/// Every report, agent invocation record and line that marks an invocation failed becomes an invocation
/// row; every execution environment that logged becomes an environment row; every log record and metric sample becomes a row keyed by its event; spans are held
/// until the tail-sampling decision says which traces to keep (``takeSpans(keeping:)``).
public struct TelemetryBatchBuilder: Sendable {
    public var configuration: AggregationConfiguration
    private var environments: [String: EnvironmentRow] = [:]
    private var environmentOrder: [String] = []
    private var invocations: [InvocationRow] = []
    private var logs: [LogRow] = []
    private var metrics: [MetricRow] = []
    private var spans: [SpanRow] = []

    public init(configuration: AggregationConfiguration = .default) {
        self.configuration = configuration
    }

    public mutating func add(_ message: RecognizedMessage) {
        let stream = message.stream
        let function = FunctionWindowKey.functionName(logGroup: stream.logGroup)
        let keys = message.keys
        // When the stream logged about its function in this message: one environment update per message
        // (a message is one stream), not a key made and looked up for every record.
        var first = Int64.max, last = Int64.min
        defer { if first <= last { seen(stream, function, from: first, to: last) } }
        for (index, record) in message.records.enumerated() {
            let key = index < keys.count ? keys[index] : "\(stream.logStream):\(index)"
            func row(_ requestID: String, _ source: InvocationRow.Source, start: Int64, end: Int64) -> InvocationRow {
                InvocationRow(key: key, owner: stream.owner, logGroup: stream.logGroup, function: function, logStream: stream.logStream,
                              requestID: requestID, source: source, startMs: start, endMs: end)
            }
            if let time = record.activityTimestamp {
                first = min(first, time)
                last = max(last, time)
            }
            switch record {
            case .report(let r):
                var invocation = row(r.requestID, .report, start: r.timestamp - Int64(r.durationMs.rounded(.up)), end: r.timestamp)
                invocation.durationMs = r.durationMs
                invocation.billedDurationMs = r.billedDurationMs
                invocation.memorySizeMB = r.memorySizeMB
                invocation.maxMemoryUsedMB = r.maxMemoryUsedMB
                invocation.initDurationMs = r.initDurationMs
                invocation.coldStart = r.initDurationMs != nil
                invocation.errorType = r.errorType
                invocation.traceID = r.traceID
                if r.status == .error || r.status == .failure || r.status == .timeout { invocation.flags.insert(.failed) }
                if r.status == .timeout { invocation.flags.insert(.timedOut) }
                if r.errorType == "Runtime.OutOfMemory" { invocation.flags.formUnion([.failed, .outOfMemory]) }
                invocation.costUSD = configuration.prices.cost(billedMs: r.billedDurationMs ?? r.durationMs.rounded(.up),
                                                               memoryMB: r.memorySizeMB ?? 128, architecture: configuration.architecture)
                invocations.append(invocation)
            case .platform(let e):
                guard let id = e.requestID else { continue }
                var marked: InvocationFlags = []
                switch e.kind {
                case .timeout: marked = [.failed, .timedOut]
                case .crash(_, let outOfMemory): marked = outOfMemory ? [.failed, .outOfMemory] : [.failed]
                case .end(let status):
                    if status == .error || status == .failure { marked = [.failed] }
                    if status == .timeout { marked = [.failed, .timedOut] }
                case .start, .initStart, .initReport, .restoreStart, .restoreReport: break
                }
                if marked.isEmpty { continue }
                var marker = row(id, .marker, start: e.timestamp, end: e.timestamp)
                marker.flags = marked
                invocations.append(marker)
            case .log(let log):
                if log.isUnhandledError, let id = log.requestID {
                    var marker = row(id, .marker, start: log.timestamp, end: log.timestamp)
                    marker.flags = [.failed]
                    invocations.append(marker)
                }
                logs.append(LogRow(key: key, timestampMs: log.timestamp, severity: log.severity, body: log.body.string,
                                   requestID: log.requestID, traceID: log.traceID.map(OTLPIdentifiers.traceID), spanID: log.spanID.map(OTLPIdentifiers.spanID),
                                   attributes: log.attributes,
                                   source: log.source.rawValue, owner: stream.owner, logGroup: stream.logGroup,
                                   logStream: stream.logStream, function: function))
            case .invocation(let agent):
                guard let id = agent.requestID else { continue }
                let start = agent.startTimestamp
                var invocation = row(id, .agent, start: start, end: start + Int64(agent.durationMs.rounded(.up)))
                invocation.producer = agent.producer.rawValue
                invocation.durationMs = agent.durationMs
                invocation.coldStart = agent.coldStart ?? false
                invocation.errorType = agent.errorType
                invocation.traceID = agent.xrayTraceID ?? agent.traceID
                if agent.failed { invocation.flags.insert(.failed) }
                if agent.timedOut { invocation.flags.insert(.timedOut) }
                invocations.append(invocation)
            case .metric(let m):
                metrics.append(MetricRow(sample: m, key: key, logGroup: stream.logGroup))
            case .span(let span):
                spans.append(SpanRow(span: Self.withOTLPIdentifiers(span), owner: stream.owner, logGroup: stream.logGroup, function: function))
            case .trace:
                // What it says is in the trace's spans already.
                break
            }
        }
    }

    /// Notes that `stream` logged about its function from `first` to `last` (the records the function
    /// aggregator counts).
    private mutating func seen(_ stream: StreamKey, _ function: String, from first: Int64, to last: Int64) {
        let row = EnvironmentRow(owner: stream.owner, logGroup: stream.logGroup, logStream: stream.logStream, function: function,
                                 firstMs: first, lastMs: last)
        let key = row.key
        if environments[key] == nil {
            environments[key] = row
            environmentOrder.append(key)
        } else {
            environments[key]?.merge(row)
        }
    }

    /// Everything gathered except spans, and forgets it (spans wait for the sampling decision).
    public mutating func takeBatch() -> TelemetryBatch {
        let batch = TelemetryBatch(environments: environmentOrder.compactMap { environments[$0] },
                                   invocations: invocations, logs: logs, metrics: metrics)
        environments = [:]
        environmentOrder = []
        invocations = []
        logs = []
        metrics = []
        return batch
    }

    /// The spans of the traces in `kept` (every span when nil), in arrival order, and forgets all spans.
    public mutating func takeSpans(keeping kept: Set<String>?) -> [SpanRow] {
        defer { spans = [] }
        guard let kept else { return spans }
        return spans.filter { kept.contains($0.span.traceID) }
    }
}

extension TelemetryBatchBuilder {
    /// The span with ids OTLP accepts: 32 and 16 hex digits (Thundra's UUID span ids are hashed to 64
    /// bits, the original kept as `sluice.source_span_id`), so the store holds what any collector would.
    static func withOTLPIdentifiers(_ span: SpanRecord) -> SpanRecord {
        var span = span
        span.traceID = OTLPIdentifiers.traceID(span.traceID)
        let original = span.spanID
        span.spanID = OTLPIdentifiers.spanID(original)
        if span.spanID != original { span.attributes.append(Attribute("sluice.source_span_id", .string(original))) }
        span.parentSpanID = span.parentSpanID.map(OTLPIdentifiers.spanID)
        return span
    }
}

extension MetricRow {
    init(sample m: MetricSample, key: String, logGroup: String) {
        var count = Int64(m.values.count)
        var sum = 0.0
        var low = Double.infinity
        var high = -Double.infinity
        for value in m.values {
            sum += value
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        if let histogram = m.histogram {
            count = histogram.count
            sum = histogram.sum
            low = histogram.min ?? low
            high = histogram.max ?? high
        }
        if count == 0 { (low, high) = (0, 0) }
        // A high-resolution EMF metric says so among its attributes (the store and OTLP keep them).
        let dimensions = m.storageResolution == 1 ? m.dimensions + [Attribute("aws.cloudwatch.storage_resolution", .int(1))] : m.dimensions
        self.init(key: key, source: m.producer.rawValue, namespace: m.namespace, name: m.name, unit: m.unit, dimensions: dimensions,
                  timestampMs: m.timestamp, count: count, sum: sum, min: low, max: high, logGroup: logGroup)
    }
}
