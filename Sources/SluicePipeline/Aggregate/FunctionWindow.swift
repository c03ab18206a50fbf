/// What one function did in one window: the figures a person looks at first. Merges exactly.
public struct FunctionWindow: Sendable, Equatable {
    public var invocations = 0
    public var coldStarts = 0
    public var duration = ExponentialHistogram()
    public var billedDurationSum = 0.0
    public var memorySizeMB = 0
    public var maxMemoryUsed = ExponentialHistogram()
    public var initDuration = ExponentialHistogram()
    public var estimatedCostUSD = 0.0
    /// Request ids of failed invocations (errors include timeouts, as CloudWatch's Errors metric does).
    public var errors: Set<String> = []
    public var timeouts: Set<String> = []
    public var outOfMemory: Set<String> = []
    /// Execution environments (log streams) seen.
    public var streams: Set<String> = []
    /// Request ids the platform reported, and agent invocations waiting for a report that may not come:
    /// an invocation is counted once, from its report, or from the agent when there is none.
    public var reported: Set<String> = []
    public var agentOnly: [String: AgentInvocation] = [:]
    /// When each reported invocation ran (milliseconds): its report's time less its duration, to it.
    public var intervals: [ClosedRange<Double>] = []

    public init() {}

    /// Adds the time a reported invocation ran: `durationMs` up to `end` (milliseconds), starting no
    /// earlier than the epoch and no later than its end (a time before 1970 or a negative duration made
    /// a range whose bounds were reversed, which trapped).
    package mutating func addInterval(end: Double, durationMs: Double) {
        intervals.append(Swift.min(Swift.max(end - durationMs, 0), end)...end)
    }

    /// The most invocations in flight at once (each execution environment runs one at a time, so this is
    /// the number of environments busy together).
    public var maxConcurrency: Int {
        var edges: [(time: Double, delta: Int)] = []
        edges.reserveCapacity(intervals.count * 2)
        for interval in intervals {
            edges.append((interval.lowerBound, 1))
            edges.append((interval.upperBound, -1))
        }
        // Ends before starts at the same instant: back-to-back invocations do not overlap.
        edges.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var current = 0
        var peak = 0
        for edge in edges {
            current += edge.delta
            peak = max(peak, current)
        }
        return peak
    }

    public mutating func merge(_ other: FunctionWindow) {
        invocations += other.invocations
        coldStarts += other.coldStarts
        duration.merge(other.duration)
        billedDurationSum += other.billedDurationSum
        memorySizeMB = max(memorySizeMB, other.memorySizeMB)
        maxMemoryUsed.merge(other.maxMemoryUsed)
        initDuration.merge(other.initDuration)
        estimatedCostUSD += other.estimatedCostUSD
        errors.formUnion(other.errors)
        timeouts.formUnion(other.timeouts)
        outOfMemory.formUnion(other.outOfMemory)
        streams.formUnion(other.streams)
        reported.formUnion(other.reported)
        // Neither side waits on an agent invocation it has a report for, so only the other side's reports
        // and agent invocations need a look (going over every report so far made merging quadratic).
        for (id, agent) in other.agentOnly where agentOnly[id] == nil && !reported.contains(id) { agentOnly[id] = agent }
        for id in other.reported { agentOnly[id] = nil }
        intervals += other.intervals
    }
}
