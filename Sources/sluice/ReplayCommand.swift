import ArgumentParser
import SluicePipeline
import SluiceSources
import AsyncHTTPClient
import Logging
import SluiceExporter
import SluiceStore
import SluiceTelemetry

/// `sluice replay PATH...`: decodes recorded subscription payloads and prints what they hold.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Read subscription payloads from files, directories or standard input and summarise them.",
        discussion: """
            Every payload form is detected: the Lambda event {"awslogs":{"data":…}}, DATA_MESSAGE JSON (one or \
            several concatenated), gzip (Firehose S3 objects), Kinesis and Firehose events. Directories are read \
            recursively; '-' is standard input. Bounds can also be set with SLUICE_MAX_DECOMPRESSED_BYTES, \
            SLUICE_MAX_EVENTS, SLUICE_MAX_MESSAGE_BYTES and SLUICE_MAX_JSON_DEPTH.
            Invocations, log records, metric points and the spans of the traces tail sampling keeps are written to \
            the store (--store, SLUICE_STORE; default sqlite:./sluice.db); every item is keyed by the CloudWatch \
            events it came from, so replaying the same payloads again stores nothing twice.
            Exit status: 0 when every payload was read and delivered, 1 when any was rejected or could not be \
            delivered, 64 on a usage error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "Payload files or directories; '-' for standard input (the default when it is piped).")
    var paths: [String] = []

    @Option(help: "Output format: table (default on a terminal) or json (default otherwise).")
    var format: Format?

    @Option(help: "Most bytes one payload (one gzip member) may inflate to (default 16777216).")
    var maxDecompressedBytes: Int?

    @Option(help: "Most log events in one DATA_MESSAGE (default 100000).")
    var maxEvents: Int?

    @Option(help: "Most bytes in one event's message (default 1048576).")
    var maxMessageBytes: Int?

    @Option(help: "Deepest nesting of JSON objects and arrays (default 256).")
    var maxJsonDepth: Int?

    @Option(help: "Width of an aggregation window in seconds (default 60; SLUICE_WINDOW_SECONDS).")
    var windowSeconds: Int64?

    @Option(help: "Architecture whose prices estimate the cost: x86_64 (default) or arm64 (SLUICE_ARCHITECTURE).")
    var architecture: String?

    @Option(help: "Share of the traces that are neither failed nor slow to keep, 0 to 1 (default 0.1; SLUICE_SAMPLE_FRACTION).")
    var sampleFraction: Double?

    @Option(help: "Keep traces slower than this many milliseconds (default: slower than their function's p99; SLUICE_SLOW_TRACE_MS).")
    var slowTraceMs: Double?

    @Option(help: "Where to store the results: sqlite:PATH or postgres://USER@HOST:PORT/DB (default sqlite:./sluice.db; SLUICE_STORE).")
    var store: String?

    @Flag(help: "Only summarise: store nothing.")
    var noStore = false

    @Option(help: "Delete stored items older than this (for example 7d, 12h; SLUICE_RETENTION). Default: keep everything.")
    var retention: String?

    @Option(help: "Forward to this OTLP/HTTP endpoint (any collector, or a sluice serve) instead of the store; OTEL_EXPORTER_OTLP_ENDPOINT.")
    var to: String?

    @Option(name: .customLong("header"), help: "A header for the collector, 'Name: value' (repeatable; OTEL_EXPORTER_OTLP_HEADERS).")
    var headers: [String] = []

    @Flag(help: "Never draw the progress bar.")
    var noProgress = false

    /// Where the results go.
    enum Target {
        case summaryOnly
        case store(StoreLocation, retentionMs: Int64?)
        case collector(OTLPExporterConfiguration)
    }

    func run() async throws {
        let (configuration, aggregation, sampler) = try resolveConfiguration()
        let logger = Logging.Logger.sluice(label: "sluice.replay")
        switch try resolveTarget() {
        case .summaryOnly:
            try await replay(configuration, aggregation, sampler, sink: nil)
        case .store(let location, let retentionMs):
            do {
                try await location.withStore(logger: logger) { store in
                    let sink = StoreSink(store: store, target: location.description, retentionMs: retentionMs, now: { WallClock.nowMilliseconds() })
                    try await self.replay(configuration, aggregation, sampler, sink: sink)
                }
            } catch let error as StoreError {
                ProcessEnvironment.writeStandardError("sluice: \(error)\n")
                throw ExitCode(1)
            }
        case .collector(let exporterConfiguration):
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let exporter = OTLPHTTPExporter(configuration: exporterConfiguration, client: client, logger: logger)
            do {
                try await replay(configuration, aggregation, sampler, sink: ExporterSink(exporter: exporter, windowMilliseconds: aggregation.windowMilliseconds))
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    func replay(_ configuration: IntakeConfiguration, _ aggregation: AggregationConfiguration, _ sampler: TailSampler,
                sink: (any TelemetrySink)?) async throws {
        var paths = self.paths
        if paths.isEmpty {
            guard !ProcessEnvironment.isTerminal(0) else {
                throw ValidationError("give at least one PATH, or pipe a payload into standard input")
            }
            paths = ["-"]
        }
        let (inputs, problems) = PayloadFileSource.expand(paths)
        let decoder = PayloadDecoder(configuration: configuration)
        var summary = ReplaySummary()
        summary.sampler = sampler
        for problem in problems {
            summary.addUnreadable(source: problem.path, error: .unreadableInput(reason: "\(problem.path): \(problem.reason)"))
        }
        var progress = ProgressReporter(total: inputs.count, enabled: !noProgress && inputs.count > 1 && ProcessEnvironment.isTerminal(2))
        var recognizer = Recognizer(configuration: configuration)
        var aggregator = FunctionAggregator(configuration: aggregation)
        var deduplicator = EventDeduplicator()
        var builder = TelemetryBatchBuilder(configuration: aggregation)
        if let sink { summary.delivery = DeliveryTally(target: sink.target) }
        let clock = ContinuousClock()
        let started = clock.now
        for (index, input) in inputs.enumerated() {
            do {
                let bytes = try PayloadFileSource.read(input)
                let batch = decoder.decode(bytes, source: input.name)
                for message in batch.messages {
                    let unique = deduplicator.filter(message)
                    if unique.events.isEmpty { continue }
                    let recognized = recognizer.recognize(unique)
                    aggregator.add(recognized)
                    summary.metrics.add(recognized)
                    summary.traces.add(recognized)
                    summary.assembler.add(recognized)
                    if sink != nil { builder.add(recognized) }
                }
                summary.add(batch)
                if let sink, var tally = summary.delivery {
                    await sink.deliver(builder.takeBatch(), into: &tally)
                    summary.delivery = tally
                }
            } catch {
                summary.addUnreadable(source: input.name, error: error)
            }
            progress.update(done: index + 1, events: summary.events, bytes: summary.bytesIn)
        }
        for flushed in recognizer.finish() {
            aggregator.add(flushed)
            summary.traces.add(flushed)
            if sink != nil { builder.add(flushed) }
        }
        summary.recognition = recognizer.tally
        summary.duplicateEvents = deduplicator.duplicates
        summary.functions = aggregator.functions()
        if let sink, var tally = summary.delivery {
            var last = builder.takeBatch()
            last.spans = builder.takeSpans(keeping: Set(summary.samplingDecision().kept))
            await sink.deliver(last, into: &tally)
            summary.delivery = tally
        }
        let elapsed = clock.now - started
        progress.finish()

        let format = self.format ?? (ProcessEnvironment.isTerminal(1) ? .table : .json)
        switch format {
        case .json: ProcessEnvironment.writeStandardOutput(summary.jsonDocument(duration: elapsed) + "\n")
        case .table: ProcessEnvironment.writeStandardOutput(summary.table(duration: elapsed))
        }
        var failed = false
        if summary.rejected > 0 {
            ProcessEnvironment.writeStandardError("sluice: \(summary.rejected) of \(summary.payloadsRead) payload\(summary.payloadsRead == 1 ? "" : "s") rejected (see \"rejections\")\n")
            failed = true
        }
        if let delivery = summary.delivery, delivery.failed > 0 {
            ProcessEnvironment.writeStandardError("sluice: \(delivery.failed) items not delivered to \(delivery.target): \(delivery.error ?? "unknown error")\n")
            failed = true
        }
        if failed { throw ExitCode(1) }
    }

    /// The store or collector, from flags over the environment; every problem reported at once.
    func resolveTarget() throws -> Target {
        let environment = ProcessEnvironment.variables()
        var problems: [String] = []
        // Without --to the results are stored; OpenTelemetry's variables (headers, timeout, compression)
        // apply to the collector --to names.
        if let to {
            if store != nil { problems.append("--to and --store both given: results go to one place") }
            var (exporter, exporterProblems) = OTLPExporterConfiguration.fromEnvironment(environment)
            problems += exporterProblems
            exporter.endpoint = to
            exporter.signalEndpoints = [:]
            for header in headers {
                if let parsed = OTLPExporterConfiguration.parseHeaderFlag(header) { exporter.headers.append(parsed) } else {
                    problems.append("--header '\(header)' is not 'Name: value'")
                }
            }
            problems += exporter.validate()
            guard problems.isEmpty else { throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - ")) }
            return .collector(exporter)
        }
        if !headers.isEmpty { problems.append("--header needs --to: headers go to a collector") }
        if noStore {
            guard problems.isEmpty else { throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - ")) }
            return .summaryOnly
        }
        let (resolved, storeProblems) = StoreConfiguration.resolve(store: store, retention: retention, environment: environment)
        problems += storeProblems
        guard problems.isEmpty, let resolved else { throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - ")) }
        return .store(resolved.location, retentionMs: resolved.retentionMs)
    }

    /// Environment first, flags over it; every problem reported at once.
    func resolveConfiguration() throws -> (IntakeConfiguration, AggregationConfiguration, TailSampler) {
        let environment = ProcessEnvironment.variables()
        var (configuration, problems) = IntakeConfiguration.fromEnvironment(environment)
        var (aggregation, aggregationProblems) = AggregationConfiguration.fromEnvironment(environment)
        problems += aggregationProblems
        if let windowSeconds { aggregation.windowMilliseconds = AggregationConfiguration.windowMilliseconds(seconds: windowSeconds) }
        if let architecture {
            if let parsed = Architecture(rawValue: architecture) { aggregation.architecture = parsed } else {
                problems.append("--architecture \(architecture) is not one of x86_64, arm64")
            }
        }
        problems += aggregation.validate()
        var (sampler, samplerProblems) = TailSampler.fromEnvironment(environment)
        problems += samplerProblems
        if let sampleFraction { sampler.keepFraction = sampleFraction }
        if let slowTraceMs { sampler.thresholdMs = slowTraceMs }
        problems += sampler.validate()
        if let maxDecompressedBytes { configuration.maxDecompressedBytes = maxDecompressedBytes }
        if let maxEvents { configuration.maxEventsPerPayload = maxEvents }
        if let maxMessageBytes { configuration.maxMessageBytes = maxMessageBytes }
        if let maxJsonDepth { configuration.maxJSONDepth = maxJsonDepth }
        problems += configuration.validate()
        if !problems.isEmpty {
            throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - "))
        }
        return (configuration, aggregation, sampler)
    }
}
