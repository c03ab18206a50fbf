extension ReplaySummary {
    /// Identifies the JSON document's layout; sections are only ever added, never changed.
    public static let schema = "sluice.replay/v1"

    /// The summary as one JSON document (schema in the README, "Replay summary").
    public func jsonDocument(duration: Duration) -> String {
        var w = JSONWriter(reservingCapacity: 1024)
        w.beginObject()
        w.key("schema"); w.string(Self.schema)
        w.key("inputs")
        w.beginObject()
        w.key("files"); w.int(inputs)
        w.key("bytes_in"); w.int(bytesIn)
        w.key("bytes_decoded"); w.int(bytesDecoded)
        w.endObject()

        w.key("payloads")
        w.beginObject()
        w.key("read"); w.int(payloadsRead)
        w.key("data_messages"); w.int(dataMessages)
        w.key("control_messages"); w.int(controlMessages)
        w.key("rejected"); w.int(rejected)
        w.key("by_form")
        w.beginObject()
        for form in forms.keys.sorted() {
            w.key(form.rawValue); w.int(forms[form] ?? 0)
        }
        w.endObject()
        w.endObject()

        w.key("events")
        w.beginObject()
        w.key("total"); w.int(events)
        w.key("duplicates_ignored"); w.int(duplicateEvents)
        w.key("invalid_utf8_replaced"); w.int(invalidUTF8Replaced)
        w.endObject()

        w.key("log_groups")
        w.beginArray()
        for key in logGroups.keys.sorted() {
            guard let tally = logGroups[key] else { continue }
            w.beginObject()
            w.key("log_group"); w.string(key.logGroup)
            w.key("owner"); w.string(key.owner)
            w.key("events"); w.int(tally.events)
            w.key("streams"); w.int(tally.streams.count)
            w.key("log_streams")
            w.beginArray()
            for stream in tally.streams.keys.sorted() {
                w.beginObject()
                w.key("log_stream"); w.string(stream)
                w.key("events"); w.int(tally.streams[stream] ?? 0)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()

        w.key("rejections")
        w.beginArray()
        for rejection in rejections {
            w.beginObject()
            w.key("source"); w.string(rejection.source)
            w.key("kind"); w.string(rejection.error.kind)
            w.key("error"); w.string(rejection.error.description)
            w.endObject()
        }
        w.endArray()

        w.key("records")
        w.beginObject()
        w.key("by_class")
        w.beginObject()
        for recordClass in recognition.byClass.keys.sorted() {
            w.key(recordClass.rawValue); w.int(recognition.byClass[recordClass] ?? 0)
        }
        w.endObject()
        w.key("by_producer")
        w.beginObject()
        for producer in recognition.byProducer.keys.sorted() {
            w.key(producer.rawValue); w.int(recognition.byProducer[producer] ?? 0)
        }
        w.endObject()
        w.key("otel_pretty")
        w.beginObject()
        for kind in PrettyRecordKind.allCases {
            w.key(kind.rawValue); w.int(recognition.prettyRecords[kind] ?? 0)
        }
        w.key("unfinished"); w.int(recognition.prettyUnfinished)
        w.key("dropped"); w.int(recognition.prettyDropped)
        w.endObject()
        w.key("normalised")
        w.beginObject()
        w.key("invocation_reports"); w.int(recognition.reports)
        w.key("platform_events"); w.int(recognition.platformEvents)
        w.key("agent_invocations"); w.int(recognition.agentInvocations)
        w.key("spans"); w.int(recognition.spans)
        w.key("metric_samples"); w.int(recognition.metricSamples)
        w.key("trace_records"); w.int(recognition.traceRecords)
        w.key("log_records")
        w.beginObject()
        for source in LogSource.allCases.sorted() {
            var total = 0
            var severities: [(String, Int)] = []
            for severity in [nil] + Severity.allCases.map(Optional.some) {
                let n = recognition.logs(source, severity)
                if n > 0 { severities.append((severity?.rawValue ?? "UNSPECIFIED", n)) }
                total += n
            }
            guard total > 0 else { continue }
            w.key(source.rawValue)
            w.beginObject()
            for (name, n) in severities {
                w.key(name); w.int(n)
            }
            w.endObject()
        }
        w.endObject()
        w.endObject()
        w.endObject()

        w.key("functions")
        FunctionSummary.writeJSON(functions, to: &w)

        w.key("metrics")
        w.beginArray()
        for (key, series) in metrics.sorted {
            w.beginObject()
            w.key("source"); w.string(key.source.rawValue)
            w.key("namespace"); if let namespace = key.namespace { w.string(namespace) } else { w.null() }
            w.key("name"); w.string(key.name)
            w.key("dimensions")
            w.beginObject()
            for pair in key.dimensions {
                w.key(pair.name); w.string(pair.value)
            }
            w.endObject()
            w.key("unit"); if let unit = key.unit { w.string(unit) } else { w.null() }
            w.key("count"); w.int(series.count)
            w.key("sum"); w.double(Self.rounded(series.sum))
            w.key("min"); series.count > 0 && series.min.isFinite ? w.double(series.min) : w.null()
            w.key("max"); series.count > 0 && series.max.isFinite ? w.double(series.max) : w.null()
            if series.highResolution { w.key("storage_resolution"); w.int(1) }
            w.endObject()
        }
        w.endArray()

        w.key("traces")
        w.beginObject()
        let sources = traces.bySource.values
        w.key("spans"); w.int(sources.reduce(0) { $0 + $1.spans })
        w.key("traces"); w.int(sources.reduce(0) { $0 + $1.traceIDs.count })
        w.key("error_spans"); w.int(sources.reduce(0) { $0 + $1.errorSpans })
        w.key("dropped"); w.int(assembler.droppedTraces)
        w.key("slowest")
        w.beginArray()
        for trace in assembler.slowest(5) { Self.write(trace, to: &w) }
        w.endArray()
        w.key("failed")
        w.beginArray()
        for trace in assembler.failed(5) { Self.write(trace, to: &w) }
        w.endArray()
        w.key("by_source")
        w.beginObject()
        for source in traces.bySource.keys.sorted() {
            guard let figures = traces.bySource[source] else { continue }
            w.key(source.rawValue)
            w.beginObject()
            w.key("spans"); w.int(figures.spans)
            w.key("traces"); w.int(figures.traceIDs.count)
            w.key("error_spans"); w.int(figures.errorSpans)
            w.endObject()
        }
        w.endObject()
        w.endObject()

        let decision = samplingDecision()
        w.key("sampling")
        w.beginObject()
        w.key("kept"); w.int(decision.kept.count)
        w.key("kept_errors"); w.int(decision.keptForError.count)
        w.key("kept_slow"); w.int(decision.keptAsSlow.count)
        w.key("kept_sampled"); w.int(decision.keptBySampling.count)
        w.key("dropped"); w.int(decision.dropped)
        w.key("kept_log_records"); w.int(decision.kept.reduce(0) { total, id in total + (assembler.traces[id].map(assembler.correlatedLogs) ?? 0) })
        w.key("keep_fraction"); w.double(sampler.keepFraction)
        w.endObject()

        w.key("service_map")
        ServiceEdge.writeJSON(assembler.serviceMap.keys.sorted().compactMap { edge in assembler.serviceMap[edge].map { (edge, $0) } }, to: &w)

        w.key("logs")
        w.beginObject()
        w.key("by_severity")
        w.beginObject()
        for severity in Severity.allCases {
            if let n = traces.logsBySeverity[severity] { w.key(severity.rawValue); w.int(n) }
        }
        if let n = traces.logsBySeverity[nil] { w.key("UNSPECIFIED"); w.int(n) }
        w.endObject()
        w.endObject()

        if let delivery {
            w.key("delivery")
            w.beginObject()
            w.key("to"); w.string(delivery.target)
            w.key("stored"); w.int(delivery.stored)
            w.key("duplicates"); w.int(delivery.duplicates)
            w.key("updated"); w.int(delivery.updated)
            w.key("failed"); w.int(delivery.failed)
            w.key("retries"); w.int(delivery.retries)
            w.key("error"); if let error = delivery.error { w.string(error) } else { w.null() }
            w.endObject()
        }

        let seconds = duration.seconds
        w.key("timing")
        w.beginObject()
        w.key("seconds"); w.double((seconds * 1e6).rounded() / 1e6)
        w.key("events_per_second"); w.double(seconds > 0 ? (Double(events) / seconds).rounded() : 0)
        w.key("decoded_megabytes_per_second"); w.double(seconds > 0 ? (Double(bytesDecoded) / 1e6 / seconds * 100).rounded() / 100 : 0)
        w.endObject()
        w.endObject()
        return w.string
    }
}

extension ReplaySummary {
    public static func write(_ trace: AssembledTrace, to w: inout JSONWriter) {
        w.beginObject()
        w.key("trace_id"); w.string(trace.traceID)
        w.key("function"); if let function = trace.function { w.string(function) } else { w.null() }
        w.key("root"); if let root = trace.root { w.string(root.name) } else { w.null() }
        w.key("duration_ms"); w.double(rounded(Double(trace.durationNanos) / 1e6))
        w.key("spans"); w.int(trace.spans.count)
        w.key("error"); w.bool(trace.hasError)
        w.key("critical_path")
        w.beginArray()
        for span in trace.criticalPath { w.string(span.name) }
        w.endArray()
        w.key("request_ids")
        w.beginArray()
        for id in trace.requestIDs.sorted() { w.string(id) }
        w.endArray()
        w.endObject()
    }

    /// Six decimals: sums of two-decimal durations then print as the platform wrote them.
    public static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}

extension ServiceEdge {
    /// Writes edges as the `"service_map"` array of `replay --format json` (and of `sluice query service-map`).
    public static func writeJSON(_ edges: [(edge: ServiceEdge, figures: EdgeFigures)], to w: inout JSONWriter) {
        w.beginArray()
        for (edge, figures) in edges {
            w.beginObject()
            w.key("from"); w.string(edge.from)
            w.key("to"); w.string(edge.to)
            w.key("calls"); w.int(figures.calls)
            w.key("errors"); w.int(figures.errors)
            w.key("p99_ms"); if let p99 = figures.latency.quantile(0.99) { w.double(ReplaySummary.rounded(p99)) } else { w.null() }
            w.endObject()
        }
        w.endArray()
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
