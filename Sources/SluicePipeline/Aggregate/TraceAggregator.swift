/// Counts spans, traces and error spans by producer, and log records by severity. (Trace assembly,
/// the service map and sampling build on these.)
public struct TraceAggregator: Sendable {
    public struct SourceFigures: Sendable, Equatable {
        public var spans = 0
        public var traceIDs: Set<String> = []
        public var errorSpans = 0
    }

    public private(set) var bySource: [Producer: SourceFigures] = [:]
    public private(set) var logsBySeverity: [Severity?: Int] = [:]

    public init() {}

    public mutating func add(_ message: RecognizedMessage) {
        for record in message.records {
            switch record {
            case .span(let span):
                bySource[span.producer, default: SourceFigures()].spans += 1
                bySource[span.producer, default: SourceFigures()].traceIDs.insert(span.traceID)
                if span.isError { bySource[span.producer, default: SourceFigures()].errorSpans += 1 }
            case .log(let log):
                logsBySeverity[log.severity, default: 0] += 1
            default:
                break
            }
        }
    }

    public mutating func merge(_ other: TraceAggregator) {
        for (source, figures) in other.bySource {
            var mine = bySource[source] ?? SourceFigures()
            mine.spans += figures.spans
            mine.traceIDs.formUnion(figures.traceIDs)
            mine.errorSpans += figures.errorSpans
            bySource[source] = mine
        }
        for (severity, n) in other.logsBySeverity { logsBySeverity[severity, default: 0] += n }
    }
}
