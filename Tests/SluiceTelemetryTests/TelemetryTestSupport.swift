import Foundation
import SluicePipeline
import SluiceTelemetry

/// Fixture and corpus payloads run through intake, recognition and the batch builder, as `replay` does.
enum Pipeline {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { packageRoot + "/Fixtures" }
    static var corpus: String { packageRoot + "/../shared/corpus" }

    static let streamSets = ["aws-embedded-metrics-json", "aws-embedded-metrics-text", "aws-lambda-powertools-json", "aws-lambda-powertools-text",
                             "datadog-lambda-json", "datadog-lambda-text", "newrelic-json", "newrelic-text", "opentelemetry-sdk-json",
                             "opentelemetry-sdk-text", "plain-python-json", "plain-python-text", "thundra-json", "thundra-text",
                             "thundra-legacy-json", "thundra-legacy-text"]

    /// Every payload file under `directory` (recursively), sorted.
    static func payloadFiles(_ directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { throw Failure("cannot list \(directory)") }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") && !$0.hasSuffix("expected.json") }.sorted()
            .map { directory + "/" + $0 }
    }

    /// The recognised messages of `files`, in order, with the open pretty records flushed at the end.
    static func recognize(_ files: [String]) throws -> [RecognizedMessage] {
        var recognizer = Recognizer()
        var deduplicator = EventDeduplicator()
        var out: [RecognizedMessage] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure("cannot read \(file)") }
            for message in PayloadDecoder().decode([UInt8](data), source: file).messages {
                let unique = deduplicator.filter(message)
                if !unique.events.isEmpty { out.append(recognizer.recognize(unique)) }
            }
        }
        return out + recognizer.finish()
    }

    /// A batch holding everything (every span kept).
    static func batch(_ messages: [RecognizedMessage]) -> TelemetryBatch {
        var builder = TelemetryBatchBuilder()
        for message in messages { builder.add(message) }
        var batch = builder.takeBatch()
        batch.spans = builder.takeSpans(keeping: nil)
        return batch
    }

    static func aggregatorFunctions(_ messages: [RecognizedMessage]) -> [FunctionSummary] {
        var aggregator = FunctionAggregator()
        for message in messages { aggregator.add(message) }
        return aggregator.functions()
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Compares per-function figures the way the replay's JSON shows them (sums within 1e-9 relative: the
/// store adds the same values in another order).
func sameFigures(_ a: [FunctionSummary], _ b: [FunctionSummary]) -> [String] {
    var problems: [String] = []
    guard a.count == b.count else { return ["\(a.count) functions against \(b.count)"] }
    func close(_ x: Double, _ y: Double) -> Bool { x == y || abs(x - y) <= 1e-9 * max(1, abs(x)) }
    for (x, y) in zip(a, b) {
        let name = x.logGroup
        if (x.logGroup, x.owner, x.function) != (y.logGroup, y.owner, y.function) { problems.append("\(name): identity differs from \(y.logGroup)") }
        if x.invocations != y.invocations { problems.append("\(name): invocations \(x.invocations) vs \(y.invocations)") }
        if x.coldStarts != y.coldStarts { problems.append("\(name): cold starts \(x.coldStarts) vs \(y.coldStarts)") }
        if x.errors != y.errors { problems.append("\(name): errors \(x.errors) vs \(y.errors)") }
        if x.timeouts != y.timeouts { problems.append("\(name): timeouts \(x.timeouts) vs \(y.timeouts)") }
        if x.window.outOfMemory != y.window.outOfMemory { problems.append("\(name): out of memory differs") }
        if x.window.streams != y.window.streams { problems.append("\(name): streams \(x.window.streams.count) vs \(y.window.streams.count)") }
        if x.window.maxConcurrency != y.window.maxConcurrency { problems.append("\(name): concurrency \(x.window.maxConcurrency) vs \(y.window.maxConcurrency)") }
        let (dx, dy) = (x.duration, y.duration)
        if dx.count != dy.count || dx.counts != dy.counts || dx.offset != dy.offset || !close(dx.sum, dy.sum) || (dx.count > 0 && (dx.min != dy.min || dx.max != dy.max)) {
            problems.append("\(name): duration histogram differs (\(dx.count), \(dx.sum) vs \(dy.count), \(dy.sum))")
        }
        if !close(x.window.billedDurationSum, y.window.billedDurationSum) { problems.append("\(name): billed sum differs") }
        if x.window.memorySizeMB != y.window.memorySizeMB { problems.append("\(name): memory size differs") }
        if x.window.maxMemoryUsed.counts != y.window.maxMemoryUsed.counts { problems.append("\(name): max memory histogram differs") }
        if x.window.initDuration.count != y.window.initDuration.count || !close(x.window.initDuration.sum, y.window.initDuration.sum) {
            problems.append("\(name): init durations differ")
        }
        if !close(x.window.estimatedCostUSD, y.window.estimatedCostUSD) { problems.append("\(name): cost \(x.window.estimatedCostUSD) vs \(y.window.estimatedCostUSD)") }
    }
    return problems
}

/// A batch in a canonical order, for comparing batches that went through a transport that regroups.
func canonical(_ batch: TelemetryBatch) -> TelemetryBatch {
    TelemetryBatch(
        environments: batch.environments.sorted { $0.key < $1.key },
        invocations: batch.invocations.sorted { ($0.logGroup, $0.key) < ($1.logGroup, $1.key) },
        spans: batch.spans.sorted { ($0.span.traceID, $0.span.spanID) < ($1.span.traceID, $1.span.spanID) },
        logs: batch.logs.sorted { ($0.logGroup, $0.key) < ($1.logGroup, $1.key) },
        metrics: batch.metrics.sorted { ($0.logGroup, $0.key) < ($1.logGroup, $1.key) })
}

/// Nil when equal; else the count mismatch or the first pair that differs, short enough to read.
func difference<T: Equatable>(_ a: [T], _ b: [T]) -> String? {
    if a.count != b.count { return "\(a.count) items against \(b.count)" }
    guard let index = a.indices.first(where: { a[$0] != b[$0] }) else { return nil }
    return "item \(index) differs:\n  \(a[index])\n  \(b[index])"
}

func differences(_ x: TelemetryBatch, _ y: TelemetryBatch) -> [String] {
    let (a, b) = (canonical(x), canonical(y))
    return [difference(a.environments, b.environments).map { "environments: " + $0 },
            difference(a.invocations, b.invocations).map { "invocations: " + $0 },
            difference(a.spans, b.spans).map { "spans: " + $0 },
            difference(a.logs, b.logs).map { "logs: " + $0 },
            difference(a.metrics, b.metrics).map { "metrics: " + $0 }].compactMap { $0 }
}
