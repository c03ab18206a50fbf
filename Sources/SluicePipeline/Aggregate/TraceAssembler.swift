/// Assembles spans from every producer into traces by trace id (across events, streams and payloads),
/// and derives the service map from client spans: caller function to the host, database, queue or
/// function it called, with calls, errors and a latency histogram.
public struct TraceAssembler: Sendable {
    /// Most traces kept (the oldest beyond it are dropped and counted).
    public var maxTraces: Int
    public private(set) var traces: [String: AssembledTrace] = [:]
    public private(set) var order: [String] = []
    public private(set) var droppedTraces = 0
    public private(set) var serviceMap: [ServiceEdge: EdgeFigures] = [:]
    /// Log records by the trace id or request id they carry: what a kept trace keeps with it.
    public private(set) var logsByTraceID: [String: Int] = [:]
    public private(set) var logsByRequestID: [String: Int] = [:]

    public init(maxTraces: Int = 10_000) {
        self.maxTraces = maxTraces
    }

    /// Root span ids that trace records declared before any span of their trace arrived (bounded like the traces).
    private var declaredRoots: [String: String] = [:]
    private var declaredOrder: [String] = []

    public mutating func add(_ message: RecognizedMessage) {
        let function = FunctionWindowKey.functionName(logGroup: message.stream.logGroup)
        for case .trace(let record) in message.records {
            guard let root = record.rootSpanID else { continue }
            if traces[record.traceID] != nil {
                traces[record.traceID]?.declaredRootSpanID = root
            } else {
                if declaredRoots.count >= maxTraces, let oldest = declaredOrder.first {
                    declaredOrder.removeFirst()
                    declaredRoots[oldest] = nil
                }
                if declaredRoots.updateValue(root, forKey: record.traceID) == nil { declaredOrder.append(record.traceID) }
            }
        }
        for case .log(let log) in message.records {
            if let trace = log.traceID { logsByTraceID[trace, default: 0] += 1 } else if let request = log.requestID { logsByRequestID[request, default: 0] += 1 }
        }
        for case .span(let span) in message.records where !span.traceID.isEmpty {
            if traces[span.traceID] == nil {
                if traces.count >= maxTraces, let oldest = order.first {
                    order.removeFirst()
                    traces[oldest] = nil
                    droppedTraces += 1
                }
                order.append(span.traceID)
                var trace = AssembledTrace(traceID: span.traceID)
                trace.declaredRootSpanID = declaredRoots.removeValue(forKey: span.traceID)
                traces[span.traceID] = trace
            }
            traces[span.traceID]?.add(span, function: function)
            if span.kind == .client, let peer = Self.peer(of: span) {
                let edge = ServiceEdge(from: function, to: peer)
                serviceMap[edge, default: EdgeFigures()].record(span)
            }
        }
    }

    /// Who a client span called: an HTTP host, a database, a queue, a function.
    public static func peer(of span: SpanRecord) -> String? {
        func attribute(_ key: String) -> String? {
            span.attributes.last { $0.key == key }.map { $0.value.text }
        }
        for key in ["http.host", "net.peer.name", "server.address", "peer.hostname", "out.host", "db.system", "messaging.system", "rpc.service", "aws.service"] {
            if let value = attribute(key), !value.isEmpty { return value }
        }
        if let url = attribute("http.url") ?? attribute("url.full") { return host(of: url) }
        // New Relic names external calls "External/<host>/<library>/".
        if span.name.hasPrefix("External/") { return span.name.split(separator: "/").dropFirst().first.map(String.init) }
        return nil
    }

    /// `http://127.0.0.1:4000/items/42` → `127.0.0.1:4000`; a bare `host/path` → `host`.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" }))
    }

    /// Log records that belong with `trace`: carrying its id, or the request id of one of its invocations.
    public func correlatedLogs(_ trace: AssembledTrace) -> Int {
        (logsByTraceID[trace.traceID] ?? 0) + trace.requestIDs.reduce(0) { $0 + (logsByRequestID[$1] ?? 0) }
    }

    /// The slowest traces, longest first.
    public func slowest(_ n: Int) -> [AssembledTrace] {
        Array(traces.values.sorted { ($0.durationNanos, $0.traceID) > ($1.durationNanos, $1.traceID) }.prefix(n))
    }

    /// Traces with an error span, longest first.
    public func failed(_ n: Int) -> [AssembledTrace] {
        Array(traces.values.filter(\.hasError).sorted { ($0.durationNanos, $0.traceID) > ($1.durationNanos, $1.traceID) }.prefix(n))
    }
}

/// The spans of one trace, with what is derived from them.
public struct AssembledTrace: Sendable, Equatable {
    public var traceID: String
    public var spans: [SpanRecord] = []
    /// The function the spans were logged by (the first one seen).
    public var function: String?
    public var requestIDs: Set<String> = []
    /// The root span a trace record named, when one did.
    public var declaredRootSpanID: String?

    public init(traceID: String) {
        self.traceID = traceID
    }

    public var startNanos: Int64 { spans.map(\.startNanos).min() ?? 0 }
    public var endNanos: Int64 { spans.map { $0.startNanos + $0.durationNanos }.max() ?? 0 }
    public var durationNanos: Int64 { endNanos - startNanos }
    public var hasError: Bool { spans.contains(where: \.isError) }

    /// The span a trace record named as root, else the span without a parent in the trace (the earliest, if several).
    public var root: SpanRecord? {
        if let declared = declaredRootSpanID, let span = spans.first(where: { $0.spanID == declared }) { return span }
        let ids = Set(spans.map(\.spanID))
        return spans.filter { $0.parentSpanID.map { !ids.contains($0) } ?? true }.min { $0.startNanos < $1.startNanos }
    }

    /// The chain of spans that bounds the trace's duration: from the root, each time the child that ends
    /// last (the one the parent was waiting for).
    public var criticalPath: [SpanRecord] {
        guard var current = root else { return [] }
        var children: [String: [SpanRecord]] = [:]
        for span in spans {
            if let parent = span.parentSpanID { children[parent, default: []].append(span) }
        }
        var path = [current]
        var visited: Set<String> = [current.spanID]
        while let next = children[current.spanID]?.max(by: { ($0.startNanos + $0.durationNanos, $1.spanID) < ($1.startNanos + $1.durationNanos, $0.spanID) }),
            visited.insert(next.spanID).inserted
        {
            path.append(next)
            current = next
        }
        return path
    }

    public mutating func add(_ span: SpanRecord, function: String) {
        spans.append(span)
        if self.function == nil { self.function = function }
        if let id = span.requestID { requestIDs.insert(id) }
    }
}

public struct ServiceEdge: Sendable, Hashable, Comparable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    public static func < (a: ServiceEdge, b: ServiceEdge) -> Bool { (a.from, a.to) < (b.from, b.to) }
}

public struct EdgeFigures: Sendable, Equatable {
    public var calls = 0
    public var errors = 0
    public var latency = ExponentialHistogram()

    public init() {}

    public mutating func record(_ span: SpanRecord) {
        calls += 1
        if span.isError { errors += 1 }
        latency.record(Double(span.durationNanos) / 1e6)
    }
}
