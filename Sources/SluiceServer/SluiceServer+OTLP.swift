import Hummingbird
import NIOCore
import SluiceTelemetry
import SwiftProtobuf

extension SluiceServer {
    /// `POST /v1/traces|metrics|logs`: an OTLP export request as protobuf or JSON.
    func otlp(_ signal: OTLPSignal, _ request: Request, _ context: some RequestContext) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        let json: Bool
        if contentType.hasPrefix("application/x-protobuf") || contentType.hasPrefix("application/protobuf") {
            json = false
        } else if contentType.hasPrefix("application/json") {
            json = true
        } else {
            throw HTTPError(.unsupportedMediaType, message: "Content-Type must be application/x-protobuf or application/json (got '\(contentType)')")
        }
        var bytes = try await body(request)
        if json {
            do { bytes = try OTLPJSON.protobufJSON(bytes) } catch {
                throw HTTPError(.badRequest, message: OTLPDecodeError.malformedBody(signal: signal.rawValue, encoding: "JSON", reason: "\(error)").description)
            }
        }
        let decoder = OTLPDecoder()
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        let outcome: OTLPDecoder.Outcome
        do {
            switch signal {
            case .traces: outcome = decoder.traces(json ? try OTLPTraceRequest(jsonUTF8Bytes: bytes, options: options) : try OTLPTraceRequest(serializedBytes: bytes))
            case .logs: outcome = decoder.logs(json ? try OTLPLogsRequest(jsonUTF8Bytes: bytes, options: options) : try OTLPLogsRequest(serializedBytes: bytes))
            case .metrics: outcome = decoder.metrics(json ? try OTLPMetricsRequest(jsonUTF8Bytes: bytes, options: options) : try OTLPMetricsRequest(serializedBytes: bytes))
            }
        } catch {
            let reason = OTLPDecodeError.malformedBody(signal: signal.rawValue, encoding: json ? "JSON" : "protobuf", reason: "\(error)")
            throw HTTPError(.badRequest, message: reason.description)
        }
        let result = try await store(outcome.batch)
        logger.debug("otlp", metadata: ["signal": "\(signal.rawValue)", "stored": "\(result.stored)", "duplicates": "\(result.duplicates)",
                                        "rejected": "\(outcome.rejected.count)"])
        let message = outcome.rejected.prefix(3).map(\.description).joined(separator: "; ")
        let rejected = Int64(outcome.rejected.count)
        let answer: any SwiftProtobuf.Message
        switch signal {
        case .traces:
            var response = OTLPTraceResponse()
            if rejected > 0 { response.partialSuccess.rejectedSpans = rejected; response.partialSuccess.errorMessage = message }
            answer = response
        case .logs:
            var response = OTLPLogsResponse()
            if rejected > 0 { response.partialSuccess.rejectedLogRecords = rejected; response.partialSuccess.errorMessage = message }
            answer = response
        case .metrics:
            var response = OTLPMetricsResponse()
            if rejected > 0 { response.partialSuccess.rejectedDataPoints = rejected; response.partialSuccess.errorMessage = message }
            answer = response
        }
        let body: [UInt8] = json ? try answer.jsonUTF8Bytes() : try answer.serializedBytes()
        return Response(status: .ok, headers: [.contentType: json ? "application/json" : "application/x-protobuf"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
