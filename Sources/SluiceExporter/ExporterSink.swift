import SluicePipeline
import SluiceTelemetry

/// Delivers batches to a collector (`replay --to URL`, and the Lambda consumer).
public struct ExporterSink: TelemetrySink {
    public let exporter: OTLPHTTPExporter
    public let windowMilliseconds: Int64

    public init(exporter: OTLPHTTPExporter, windowMilliseconds: Int64 = 60_000) {
        self.exporter = exporter
        self.windowMilliseconds = windowMilliseconds
    }

    public var target: String { exporter.configuration.displayTarget }

    public func deliver(_ batch: TelemetryBatch, into tally: inout DeliveryTally) async {
        guard !batch.isEmpty else { return }
        let report = await exporter.export(batch, windowMilliseconds: windowMilliseconds)
        tally.stored += report.accepted
        tally.failed += report.rejected + report.failed
        tally.retries += report.retries
        if tally.error == nil, let first = report.errors.first { tally.error = first.description }
    }
}
