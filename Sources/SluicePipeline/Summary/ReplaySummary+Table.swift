extension ReplaySummary {
    /// One line per function (invocations, p50/p99, cold starts, errors, timeouts, OOM, cost) under a header.
    public static func functionTable(_ functions: [FunctionSummary]) -> [String] {
        var lines: [String] = []
        let width = max(8, functions.map { $0.function.count }.max() ?? 0)
        lines.append(Self.pad("FUNCTION", width) + Self.left("INVOKED", 9) + Self.left("P50 MS", 10) + Self.left("P99 MS", 10)
                     + Self.left("COLD", 6) + Self.left("ERRORS", 8) + Self.left("TIMEOUTS", 10) + Self.left("OOM", 5) + Self.left("COST USD", 12))
        for f in functions {
            let duration = f.duration
            let p50 = duration.quantile(0.5).map { Self.fixed($0, 2) } ?? "-"
            let p99 = duration.quantile(0.99).map { Self.fixed($0, 2) } ?? "-"
            lines.append(Self.pad(f.function, width) + Self.left(String(f.invocations), 9) + Self.left(p50, 10) + Self.left(p99, 10)
                         + Self.left(String(f.coldStarts), 6) + Self.left(String(f.errors), 8) + Self.left(String(f.timeouts), 10)
                         + Self.left(String(f.window.outOfMemory.count), 5) + Self.left(Self.fixed(f.window.estimatedCostUSD, 8), 12))
        }
        return lines
    }

    /// The summary for people: totals, a table of log groups, and every rejection with its reason.
    public func table(duration: Duration) -> String {
        let seconds = duration.seconds
        var lines: [String] = []
        let rate = seconds > 0 ? " (\(Self.grouped(Int(Double(events) / seconds))) events/s, \(Self.megabytes(Int(Double(bytesDecoded) / seconds)))/s)" : ""
        lines.append("Replayed \(inputs) input\(inputs == 1 ? "" : "s"): \(Self.megabytes(bytesIn)) in, \(Self.megabytes(bytesDecoded)) decoded, in \(Self.fixed(seconds, 3)) s\(rate)")
        lines.append("Payloads   read \(payloadsRead)   data \(dataMessages)   control \(controlMessages)   rejected \(rejected)")
        if !forms.isEmpty {
            lines.append("  by form: " + forms.keys.sorted().map { "\($0.rawValue) \(forms[$0] ?? 0)" }.joined(separator: ", "))
        }
        lines.append("Events     \(Self.grouped(events))" + (duplicateEvents > 0 ? "   (duplicates ignored: \(Self.grouped(duplicateEvents)))" : "") + (invalidUTF8Replaced > 0 ? "   (invalid UTF-8 sequences replaced: \(invalidUTF8Replaced))" : ""))
        if !logGroups.isEmpty {
            lines.append("")
            let keys = logGroups.keys.sorted()
            let width = max(9, keys.map { $0.logGroup.count }.max() ?? 0)
            lines.append(Self.pad("LOG GROUP", width) + "  " + Self.pad("OWNER", 14) + Self.left("EVENTS", 10) + Self.left("STREAMS", 9))
            for key in keys {
                let tally = logGroups[key] ?? LogGroupTally()
                lines.append(Self.pad(key.logGroup, width) + "  " + Self.pad(key.owner, 14) + Self.left(Self.grouped(tally.events), 10) + Self.left(String(tally.streams.count), 9))
            }
        }
        if !functions.isEmpty {
            lines.append("")
            lines += Self.functionTable(functions)
        }
        if !assembler.serviceMap.isEmpty {
            lines.append("")
            lines.append("SERVICE MAP")
            for edge in assembler.serviceMap.keys.sorted() {
                guard let figures = assembler.serviceMap[edge] else { continue }
                let p99 = figures.latency.quantile(0.99).map { Self.fixed($0, 2) } ?? "-"
                lines.append("  \(edge.from) -> \(edge.to)   calls \(figures.calls)   errors \(figures.errors)   p99 \(p99) ms")
            }
        }
        for (title, list) in [("SLOWEST TRACES", assembler.slowest(3)), ("FAILED TRACES", assembler.failed(3))] where !list.isEmpty {
            lines.append("")
            lines.append(title)
            for trace in list { lines += Self.waterfall(trace) }
        }
        if !recognition.byClass.isEmpty {
            lines.append("")
            lines.append(Self.pad("RECORD CLASS", 24) + Self.left("EVENTS", 12) + "    " + Self.pad("PRODUCER", 15) + Self.left("EVENTS", 10))
            let classes = recognition.byClass.keys.sorted()
            let producers = recognition.byProducer.keys.sorted()
            for row in 0..<max(classes.count, producers.count) {
                var line = ""
                if row < classes.count {
                    line += Self.pad(classes[row].rawValue, 24) + Self.left(Self.grouped(recognition.byClass[classes[row]] ?? 0), 12)
                } else {
                    line += String(repeating: " ", count: 36)
                }
                if row < producers.count {
                    line += "    " + Self.pad(producers[row].rawValue, 15) + Self.left(Self.grouped(recognition.byProducer[producers[row]] ?? 0), 10)
                }
                lines.append(line)
            }
            let pretty = PrettyRecordKind.allCases.compactMap { kind in
                recognition.prettyRecords[kind].map { "\(kind.rawValue) \($0)" }
            }
            let logs = LogSource.allCases.reduce(0) { total, source in
                total + ([nil] + Severity.allCases.map(Optional.some)).reduce(0) { $0 + recognition.logs(source, $1) }
            }
            lines.append("Normalised: \(recognition.reports) invocation reports, \(recognition.platformEvents) other platform events, \(recognition.spans) spans, \(recognition.metricSamples) metric samples, \(logs) log records")
            if !pretty.isEmpty || recognition.prettyUnfinished > 0 {
                lines.append("OpenTelemetry pretty-printed records: " + (pretty + ["unfinished \(recognition.prettyUnfinished)"]).joined(separator: ", "))
            }
        }
        if !rejections.isEmpty {
            lines.append("")
            lines.append("Rejected payloads (\(rejections.count)):")
            for rejection in rejections {
                lines.append("  \(rejection.source)")
                lines.append("    \(rejection.error.kind): \(rejection.error)")
            }
        }
        if let delivery {
            lines.append("")
            var line = "Delivered to \(delivery.target): \(Self.grouped(delivery.stored)) stored, \(Self.grouped(delivery.duplicates)) already there"
            if delivery.updated > 0 { line += ", \(Self.grouped(delivery.updated)) invocations completed" }
            if delivery.retries > 0 { line += ", \(delivery.retries) retries" }
            if delivery.failed > 0 { line += ", \(Self.grouped(delivery.failed)) FAILED" }
            lines.append(line)
            if let error = delivery.error { lines.append("  \(error)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A trace and its spans as bars on a common time axis (40 columns for the whole trace).
    public static func waterfall(_ trace: AssembledTrace) -> [String] {
        let start = trace.startNanos
        let total = max(trace.durationNanos, 1)
        var lines = ["  \(trace.traceID)  \(fixed(Double(trace.durationNanos) / 1e6, 2)) ms  \(trace.spans.count) spans\(trace.hasError ? "  ERROR" : "")  \(trace.function ?? "")"]
        for span in trace.spans.sorted(by: { ($0.startNanos, $0.name) < ($1.startNanos, $1.name) }).prefix(20) {
            let offset = Int(Double(span.startNanos - start) / Double(total) * 40)
            let width = max(1, Int(Double(span.durationNanos) / Double(total) * 40))
            let bar = String(repeating: " ", count: min(offset, 40)) + String(repeating: span.isError ? "!" : "=", count: min(width, 40 - min(offset, 39)))
            lines.append("    " + pad(String(span.name.prefix(28)), 28) + " |" + pad(bar, 40) + "| " + fixed(Double(span.durationNanos) / 1e6, 2) + " ms")
        }
        if trace.spans.count > 20 { lines.append("    … \(trace.spans.count - 20) more spans") }
        return lines
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out: [Character] = []
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + String(out)
    }

    /// `value` with `decimals` digits after the point. Past 2^53 the digits are not exact anyway and are
    /// written as Swift writes a `Double` (`1e+308`): converted to `Int`, a metric's sum of 1e308 trapped
    /// `sluice query metric`. A negative value wrote its sign twice (`-1.-50`).
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<max(decimals, 0) { scale *= 10 }
        guard value.isFinite, (value * scale).magnitude < 9e15 else { return value.description }
        let scaled = Int((value * scale).rounded())
        let whole = scaled.magnitude / UInt(scale)
        let fraction = String(scaled.magnitude % UInt(scale))
        let sign = scaled < 0 ? "-" : ""
        guard decimals > 0 else { return sign + "\(whole)" }
        return sign + "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    static func megabytes(_ bytes: Int) -> String {
        if bytes < 10_000 { return "\(bytes) B" }
        if bytes < 10_000_000 { return fixed(Double(bytes) / 1e3, 1) + " kB" }
        return fixed(Double(bytes) / 1e6, 1) + " MB"
    }
}
