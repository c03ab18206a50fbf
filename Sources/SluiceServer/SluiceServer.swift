import Hummingbird
import Logging
import NIOCore
import SluicePipeline
import SluiceStore
import ServiceLifecycle
import SluiceTelemetry

/// `sluice serve`: the collector. OTLP/HTTP in (protobuf or JSON, gzip or not), raw CloudWatch Logs
/// subscription payloads, the Kinesis Data Firehose HTTP endpoint protocol, and the query API, all into
/// one ``TelemetryStore``.
public struct SluiceServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: any TelemetryStore
    public let ingestor: PayloadIngestor
    let logger: Logger
    /// Wall-clock milliseconds, for Firehose's `timestamp` and `--since` ranges.
    let now: @Sendable () -> Int64

    public init(configuration: ServerConfiguration, store: any TelemetryStore, ingestor: PayloadIngestor, logger: Logger,
                now: @escaping @Sendable () -> Int64) {
        self.configuration = configuration
        self.store = store
        self.ingestor = ingestor
        self.logger = logger
        self.now = now
    }

    /// The application, ready to run (`runService()` handles SIGTERM and SIGINT: in-flight requests and
    /// their writes finish before it returns). `onListening` gets the bound address.
    public func application(services: [any Service] = [], onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in })
        -> Application<RouterResponder<BasicRequestContext>>
    {
        let router = Router()
        router.add(middleware: AuthenticationMiddleware(token: configuration.token))
        router.get("/healthz") { _, _ in "ok\n" }
        for signal in OTLPSignal.allCases {
            router.post(RouterPath(stringLiteral: signal.path)) { request, context in
                try await self.otlp(signal, request, context)
            }
        }
        router.post("/v1/cloudwatch-logs") { request, context in try await self.cloudWatchLogs(request, context) }
        router.post("/v1/firehose") { request, context in try await self.firehose(request, context) }
        addQueryRoutes(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            services: services,
            onServerRunning: { channel in
                await onListening(channel.localAddress?.ipAddress ?? "?", channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }

    /// The request body, gunzipped when it says it is gzip, within the configured limit.
    func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the body is larger than this server takes (\(configuration.maxBodyBytes) bytes)")
        }
        let bytes = Array(buffer.readableBytesView)
        guard let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" else { return bytes }
        guard encoding == "gzip" else {
            throw HTTPError(.unsupportedMediaType, message: "Content-Encoding \(encoding) is not supported: send gzip or no encoding")
        }
        let output = bytes.withUnsafeBufferPointer {
            GzipDecoder.inflate($0, limit: max(configuration.maxBodyBytes * 8, 64 << 20), field: "request body")
        }
        if let error = output.error { throw HTTPError(.badRequest, message: "the gzip body cannot be read: \(error)") }
        return output.buffer.withBytes { Array($0) }
    }

    /// Writes a batch; a store that fails is the server's problem (503: clients retry), not the sender's.
    func store(_ batch: TelemetryBatch) async throws -> StoreWriteResult {
        do {
            return try await store.write(batch)
        } catch {
            logger.error("store write failed", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "the store cannot take the data now: \(error)")
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
