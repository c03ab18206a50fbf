import SluicePipeline
import SluiceTelemetry

/// The questions `sluice query` and `serve`'s `/api/` answer, asked of any ``TelemetryStore``.
public struct TelemetryQuery: Sendable {
    public let store: any TelemetryStore

    public init(store: any TelemetryStore) {
        self.store = store
    }

    /// Per-function figures, the same fields as `replay --format json`'s `functions`.
    public func functions(sinceMs: Int64?) async throws(StoreError) -> [FunctionSummary] {
        FunctionRollup.summaries(environments: try await store.environments(sinceMs: sinceMs),
                                 invocations: try await store.invocations(sinceMs: sinceMs))
    }

    /// A trace with its spans and the log records that belong to it; nil when no span of it is stored.
    public func trace(id: String) async throws(StoreError) -> (trace: AssembledTrace, logs: [LogRow])? {
        let rows = try await store.spans(traceID: id.lowercased())
        guard !rows.isEmpty else { return nil }
        var trace = AssembledTrace(traceID: id.lowercased())
        for row in rows { trace.add(row.span, function: row.function) }
        let logs = try await store.logs(traceID: trace.traceID, requestIDs: trace.requestIDs.sorted())
        return (trace, logs)
    }

    public func traces(sinceMs: Int64?, failedOnly: Bool, limit: Int) async throws(StoreError) -> [TraceOverview] {
        try await store.traces(sinceMs: sinceMs, failedOnly: failedOnly, limit: limit)
    }

    /// Caller to callee, from the stored client spans, as `replay`'s `service_map`.
    public func serviceMap(sinceMs: Int64?) async throws(StoreError) -> [(edge: ServiceEdge, figures: EdgeFigures)] {
        var edges: [ServiceEdge: EdgeFigures] = [:]
        for row in try await store.clientSpans(sinceMs: sinceMs) {
            guard let peer = TraceAssembler.peer(of: row.span) else { continue }
            edges[ServiceEdge(from: row.function, to: peer), default: EdgeFigures()].record(row.span)
        }
        return edges.keys.sorted().compactMap { edge in edges[edge].map { (edge, $0) } }
    }

    /// A metric's points summed per series (source, namespace, unit, dimensions) and window.
    public func metric(name: String, sinceMs: Int64?, windowMs: Int64) async throws(StoreError) -> [MetricSeries] {
        var series: [MetricSeries.Key: [Int64: MetricSeries.Point]] = [:]
        for row in try await store.metricPoints(name: name, sinceMs: sinceMs) {
            let key = MetricSeries.Key(source: row.source, namespace: row.namespace, unit: row.unit,
                                       dimensions: row.dimensions.map { MetricSeries.Dimension(name: $0.key, value: $0.value.text) })
            let window = row.timestampMs - ((row.timestampMs % windowMs) + windowMs) % windowMs
            series[key, default: [:]][window, default: MetricSeries.Point(startMs: window)].add(row)
        }
        return series.map { key, points in MetricSeries(key: key, points: points.values.sorted { $0.startMs < $1.startMs }) }
            .sorted { $0.key < $1.key }
    }
}

/// One series of a metric: its points per window.
public struct MetricSeries: Sendable, Equatable {
    public struct Dimension: Sendable, Hashable, Comparable {
        public var name: String
        public var value: String
        public static func < (a: Dimension, b: Dimension) -> Bool { (a.name, a.value) < (b.name, b.value) }
    }

    public struct Key: Sendable, Hashable, Comparable {
        public var source: String
        public var namespace: String?
        public var unit: String?
        public var dimensions: [Dimension]

        public static func < (a: Key, b: Key) -> Bool {
            (a.source, a.namespace ?? "", a.unit ?? "") != (b.source, b.namespace ?? "", b.unit ?? "")
                ? (a.source, a.namespace ?? "", a.unit ?? "") < (b.source, b.namespace ?? "", b.unit ?? "")
                : a.dimensions.lexicographicallyPrecedes(b.dimensions)
        }
    }

    public struct Point: Sendable, Equatable {
        public var startMs: Int64
        public var count: Int64 = 0
        public var sum = 0.0
        public var min = Double.infinity
        public var max = -Double.infinity

        mutating func add(_ row: MetricRow) {
            count = count.saturatingAdding(row.count)
            sum += row.sum
            min = Swift.min(min, row.min)
            max = Swift.max(max, row.max)
        }
    }

    public var key: Key
    public var points: [Point]
}
