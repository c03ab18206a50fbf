import SluicePipeline

/// Per-function figures from stored invocation rows: the same ``FunctionSummary`` `replay` computes from
/// the records themselves, so `sluice query functions` and `sluice replay --format json` agree.
public enum FunctionRollup {
    public static func summaries(environments: some Sequence<EnvironmentRow>, invocations rows: some Sequence<InvocationRow>) -> [FunctionSummary] {
        var windows: [FunctionGroup: FunctionWindow] = [:]
        for environment in environments {
            let group = FunctionGroup(owner: environment.owner, logGroup: environment.logGroup, function: environment.function)
            windows[group, default: .total].streams.insert(environment.logStream)
        }
        for row in rows {
            let group = FunctionGroup(owner: row.owner, logGroup: row.logGroup, function: row.function)
            windows[group, default: .total].add(row)
        }
        return windows.map { FunctionSummary(owner: $0.key.owner, logGroup: $0.key.logGroup, function: $0.key.function, window: $0.value) }
            .sorted { ($0.logGroup, $0.owner) < ($1.logGroup, $1.owner) }
    }

    struct FunctionGroup: Hashable {
        var owner: String
        var logGroup: String
        var function: String
    }
}

extension FunctionWindow {
    /// Counts one stored invocation the way the aggregator counts the records it came from.
    mutating func add(_ row: InvocationRow) {
        streams.insert(row.logStream)
        count(row)
    }

    /// ``add(_:)`` without noting the row's stream, for figures that do not count environments (the
    /// derived OTLP window metrics): hashing the stream's name for every row was a tenth of deriving them.
    @inline(__always)
    mutating func count(_ row: InvocationRow) {
        let id = row.requestID
        switch row.source {
        case .report:
            let duration = row.durationMs ?? 0
            invocations += 1
            self.duration.record(duration)
            billedDurationSum += row.billedDurationMs ?? 0
            memorySizeMB = Swift.max(memorySizeMB, row.memorySizeMB ?? 0)
            if let used = row.maxMemoryUsedMB { maxMemoryUsed.record(Double(used)) }
            if let initDuration = row.initDurationMs {
                coldStarts += 1
                self.initDuration.record(initDuration)
            }
            estimatedCostUSD += row.costUSD ?? 0
            reported.insert(id)
            if !agentOnly.isEmpty { agentOnly[id] = nil }           // most functions have no agent: no hash
            addInterval(end: Double(row.endMs), durationMs: duration)
        case .agent:
            var agent = AgentInvocation(requestID: id, producer: Producer(rawValue: row.producer ?? "") ?? .application,
                                        startTimestamp: row.startMs, durationMs: row.durationMs ?? 0, coldStart: row.coldStart,
                                        failed: row.flags.contains(.failed), timedOut: row.flags.contains(.timedOut))
            agent.errorType = row.errorType
            addAgent(agent, id: id)
        case .marker:
            break
        }
        // An agent's own flags count through `agentOnly` (only while no report came), as the aggregator does.
        guard row.source != .agent else { return }
        if row.flags.contains(.failed) { errors.insert(id) }
        if row.flags.contains(.timedOut) { timeouts.insert(id) }
        if row.flags.contains(.outOfMemory) { outOfMemory.insert(id) }
    }
}
