import SluicePipeline
import SluiceTelemetry
import Synchronization

/// Delivers batches to a collector (`replay --to URL`, and the Lambda consumer).
///
/// Once a delivery has run out its deadline with the collector unreachable, the later batches of the same
/// run fail at once (counted, and said so) instead of each waiting out a deadline of its own.
public struct ExporterSink: TelemetrySink {
    public let exporter: OTLPHTTPExporter
    public let windowMilliseconds: Int64
    private let unreachable = Unreachable()

    public init(exporter: OTLPHTTPExporter, windowMilliseconds: Int64 = 60_000) {
        self.exporter = exporter
        self.windowMilliseconds = windowMilliseconds
    }

    public var target: String { exporter.configuration.displayTarget }

    public func deliver(_ batch: TelemetryBatch, into tally: inout DeliveryTally) async {
        guard !batch.isEmpty else { return }
        if unreachable.flag.withLock({ $0 }) {
            tally.failed += batch.itemCount
            return
        }
        let report = await exporter.export(batch, windowMilliseconds: windowMilliseconds)
        tally.stored += report.accepted
        tally.failed += report.rejected + report.failed
        tally.retries += report.retries
        if tally.error == nil, let first = report.errors.first { tally.error = first.description }
        if report.failed > 0 {
            unreachable.flag.withLock { $0 = true }
            if let error = tally.error { tally.error = error + " (later batches of this run were not sent)" }
        }
    }

    private final class Unreachable: Sendable {
        let flag = Mutex(false)
    }
}
