/// Aggregates recognised records into per-function, per-window figures: invocations, cold starts, errors,
/// timeouts, out-of-memory kills, durations, memory and cost. Pure and synchronous.
///
/// The platform's report is the source of truth; an agent's invocation counts only for a request the
/// platform never reported, so no invocation is counted twice.
public struct FunctionAggregator: Sendable {
    public var configuration: AggregationConfiguration
    public private(set) var windows: [FunctionWindowKey: FunctionWindow] = [:]

    public init(configuration: AggregationConfiguration = .default) {
        self.configuration = configuration
    }

    func windowStart(_ timestamp: Int64) -> Int64 {
        FunctionWindowKey.windowStart(of: timestamp, width: configuration.windowMilliseconds)
    }

    /// Adds the records of one message. Its records are gathered per window locally and merged into the
    /// table once per window (merging is exact), rather than looking the window up for every record. A
    /// message's records alternate between a few windows (streams interleave), so the last few windows
    /// stay at hand; a window beyond them starts another part, which merging joins.
    public mutating func add(_ message: RecognizedMessage) {
        var starts: [Int64] = []
        var parts: [FunctionWindow] = []
        var current = -1
        for record in message.records {
            guard let timestamp = record.activityTimestamp else { continue }
            let start = windowStart(timestamp)
            if current < 0 || starts[current] != start {
                if let found = starts.indices.suffix(8).last(where: { starts[$0] == start }) {
                    current = found
                } else {
                    var part = FunctionWindow()
                    // The stream is the message's: inserted once per window, not hashed again for every record.
                    part.streams.insert(message.stream.logStream)
                    starts.append(start)
                    parts.append(part)
                    current = parts.count - 1
                }
            }
            apply(record, to: &parts[current])
        }
        guard !parts.isEmpty else { return }
        let function = FunctionWindowKey.functionName(logGroup: message.stream.logGroup)
        // Each part is moved out of the list into the table (they have distinct starts, so the order does not
        // matter): iterated, every window was copied, a retain and a release of each of its sets and histograms.
        while let part = parts.popLast(), let start = starts.popLast() {
            store(part, at: FunctionWindowKey(owner: message.stream.owner, logGroup: message.stream.logGroup, function: function, windowStart: start))
        }
    }

    /// Merges `window` into the table's window for `key`; a new window is taken whole, which equals
    /// merging it into an empty one without hashing every request id of its sets again.
    private mutating func store(_ window: consuming FunctionWindow, at key: FunctionWindowKey) {
        if let index = windows.index(forKey: key) {
            windows.values[index].merge(window)
        } else {
            windows[key] = window
        }
    }

    func apply(_ record: RecognizedRecord, to w: inout FunctionWindow) {
        switch record {
        case .report(let r):
            w.invocations += 1
            w.duration.record(r.durationMs)
            w.billedDurationSum += r.billedDurationMs ?? 0
            w.memorySizeMB = max(w.memorySizeMB, r.memorySizeMB ?? 0)
            if let used = r.maxMemoryUsedMB { w.maxMemoryUsed.record(Double(used)) }
            if let initDuration = r.initDurationMs {
                w.coldStarts += 1
                w.initDuration.record(initDuration)
            }
            w.estimatedCostUSD += configuration.prices.cost(billedMs: r.billedDurationMs ?? r.durationMs.rounded(.up),
                                                            memoryMB: r.memorySizeMB ?? 128, architecture: configuration.architecture)
            if r.status == .error || r.status == .failure || r.status == .timeout { w.errors.insert(r.requestID) }
            if r.status == .timeout { w.timeouts.insert(r.requestID) }
            if r.errorType == "Runtime.OutOfMemory" {
                w.outOfMemory.insert(r.requestID)
                w.errors.insert(r.requestID)
            }
            w.reported.insert(r.requestID)
            if !w.agentOnly.isEmpty { w.agentOnly[r.requestID] = nil }
            w.addInterval(end: Double(r.timestamp), durationMs: r.durationMs)
        case .platform(let e):
            guard let id = e.requestID else { return }
            switch e.kind {
            case .timeout:
                w.timeouts.insert(id)
                w.errors.insert(id)
            case .crash(_, let outOfMemory):
                w.errors.insert(id)
                if outOfMemory { w.outOfMemory.insert(id) }
            case .end(let status):
                if status == .error || status == .failure { w.errors.insert(id) }
                if status == .timeout {
                    w.timeouts.insert(id)
                    w.errors.insert(id)
                }
            case .start, .initStart, .initReport, .restoreStart, .restoreReport:
                break
            }
        case .log(let log):
            if log.isUnhandledError, let id = log.requestID { w.errors.insert(id) }
        case .invocation(let agent):
            guard let id = agent.requestID else { return }
            w.addAgent(agent, id: id)
        case .span, .metric, .trace:
            break
        }
    }

