import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import SluicePipeline
import SluiceServer
import SluiceStore
import SluiceTelemetry

/// `sluice serve`: the collector.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the collector: OTLP/HTTP, raw CloudWatch Logs payloads and Firehose deliveries into the store, and the query API.",
        discussion: """
            Routes: POST /v1/traces, /v1/metrics, /v1/logs (OTLP/HTTP, protobuf or JSON, gzip or not); \
            POST /v1/cloudwatch-logs (a subscription payload in any form replay reads); POST /v1/firehose (the \
            Kinesis Data Firehose HTTP endpoint protocol); GET /healthz; GET /api/functions, /api/traces, \
            /api/traces/ID, /api/service-map, /api/metrics/NAME (with ?since=1h).
            SIGTERM or SIGINT stops it after the requests in flight have been answered and written.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:4318; SLUICE_LISTEN). Port 0 picks a free one.")
    var listen: String?

    @Option(help: "The store: sqlite:PATH or postgres://USER@HOST:PORT/DB (default sqlite:./sluice.db; SLUICE_STORE).")
    var store: String?

    @Option(help: "Require 'Authorization: Bearer TOKEN' on every route but /healthz (SLUICE_TOKEN).")
    var token: String?

    @Option(help: "The access key Firehose sends in X-Amz-Firehose-Access-Key (SLUICE_FIREHOSE_ACCESS_KEY; default: the token).")
    var firehoseAccessKey: String?

    @Option(help: "Largest request body taken, in bytes (default 16777216; SLUICE_MAX_BODY_BYTES).")
    var maxBodyBytes: Int?

    @Option(help: "Delete stored items older than this, checked every minute (for example 7d; SLUICE_RETENTION).")
    var retention: String?

    func run() async throws {
        let environment = ProcessEnvironment.variables()
        var (server, problems) = ServerConfiguration.fromEnvironment(environment)
        if let listen, let problem = server.setListen(listen) { problems.append("--listen: \(problem)") }
        if let token { server.token = token }
        if let firehoseAccessKey { server.firehoseAccessKey = firehoseAccessKey }
        if let maxBodyBytes { server.maxBodyBytes = maxBodyBytes }
        problems += server.validate()
        let (intake, intakeProblems) = IntakeConfiguration.fromEnvironment(environment)
        let (aggregation, aggregationProblems) = AggregationConfiguration.fromEnvironment(environment)
        let (sampler, samplerProblems) = TailSampler.fromEnvironment(environment)
        problems += intakeProblems + intake.validate() + aggregationProblems + aggregation.validate() + samplerProblems + sampler.validate()
        let (resolved, storeProblems) = StoreConfiguration.resolve(store: store, retention: retention, environment: environment)
        problems += storeProblems
        guard problems.isEmpty, let resolved else {
            throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - "))
        }
        let (location, retentionMs) = (resolved.location, resolved.retentionMs)

        let logger = Logger.sluice(label: "sluice.serve", defaultLevel: .info)
        let opened: (store: any TelemetryStore, services: [any Service], prepare: @Sendable () async throws -> Void)
        do { opened = try location.openForService(logger: logger) } catch {
            ProcessEnvironment.writeStandardError("sluice: \(error)\n")
            throw ExitCode(1)
        }
        var services = opened.services
        if let retentionMs {
            services.append(RetentionService(store: opened.store, retentionMs: retentionMs, interval: .seconds(60), clock: ContinuousClock(),
                                             now: { WallClock.nowMilliseconds() }, logger: logger))
        }
        let sluice = SluiceServer(configuration: server, store: opened.store, ingestor: PayloadIngestor(intake: intake, aggregation: aggregation, sampler: sampler),
                                  logger: logger, now: { WallClock.nowMilliseconds() })
        let target = location.description
        var application = sluice.application(services: services) { host, port in
            ProcessEnvironment.writeStandardError("sluice serve: listening on http://\(host):\(port) (store \(target))\n")
        }
        let prepare = opened.prepare
        application.beforeServerStarts {
            do { try await prepare() } catch {
                ProcessEnvironment.writeStandardError("sluice: \(error)\n")
                throw error
            }
        }
        do {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            ProcessEnvironment.writeStandardError("sluice serve: stopped: \(error)\n")
            throw ExitCode(1)
        }
    }
}
