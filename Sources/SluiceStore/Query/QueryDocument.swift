import SluicePipeline
import SluiceTelemetry

/// The JSON documents `sluice query` prints and `serve` answers under `/api/`.
public enum QueryDocument {
    public static func functions(_ functions: [FunctionSummary]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("functions")
        FunctionSummary.writeJSON(functions, to: &w)
        w.endObject()
        return w.string
    }

    public static func trace(_ trace: AssembledTrace, logs: [LogRow]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("trace")
        ReplaySummary.write(trace, to: &w)
        w.key("spans")
        w.beginArray()
        for span in trace.spans.sorted(by: { ($0.startNanos, $0.spanID) < ($1.startNanos, $1.spanID) }) {
            w.beginObject()
            w.key("span_id"); w.string(span.spanID)
            w.key("parent_span_id"); if let parent = span.parentSpanID { w.string(parent) } else { w.null() }
            w.key("name"); w.string(span.name)
            w.key("kind"); w.string(span.kind.rawValue)
            w.key("start_unix_nano"); w.int(span.startNanos)
            w.key("duration_ms"); w.double(ReplaySummary.rounded(Double(span.durationNanos) / 1e6))
            w.key("status"); w.string(span.status.name)
            if case .error(let message?) = span.status { w.key("status_message"); w.string(message) }
            w.key("producer"); w.string(span.producer.rawValue)
            w.key("request_id"); if let id = span.requestID { w.string(id) } else { w.null() }
            w.key("attributes"); writeAttributes(span.attributes, to: &w)
            w.endObject()
        }
        w.endArray()
        w.key("logs")
        w.beginArray()
        for log in logs {
            w.beginObject()
            w.key("time_ms"); w.int(log.timestampMs)
            w.key("severity"); if let severity = log.severity { w.string(severity.rawValue) } else { w.null() }
            w.key("body"); w.string(log.body)
            w.key("request_id"); if let id = log.requestID { w.string(id) } else { w.null() }
            w.key("span_id"); if let id = log.spanID { w.string(id) } else { w.null() }
            w.key("source"); w.string(log.source)
            w.key("function"); w.string(log.function)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string
    }

    public static func traces(_ traces: [TraceOverview]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("traces")
        w.beginArray()
        for trace in traces {
            w.beginObject()
            w.key("trace_id"); w.string(trace.traceID)
            w.key("function"); w.string(trace.function)
            w.key("root"); w.string(trace.rootName)
            w.key("start_unix_nano"); w.int(trace.startNanos)
            w.key("duration_ms"); w.double(ReplaySummary.rounded(Double(trace.durationNanos) / 1e6))
            w.key("spans"); w.int(trace.spans)
            w.key("error_spans"); w.int(trace.errorSpans)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string
    }

    public static func serviceMap(_ edges: [(edge: ServiceEdge, figures: EdgeFigures)]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("service_map")
        ServiceEdge.writeJSON(edges, to: &w)
        w.endObject()
        return w.string
    }

    public static func metric(name: String, series: [MetricSeries]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("metric"); w.string(name)
        w.key("series")
        w.beginArray()
        for one in series {
            w.beginObject()
            w.key("source"); w.string(one.key.source)
            w.key("namespace"); if let namespace = one.key.namespace { w.string(namespace) } else { w.null() }
            w.key("unit"); if let unit = one.key.unit { w.string(unit) } else { w.null() }
            w.key("dimensions")
            w.beginObject()
            for dimension in one.key.dimensions { w.key(dimension.name); w.string(dimension.value) }
            w.endObject()
            w.key("points")
            w.beginArray()
            for point in one.points {
                w.beginObject()
                w.key("start_ms"); w.int(point.startMs)
                w.key("count"); w.int(point.count)
                w.key("sum"); w.double(ReplaySummary.rounded(point.sum))
                w.key("min"); point.count > 0 ? w.double(point.min) : w.null()
                w.key("max"); point.count > 0 ? w.double(point.max) : w.null()
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string
    }

    static func writeAttributes(_ attributes: [Attribute], to w: inout JSONWriter) {
        w.beginObject()
        for attribute in attributes {
            w.key(attribute.key)
            switch attribute.value {
            case .string(let s): w.string(s)
            case .int(let i): w.int(i)
            case .double(let d): d.isFinite ? w.double(d) : w.string(String(d))
            case .bool(let b): w.bool(b)
            }
        }
        w.endObject()
    }
}
