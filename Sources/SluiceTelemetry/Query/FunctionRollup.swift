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
        withUnsafePointer(to: row) { count($0) }
    }

    /// ``add(_:)`` without noting the row's stream, for figures that do not count environments (the
    /// derived OTLP window metrics): hashing the stream's name for every row was a tenth of deriving them.
    /// With `distributions` false the duration, init and memory histograms stay empty (the derived
    /// metrics keep their own, in seconds and bytes). The row is read field by field where it lies: lent
    /// whole to this mutating method, it was copied first, every string retained and released.
    /// With `agentsFollow` false the caller knows no agent invocation will be counted in this window, so
    /// nothing asks which requests were reported and their ids are not kept (each was hashed and stored for
    /// nothing).
    @inline(__always)
    mutating func count(_ row: UnsafePointer<InvocationRow>, distributions: Bool = true, agentsFollow: Bool = true) {
        let id = row.pointee.requestID
        let source = row.pointee.source
        let flags = row.pointee.flags
        switch source {
        case .report:
            let duration = row.pointee.durationMs ?? 0
            invocations += 1
            billedDurationSum += row.pointee.billedDurationMs ?? 0
            memorySizeMB = Swift.max(memorySizeMB, row.pointee.memorySizeMB ?? 0)
            if let initDuration = row.pointee.initDurationMs {
                coldStarts += 1
                if distributions { self.initDuration.record(initDuration) }
            }
            if distributions {
                self.duration.record(duration)
                if let used = row.pointee.maxMemoryUsedMB { maxMemoryUsed.record(Double(used)) }
            }
            estimatedCostUSD += row.pointee.costUSD ?? 0
            if agentsFollow { reported.insert(id) }
            if !agentOnly.isEmpty { agentOnly[id] = nil }           // most functions have no agent: no hash
            addInterval(end: Double(row.pointee.endMs), durationMs: duration)
        case .agent:
            var agent = AgentInvocation(requestID: id, producer: Producer(rawValue: row.pointee.producer ?? "") ?? .application,
                                        startTimestamp: row.pointee.startMs, durationMs: row.pointee.durationMs ?? 0,
                                        coldStart: row.pointee.coldStart, failed: flags.contains(.failed), timedOut: flags.contains(.timedOut))
            agent.errorType = row.pointee.errorType
            addAgent(agent, id: id)
        case .marker:
            break
        }
        // An agent's own flags count through `agentOnly` (only while no report came), as the aggregator does.
        guard source != .agent else { return }
        if flags.contains(.failed) { errors.insert(id) }
        if flags.contains(.timedOut) { timeouts.insert(id) }
        if flags.contains(.outOfMemory) { outOfMemory.insert(id) }
    }
}
