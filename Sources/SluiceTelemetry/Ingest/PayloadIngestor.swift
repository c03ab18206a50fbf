import SluicePipeline

/// One subscription payload, start to finish: intake, recognition, aggregation for the sampling
/// threshold, trace assembly, tail sampling and the batch to deliver. Pure; what `serve` runs for each
/// posted payload (and the Lambda consumer for each invocation).
public struct PayloadIngestor: Sendable {
    public var intake: IntakeConfiguration
    public var aggregation: AggregationConfiguration
    public var sampler: TailSampler

    public init(intake: IntakeConfiguration = .default, aggregation: AggregationConfiguration = .default, sampler: TailSampler = TailSampler()) {
        self.intake = intake
        self.aggregation = aggregation
        self.sampler = sampler
    }

    /// What one payload gave.
    public struct Result: Sendable {
        public var intake: IntakeBatch
        public var batch: TelemetryBatch
        public var events: Int
        public var duplicateEvents: Int
        public var records: Int
        /// Pretty-printed records still open when the payload ended (reported, not lost silently).
        public var unfinishedRecords: Int
        public var keptTraces: Int
        public var droppedTraces: Int
    }

    public func ingest(_ bytes: [UInt8], source: String) -> Result {
        let decoded = PayloadDecoder(configuration: intake).decode(bytes, source: source)
        var recognizer = Recognizer(configuration: intake)
        var deduplicator = EventDeduplicator()
        var aggregator = FunctionAggregator(configuration: aggregation)
        var assembler = TraceAssembler()
        var builder = TelemetryBatchBuilder(configuration: aggregation)
        var events = 0
        var records = 0
        func add(_ message: RecognizedMessage) {
            records += message.records.count
            aggregator.add(message)
            assembler.add(message)
            builder.add(message)
        }
        for message in decoded.messages {
            events += message.events.count
            let unique = deduplicator.filter(message)
            if !unique.events.isEmpty { add(recognizer.recognize(unique)) }
        }
        for flushed in recognizer.finish() { add(flushed) }
        let decision = sampler.decide(assembler, functions: aggregator.functions())
        var batch = builder.takeBatch()
        batch.spans = builder.takeSpans(keeping: Set(decision.kept))
        return Result(intake: decoded, batch: batch, events: events, duplicateEvents: deduplicator.duplicates, records: records,
                      unfinishedRecords: recognizer.tally.prettyUnfinished, keptTraces: decision.kept.count, droppedTraces: decision.dropped)
    }
}
