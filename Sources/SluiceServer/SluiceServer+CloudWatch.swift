import Hummingbird
import SluicePipeline
import SluiceStore
import SluiceTelemetry

extension SluiceServer {
    /// `POST /v1/cloudwatch-logs`: a subscription payload in any form `replay` reads, for development
    /// without AWS in between. Whatever part of it is good is stored even when another part is refused.
    func cloudWatchLogs(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let bytes = try await body(request)
        let result = ingestor.ingest(bytes, source: "POST /v1/cloudwatch-logs")
        let written = try await store(result.batch)
        var w = JSONWriter()
        w.beginObject()
        w.key("payloads"); w.int(result.intake.payloadsRead)
        w.key("events"); w.int(result.events)
        w.key("duplicate_events"); w.int(result.duplicateEvents)
        w.key("records"); w.int(result.records)
        w.key("unfinished_records"); w.int(result.unfinishedRecords)
        w.key("kept_traces"); w.int(result.keptTraces)
        w.key("dropped_traces"); w.int(result.droppedTraces)
        w.key("stored"); w.int(written.stored)
        w.key("duplicates"); w.int(written.duplicates)
        w.key("rejections")
        PayloadRejection.writeJSON(result.intake.rejections, to: &w)
        w.endObject()
        // Part refused: 200 with the rejections listed (the rest is stored); all refused: 400.
        let refusedAll = !result.intake.rejections.isEmpty && result.intake.messages.isEmpty
        return Self.json(w.string + "\n", status: refusedAll ? .badRequest : .ok)
    }
}
