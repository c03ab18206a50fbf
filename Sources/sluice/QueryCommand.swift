import ArgumentParser
import Logging
import SluicePipeline
import SluiceStore
import SluiceTelemetry

/// `sluice query ...`: what the store holds.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask the store: per-function figures, a trace, the slowest or failed traces, the service map, a metric.",
        subcommands: [Functions.self, Trace.self, Traces.self, ServiceMap.self, Metric.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    struct Options: ParsableArguments {
        @Option(help: "The store: sqlite:PATH or postgres://USER@HOST:PORT/DB (default sqlite:./sluice.db; SLUICE_STORE).")
        var store: String?

        @Option(help: "Only what happened in this last stretch of time (for example 1h, 7d).")
        var since: String?

        @Option(help: "table (default on a terminal) or json.")
        var format: Format?

        var json: Bool { (format ?? (ProcessEnvironment.isTerminal(1) ? .table : .json)) == .json }

        /// Runs `body` with the store open; a store that cannot be opened or read is a message and exit status 1.
        func withQuery<T: Sendable>(_ body: @escaping @Sendable (TelemetryQuery) async throws(StoreError) -> T) async throws -> T {
            let location = try resolve()
            do {
                return try await location.withStore(logger: Logger.sluice(label: "sluice.query")) { store in
                    try await body(TelemetryQuery(store: store))
                }
            } catch let error as StoreError {
                ProcessEnvironment.writeStandardError("sluice: \(error)\n")
                throw ExitCode(1)
            }
        }

        func resolve() throws -> StoreLocation {
            var problems: [String] = []
            let text = store ?? ProcessEnvironment.variables()["SLUICE_STORE"] ?? StoreLocation.defaultValue
            if let since, DurationText.milliseconds(since) == nil { problems.append("--since '\(since)' is not a duration such as 30d, 12h, 15m or 90s") }
            var location: StoreLocation?
            do { location = try StoreLocation(parsing: text) } catch { problems.append(error.description) }
            guard problems.isEmpty, let location else { throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - ")) }
            if case .sqlite(let path) = location, !FileStatus.exists(path) {
                ProcessEnvironment.writeStandardError("sluice: there is no store at \(location); run 'sluice replay' or 'sluice serve' first, or pass --store\n")
                throw ExitCode(1)
            }
            return location
        }

        var sinceMs: Int64? { since.flatMap(DurationText.milliseconds).map { WallClock.nowMilliseconds() - $0 } }
    }

    struct Functions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per-function figures: the fields of replay's \"functions\".")
        @OptionGroup var options: Options

        func run() async throws {
            let json = options.json
            let since = options.sinceMs
            ProcessEnvironment.writeStandardOutput(try await options.withQuery { query async throws(StoreError) -> String in
                let functions = try await query.functions(sinceMs: since)
                if json { return QueryDocument.functions(functions) + "\n" }
                return functions.isEmpty ? "No invocations stored.\n" : ReplaySummary.functionTable(functions).joined(separator: "\n") + "\n"
            })
        }
    }

    struct Trace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One trace: its spans as a waterfall and its log records.")
        @OptionGroup var options: Options
        @Argument(help: "The trace id: 32 hex digits.") var id: String

        func run() async throws {
            let json = options.json
            let id = self.id
            let found = try await options.withQuery { query async throws(StoreError) -> String? in
                guard let (trace, logs) = try await query.trace(id: id) else { return nil }
                if json { return QueryDocument.trace(trace, logs: logs) + "\n" }
                var lines = ReplaySummary.waterfall(trace)
                if !logs.isEmpty {
                    lines.append("")
                    lines.append("LOGS")
                    for log in logs { lines.append("  \(log.timestampMs) \(log.severity?.rawValue ?? "-") \(log.body)") }
                }
                return lines.joined(separator: "\n") + "\n"
            }
            guard let found else {
                if json { ProcessEnvironment.writeStandardOutput("{\"trace\":null,\"spans\":[],\"logs\":[]}\n") }
                ProcessEnvironment.writeStandardError("sluice: no trace \(id) in the store\n")
                throw ExitCode(1)
            }
            ProcessEnvironment.writeStandardOutput(found)
        }
    }

    struct Traces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The slowest traces, or the failed ones.")
        @OptionGroup var options: Options
        @Option(help: "How many of the slowest traces (default 10).") var slowest: Int?
        @Flag(help: "Only traces with an error span.") var errors = false

        func validate() throws {
            if let slowest, slowest < 1 { throw ValidationError("--slowest must be at least 1") }
        }

        func run() async throws {
            let json = options.json
            let since = options.sinceMs
            let limit = slowest ?? 10
            let failedOnly = errors
            ProcessEnvironment.writeStandardOutput(try await options.withQuery { query async throws(StoreError) -> String in
                let traces = try await query.traces(sinceMs: since, failedOnly: failedOnly, limit: limit)
                if json { return QueryDocument.traces(traces) + "\n" }
                if traces.isEmpty { return "No traces stored.\n" }
                return traces.map { t in
                    "\(t.traceID)  \(ReplaySummary.fixed(Double(t.durationNanos) / 1e6, 2)) ms  \(t.spans) spans  \(t.errorSpans) errors  \(t.function)  \(t.rootName)"
                }.joined(separator: "\n") + "\n"
            })
        }
    }

    struct ServiceMap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "service-map", abstract: "Calls from functions to what they called.")
        @OptionGroup var options: Options

        func run() async throws {
            let json = options.json
            let since = options.sinceMs
            ProcessEnvironment.writeStandardOutput(try await options.withQuery { query async throws(StoreError) -> String in
                let edges = try await query.serviceMap(sinceMs: since)
                if json { return QueryDocument.serviceMap(edges) + "\n" }
                if edges.isEmpty { return "No calls stored.\n" }
                return edges.map { e in
                    "\(e.edge.from) -> \(e.edge.to)   calls \(e.figures.calls)   errors \(e.figures.errors)   p99 \(e.figures.latency.quantile(0.99).map { ReplaySummary.fixed($0, 2) } ?? "-") ms"
                }.joined(separator: "\n") + "\n"
            })
        }
    }

    struct Metric: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A metric's series: count, sum, min and max per window.")
        @OptionGroup var options: Options
        @Argument(help: "The metric's name (an EMF or Datadog metric).") var name: String
        @Option(help: "Window width in seconds (default 60).") var windowSeconds: Int64 = 60

        func validate() throws {
            guard (1...AggregationConfiguration.maxWindowSeconds).contains(windowSeconds) else {
                throw ValidationError("--window-seconds must be from 1 to \(AggregationConfiguration.maxWindowSeconds)")
            }
        }

        func run() async throws {
            let json = options.json
            let since = options.sinceMs
            let (name, window) = (self.name, AggregationConfiguration.windowMilliseconds(seconds: windowSeconds))
            ProcessEnvironment.writeStandardOutput(try await options.withQuery { query async throws(StoreError) -> String in
                let series = try await query.metric(name: name, sinceMs: since, windowMs: window)
                if json { return QueryDocument.metric(name: name, series: series) + "\n" }
                if series.isEmpty { return "No points of \(name) stored.\n" }
                var lines: [String] = []
                for one in series {
                    let dimensions = one.key.dimensions.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                    lines.append("\(one.key.source) \(one.key.namespace ?? "-") \(name) [\(one.key.unit ?? "")] \(dimensions)")
                    for p in one.points {
                        lines.append("  \(p.startMs)  count \(p.count)  sum \(ReplaySummary.fixed(p.sum, 3))  min \(ReplaySummary.fixed(p.min, 3))  max \(ReplaySummary.fixed(p.max, 3))")
                    }
                }
                return lines.joined(separator: "\n") + "\n"
            })
        }
    }
}
