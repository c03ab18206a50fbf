import SluicePipeline

/// Where a replay or a consumer delivers its batches: a store, or a collector over OTLP.
public protocol TelemetrySink: Sendable {
    /// The store or endpoint, for people (no credentials).
    var target: String { get }
    /// Delivers `batch`, counting what happened in `tally`; a failure is counted and described there, never thrown,
    /// so the rest of the replay still runs.
    func deliver(_ batch: TelemetryBatch, into tally: inout DeliveryTally) async
}
