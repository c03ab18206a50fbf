import HTTPTypes
import Hummingbird
import SluicePipeline
import SluiceStore
import SluiceTelemetry

extension SluiceServer {
    // Both names are valid header field names, so these never fail.
    static let firehoseRequestID = HTTPField.Name("X-Amz-Firehose-Request-Id") ?? .contentLocation
    static let firehoseAccessKey = HTTPField.Name("X-Amz-Firehose-Access-Key") ?? .authorization

    /// `POST /v1/firehose`: the Kinesis Data Firehose HTTP endpoint delivery protocol. The request is
    /// `{"requestId","timestamp","records":[{"data":base64}]}` with `X-Amz-Firehose-Request-Id` and
    /// `X-Amz-Firehose-Access-Key`; each record is what CloudWatch Logs gave Firehose (gzip DATA_MESSAGEs).
    /// The answer is `{"requestId","timestamp"}`, with `errorMessage` when it fails (Firehose retries those).
    func firehose(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let headerID = request.headers[Self.firehoseRequestID] ?? ""
        func answer(_ status: HTTPResponse.Status, requestID: String, error: String? = nil) -> Response {
            var w = JSONWriter()
            w.beginObject()
            w.key("requestId"); w.string(requestID)
            w.key("timestamp"); w.int(now())
            if let error { w.key("errorMessage"); w.string(error) }
            w.endObject()
            return Self.json(w.string, status: status)
        }
        if let expected = configuration.firehoseAccessKey ?? configuration.token {
            let presented = request.headers[Self.firehoseAccessKey] ?? ""
            guard Secret.matches(presented, expected) else {
                return answer(.unauthorized, requestID: headerID, error: presented.isEmpty
                    ? "no X-Amz-Firehose-Access-Key header: set the access key of the Firehose HTTP endpoint destination"
                    : "the X-Amz-Firehose-Access-Key is not the one this server was started with")
            }
        }
        let bytes: [UInt8]
        do { bytes = try await body(request) } catch let error as HTTPError {
            return answer(error.status, requestID: headerID, error: error.body ?? "\(error.status)")
        }
        let document: JSONValue
        do { document = try JSONValue.parse(bytes, maxDepth: 16) } catch {
            return answer(.badRequest, requestID: headerID, error: "the body is not JSON: \(error)")
        }
        let requestID = document["requestId"]?.stringValue ?? headerID
        if !headerID.isEmpty, requestID != headerID {
            return answer(.badRequest, requestID: headerID, error: "requestId \(requestID) in the body differs from the X-Amz-Firehose-Request-Id header \(headerID)")
        }
        guard let records = document["records"]?.arrayValue else {
            return answer(.badRequest, requestID: requestID, error: "the body has no \"records\" array")
        }
        var batch = TelemetryBatch()
        var problems: [String] = []
        for (index, record) in records.enumerated() {
            guard let data = record["data"]?.stringValue else {
                problems.append("records[\(index)] has no \"data\" string")
                continue
            }
            let decoded: [UInt8]
            do { decoded = try Base64Decoder.decode(Array(data.utf8), field: "records[\(index)].data") } catch {
                problems.append("\(error)")
                continue
            }
            let result = ingestor.ingest(decoded, source: "firehose \(requestID) records[\(index)]")
            problems += result.intake.rejections.map { "\($0)" }
            batch.append(result.batch)
        }
        _ = try await store(batch)
        // A record Sluice cannot read would be refused again on every retry: it is counted, logged and
        // acknowledged, so Firehose does not send the same garbage forever.
        if !problems.isEmpty {
            logger.warning("firehose records rejected", metadata: ["requestId": "\(requestID)", "problems": "\(problems.prefix(5))"])
        }
        return answer(.ok, requestID: requestID)
    }
}