    /// Every function's figures over all its windows, sorted by log group.
    public func functions() -> [FunctionSummary] {
        var merged: [FunctionWindowKey: FunctionWindow] = [:]
        for (key, window) in windows {
            let total = FunctionWindowKey(owner: key.owner, logGroup: key.logGroup, function: key.function, windowStart: 0)
            merged[total, default: .total].merge(window)
        }
        return merged.map { FunctionSummary(key: $0.key, window: $0.value) }.sorted { ($0.logGroup, $0.owner) < ($1.logGroup, $1.owner) }
    }

    /// Adds everything `other` aggregated (windows merge exactly).
    public mutating func merge(_ other: FunctionAggregator) {
        for (key, window) in other.windows { store(window, at: key) }
    }
}

/// A function's window.
public struct FunctionWindowKey: Sendable, Hashable {
    public var owner: String
    public var logGroup: String
    public var function: String
    public var windowStart: Int64

    /// The start of the window of `width` milliseconds that holds `timestamp` (rounded down, before the epoch
    /// too): the aggregator's windows, and the OTLP encoder's derived `faas.*` windows, which must be the same.
    package static func windowStart(of timestamp: Int64, width: Int64) -> Int64 {
        timestamp >= 0 ? timestamp / width * width : -((-timestamp + width - 1) / width) * width
    }

    /// `/aws/lambda/orders` → `orders`; other groups keep their name.
    public static func functionName(logGroup: String) -> String {
        logGroup.hasPrefix("/aws/lambda/") ? String(logGroup.dropFirst("/aws/lambda/".count)) : logGroup
    }
}

/// One function's figures, with the agent-only invocations counted in.
public struct FunctionSummary: Sendable, Equatable {
    public var owner: String
    public var logGroup: String
    public var function: String
    public var window: FunctionWindow

    init(key: FunctionWindowKey, window: FunctionWindow) {
        self.init(owner: key.owner, logGroup: key.logGroup, function: key.function, window: window)
    }

    public init(owner: String, logGroup: String, function: String, window: FunctionWindow) {
        self.owner = owner
        self.logGroup = logGroup
        self.function = function
        self.window = window
    }

    /// Invocations from reports, plus those only an agent reported.
    public var invocations: Int { window.invocations + window.agentOnly.count }
    /// Durations from reports, plus those of the invocations only an agent reported.
    public var duration: ExponentialHistogram {
        var histogram = window.duration
        for agent in window.agentOnly.values.sorted(by: { ($0.startTimestamp, $0.requestID ?? "") < ($1.startTimestamp, $1.requestID ?? "") }) {
            histogram.record(agent.durationMs)
        }
        return histogram
    }
    /// Cold starts from reports (`Init Duration`), plus agent-only invocations the agent marked cold.
    public var coldStarts: Int { window.coldStarts + window.agentOnly.values.reduce(0) { $0 + ($1.coldStart == true ? 1 : 0) } }
    public var errors: Int { window.errors.count(adding: window.agentOnly.values.lazy.filter(\.failed).compactMap(\.requestID)) }
    public var timeouts: Int { window.timeouts.count(adding: window.agentOnly.values.lazy.filter(\.timedOut).compactMap(\.requestID)) }
}
