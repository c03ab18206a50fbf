import FoundationEssentials
import SluicePipeline

/// Cuts a ``TelemetryBatch`` into OTLP requests bounded by items and by bytes, in order, losing nothing.
/// Pure: the exporter sends what it returns.
public struct OTLPBatcher: Sendable {
    /// Most items (spans, log records and events, metric points) in one request.
    public var maxItems: Int
    /// Most bytes of one serialized request (before compression). A single item larger than this is
    /// still sent on its own: the collector, not Sluice, decides whether to take it.
    public var maxBytes: Int
    public var encoder: OTLPEncoder

    public init(maxItems: Int = 2048, maxBytes: Int = 4 << 20, encoder: OTLPEncoder = OTLPEncoder()) {
        self.maxItems = maxItems
        self.maxBytes = maxBytes
        self.encoder = encoder
    }

    /// One request: its signal, its protobuf bytes and the part of the batch it carries.
    public struct Request: Sendable {
        public var signal: OTLPSignal
        public var body: Data
        public var items: TelemetryBatch
        public var itemCount: Int { items.itemCount }
    }

    /// The requests for `batch`: traces, then logs (environments, invocations, log records), then metrics.
    /// Their items, concatenated per signal, are the batch's items in their order. The first metrics request
    /// also carries the per-function window metrics derived from the batch's invocations (which travel as
    /// log events), once; a batch with invocations and no metric points sends them in a request of their
    /// own. Those points have no keys and are not counted among the items.
    public func requests(_ batch: TelemetryBatch) -> [Request] {
        var out: [Request] = []
        split(TelemetryBatch(spans: batch.spans), signal: .traces, into: &out)
        split(TelemetryBatch(environments: batch.environments, invocations: batch.invocations, logs: batch.logs), signal: .logs, into: &out)
        split(TelemetryBatch(metrics: batch.metrics), signal: .metrics, derivedFrom: batch.invocations, into: &out)
        return out
    }

    /// `derivedFrom`: the invocations whose window metrics go with the first request (metrics only).
    private func split(_ part: TelemetryBatch, signal: OTLPSignal, derivedFrom invocations: [InvocationRow] = [], into out: inout [Request]) {
        if part.isEmpty {
            if !invocations.isEmpty { fit(part, signal: signal, derivedFrom: invocations, into: &out) }
            return
        }
        var start = 0
        while start < part.itemCount {
            let end = min(start + max(1, maxItems), part.itemCount)
            fit(part.slice(start..<end), signal: signal, derivedFrom: start == 0 ? invocations : [], into: &out)
            start = end
        }
    }

    /// Sends `part` whole when it fits in `maxBytes`, else its two halves (each tried the same way; the
    /// derived metrics go with the first).
    private func fit(_ part: TelemetryBatch, signal: OTLPSignal, derivedFrom invocations: [InvocationRow], into out: inout [Request]) {
        let body = encode(part, signal, derivedFrom: invocations)
        if body.count <= maxBytes || part.itemCount <= 1 {
            out.append(Request(signal: signal, body: body, items: part))
            return
        }
        let half = part.itemCount / 2
        fit(part.slice(0..<half), signal: signal, derivedFrom: invocations, into: &out)
        fit(part.slice(half..<part.itemCount), signal: signal, derivedFrom: [], into: &out)
    }

    func encode(_ part: TelemetryBatch, _ signal: OTLPSignal, derivedFrom invocations: [InvocationRow]) -> Data {
        switch signal {
        case .traces: encoder.traces(part)
        case .logs: encoder.logs(part)
        case .metrics: encoder.metrics(TelemetryBatch(invocations: invocations, metrics: part.metrics))
        }
    }
}

extension TelemetryBatch {
    /// Items `range` of the batch, counting environments, invocations, spans, logs, then metrics.
    public func slice(_ range: Range<Int>) -> TelemetryBatch {
        // The usual case, a batch that fits one request: shared, not copied (a copy retains every row's strings).
        if range.lowerBound <= 0 && range.upperBound >= itemCount { return self }
        var out = TelemetryBatch()
        var offset = 0
        func take<T>(_ items: [T]) -> [T] {
            defer { offset += items.count }
            let low = max(range.lowerBound - offset, 0)
            let high = min(range.upperBound - offset, items.count)
            return low < high ? Array(items[low..<high]) : []
        }
        out.environments = take(environments)
        out.invocations = take(invocations)
        out.spans = take(spans)
        out.logs = take(logs)
        out.metrics = take(metrics)
        return out
    }
}
