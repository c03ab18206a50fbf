import SluicePipeline
import SluiceTelemetry

/// Delivers batches straight into a store (`replay` without `--to`, and `serve`).
public struct StoreSink: TelemetrySink {
    public let store: any TelemetryStore
    public let target: String
    /// Items older than this many milliseconds before `now` are deleted after each write; nil keeps everything.
    public let retentionMs: Int64?
    let now: @Sendable () -> Int64

    public init(store: any TelemetryStore, target: String, retentionMs: Int64? = nil, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.target = target
        self.retentionMs = retentionMs
        self.now = now
    }

    public func deliver(_ batch: TelemetryBatch, into tally: inout DeliveryTally) async {
        guard !batch.isEmpty else { return }
        do {
            let result = try await store.write(batch)
            tally.stored += result.stored
            tally.duplicates += result.duplicates
            tally.updated += result.updated
            if let retentionMs { _ = try await store.deleteOlder(thanMs: now() - retentionMs) }
        } catch {
            tally.failed += batch.itemCount
            if tally.error == nil { tally.error = error.description }
        }
    }
}
