import AsyncHTTPClient
import Logging
import SluiceAWS
import SluiceExporter
import SluicePipeline
import SluiceTelemetry

/// The Lambda consumer: the Runtime API loop around the pipeline and the exporter.
///
/// Each invocation is one subscription payload. A payload Sluice cannot read is logged, counted and answered
/// with success (retrying garbage cannot help); a collector still unreachable after the retries the
/// invocation's deadline allows fails the invocation, so Lambda's asynchronous retries, then the
/// on-failure destination, keep the data. Its own figures go to its log as one EMF line per invocation.
public struct LambdaConsumer: Sendable {
    public let configuration: LambdaConfiguration
    let runtime: LambdaRuntimeClient
    let client: HTTPClient
    let logger: Logger
    /// Wall-clock milliseconds, to set the export's deadline from `Lambda-Runtime-Deadline-Ms`.
    let now: @Sendable () -> Int64
    /// Writes a line to standard output (CloudWatch Logs turns EMF lines into metrics).
    let write: @Sendable (String) -> Void

    public init(configuration: LambdaConfiguration, client: HTTPClient, logger: Logger, now: @escaping @Sendable () -> Int64,
                write: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.runtime = LambdaRuntimeClient(runtimeAPI: configuration.runtimeAPI)
        self.client = client
        self.logger = logger
        self.now = now
        self.write = write
    }

    /// Takes invocations until the task is cancelled or the Runtime API fails.
    public func run() async throws {
        while !Task.isCancelled {
            let invocation = try await runtime.next()
            try await handle(invocation)
        }
    }

    /// What one invocation did, for the EMF line and the response.
    struct Figures {
        var payloads = 0
        var events = 0
        var records = 0
        var rejected = 0
        var forwarded = 0
        var failed = 0
        var retries = 0
        var bytes = 0
        var milliseconds = 0.0
        /// Decoding, recognition and aggregation: the pipeline's own time.
        var pipelineMilliseconds = 0.0
        var exportMilliseconds = 0.0
    }

    func handle(_ invocation: LambdaRuntimeClient.Invocation) async throws {
        if AutoSubscription.isEventBridgeEvent(invocation.body) {
            try await subscribeCreatedLogGroup(invocation)
            return
        }
        let clock = ContinuousClock()
        let started = clock.now
        let result = configuration.ingestor.ingest(invocation.body, source: "invocation \(invocation.requestID)")
        var figures = Figures(payloads: result.intake.payloadsRead, events: result.events, records: result.records,
                              rejected: result.intake.rejections.count, bytes: invocation.body.count)
        for rejection in result.intake.rejections {
            logger.error("payload rejected", metadata: ["requestId": "\(invocation.requestID)", "kind": "\(rejection.error.kind)",
                                                        "error": "\(rejection.error)"])
        }
        figures.pipelineMilliseconds = started.duration(to: clock.now).milliseconds
        let exportStarted = clock.now
        var report = ExportReport()
        if !result.batch.isEmpty {
            var exporterConfiguration = configuration.exporter
            let remaining = Duration.milliseconds(max(invocation.deadlineMs - now(), 0)) - configuration.safetyMargin
            exporterConfiguration.deadline = max(min(exporterConfiguration.deadline, remaining), .milliseconds(1))
            let exporter = OTLPHTTPExporter(configuration: exporterConfiguration, client: client, logger: logger)
            report = await exporter.export(result.batch, windowMilliseconds: configuration.ingestor.aggregation.windowMilliseconds)
        }
        figures.forwarded = report.accepted
        figures.failed = report.failed + report.rejected
        figures.retries = report.retries
        figures.exportMilliseconds = exportStarted.duration(to: clock.now).milliseconds
        figures.milliseconds = started.duration(to: clock.now).milliseconds
        write(emf(figures))
        if report.failed > 0 {
            let message = report.errors.first?.description ?? "the collector could not be reached"
            logger.error("export failed", metadata: ["requestId": "\(invocation.requestID)", "error": "\(message)"])
            try await runtime.fail(invocation.requestID, errorType: "Sluice.CollectorUnreachable", message: message)
            withExtendedLifetime(result) {}
            return
        }
        if report.rejected > 0 {
            // The collector refused items for good: sending the event again would be refused again.
            logger.error("collector rejected items", metadata: ["requestId": "\(invocation.requestID)", "error": "\(report.errors.first?.description ?? "")"])
        } else if let error = report.errors.first {
            // Only the derived window metrics, which carry no keys, were lost: sending the payload again
            // would count the windows of everything delivered twice.
            logger.warning("derived window metrics not delivered", metadata: ["requestId": "\(invocation.requestID)", "error": "\(error)"])
        }
        try await runtime.respond(invocation.requestID, json: response(figures, rejections: result.intake.rejections))
        // Freeing the records and the batch (thousands of strings) is left until Lambda has the answer, so a
        // synchronous caller gets it sooner. The billed duration still includes it: it runs until the next
        // `/next` (measured under the emulator: keeping the batch instead takes 0.2 ms off each REPORT).
        withExtendedLifetime(result) {}
    }

