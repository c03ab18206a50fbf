import SluiceTelemetry

/// Where delivered telemetry is kept: the embedded SQLite file or PostgreSQL.
///
/// Writes are idempotent: every item has a key (request id, trace and span id, `<event id>:<n>`), and an
/// item already stored is counted as a duplicate, not stored again.
public protocol TelemetryStore: Sendable {
    /// Stores `batch` in one transaction.
    func write(_ batch: TelemetryBatch) async throws(StoreError) -> StoreWriteResult
    /// Execution environments that logged at or after `sinceMs` (all when nil).
    func environments(sinceMs: Int64?) async throws(StoreError) -> [EnvironmentRow]
    /// Invocations that ended at or after `sinceMs` (all when nil).
    func invocations(sinceMs: Int64?) async throws(StoreError) -> [InvocationRow]
    func spans(traceID: String) async throws(StoreError) -> [SpanRow]
    /// Log records carrying `traceID`, or one of `requestIDs`, oldest first.
    func logs(traceID: String, requestIDs: [String]) async throws(StoreError) -> [LogRow]
    /// Traces that started at or after `sinceMs`, slowest first; only those with an error span when `failedOnly`.
    func traces(sinceMs: Int64?, failedOnly: Bool, limit: Int) async throws(StoreError) -> [TraceOverview]
    /// Client spans (calls out of a function), for the service map.
    func clientSpans(sinceMs: Int64?) async throws(StoreError) -> [SpanRow]
    /// Points of metric `name`, oldest first.
    func metricPoints(name: String, sinceMs: Int64?) async throws(StoreError) -> [MetricRow]
    /// Deletes everything older than `cutoffMs`; returns how many items went.
    func deleteOlder(thanMs cutoffMs: Int64) async throws(StoreError) -> Int
}