    /// A CloudTrail `CreateLogGroup` event from EventBridge: subscribe the new group if its name has the
    /// prefix. A failed AWS call fails the invocation (EventBridge's asynchronous retries, then the
    /// on-failure destination); a group at the two-filter limit is answered and logged, as a retry cannot help.
    func subscribeCreatedLogGroup(_ invocation: LambdaRuntimeClient.Invocation) async throws {
        func answer(_ status: String, _ detail: [(String, String)]) async throws {
            var w = JSONWriter()
            w.beginObject()
            w.key("status"); w.string(status)
            for (key, value) in detail { w.key(key); w.string(value) }
            w.endObject()
            try await runtime.respond(invocation.requestID, json: w.string)
        }
        guard let auto = configuration.autoSubscription, let aws = configuration.aws else {
            return try await answer("ignored", [("reason", "an EventBridge event, and auto-subscription is off (SLUICE_AUTO_SUBSCRIBE_PREFIX is not set)")])
        }
        guard let group = AutoSubscription.createdLogGroup(in: invocation.body) else {
            return try await answer("ignored", [("reason", "an EventBridge event that is not CloudTrail's CreateLogGroup")])
        }
        guard group.hasPrefix(auto.prefix) else {
            return try await answer("ignored", [("logGroup", group), ("reason", "the name does not start with \(auto.prefix)")])
        }
        let destination = auto.destinationArn ?? invocation.invokedFunctionArn
        let request = SubscriptionRequest(destinationArn: destination, selector: .names([group]), filterName: auto.filterName,
                                          filterPattern: auto.filterPattern)
        let runner = SubscriptionRunner(client: AWSClient(configuration: aws, http: client, now: { now() / 1000 }, timeout: .seconds(10)))
        let report = await runner.subscribe(request, dryRun: false, managePermission: false)
        let action = report.entries.first?.action
        let failure = report.problems.first ?? report.entries.compactMap(\.error).first?.description
        if let failure {
            logger.error("auto-subscription failed", metadata: ["logGroup": "\(group)", "error": "\(failure)"])
            try await runtime.fail(invocation.requestID, errorType: "Sluice.SubscribeFailed", message: "could not subscribe \(group): \(failure)")
            return
        }
        let status: String
        switch action {
        case .create, .update: status = "subscribed"
        case .limitReached:
            status = "skipped"
            logger.error("auto-subscription skipped", metadata: ["logGroup": "\(group)", "reason": "the log group already has two subscription filters"])
        default: status = "unchanged"
        }
        logger.info("auto-subscription", metadata: ["logGroup": "\(group)", "status": "\(status)", "destination": "\(destination)"])
        try await answer(status, [("logGroup", group), ("filterName", auto.filterName), ("destinationArn", destination)])
    }

    func response(_ f: Figures, rejections: [PayloadRejection]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("status"); w.string(f.rejected > 0 && f.events == 0 ? "rejected" : "forwarded")
        w.key("payloads"); w.int(f.payloads)
        w.key("events"); w.int(f.events)
        w.key("records"); w.int(f.records)
        w.key("forwarded"); w.int(f.forwarded)
        w.key("refused_by_collector"); w.int(f.failed)
        w.key("rejections")
        PayloadRejection.writeJSON(rejections, to: &w)
        w.endObject()
        return w.string
    }

    /// One Embedded Metric Format line with this invocation's figures (namespace `Sluice`, by function).
    func emf(_ f: Figures) -> String {
        let metrics: [(String, String, Double)] = [
            ("Payloads", "Count", Double(f.payloads)), ("Events", "Count", Double(f.events)), ("Records", "Count", Double(f.records)),
            ("Rejected", "Count", Double(f.rejected)), ("Forwarded", "Count", Double(f.forwarded)), ("Failed", "Count", Double(f.failed)),
            ("Retries", "Count", Double(f.retries)), ("Bytes", "Bytes", Double(f.bytes)), ("Duration", "Milliseconds", f.milliseconds),
            ("PipelineDuration", "Milliseconds", f.pipelineMilliseconds), ("ExportDuration", "Milliseconds", f.exportMilliseconds),
        ]
        var w = JSONWriter()
        w.beginObject()
        w.key("_aws")
        w.beginObject()
        w.key("Timestamp"); w.int(now())
        w.key("CloudWatchMetrics")
        w.beginArray()
        w.beginObject()
        w.key("Namespace"); w.string("Sluice")
        w.key("Dimensions"); w.beginArray(); w.beginArray(); w.string("FunctionName"); w.endArray(); w.endArray()
        w.key("Metrics")
        w.beginArray()
        for (name, unit, _) in metrics {
            w.beginObject()
            w.key("Name"); w.string(name)
            w.key("Unit"); w.string(unit)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        w.key("FunctionName"); w.string(configuration.functionName)
        for (name, _, value) in metrics {
            w.key(name)
            value == value.rounded() && abs(value) < 1e15 ? w.int(Int64(value)) : w.double((value * 1000).rounded() / 1000)
        }
        w.endObject()
        return w.string
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
