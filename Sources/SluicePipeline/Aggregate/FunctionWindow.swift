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
    /// Exact up to ``RequestIDSet/exactLimit`` ids a window, estimated beyond: the window's state is bounded.
    public var errors = RequestIDSet()
    public var timeouts = RequestIDSet()
    public var outOfMemory = RequestIDSet()
    /// Execution environments (log streams) seen.
    public var streams: Set<String> = []
    /// Request ids the platform reported, and agent invocations waiting for a report that may not come:
    /// an invocation is counted once, from its report, or from the agent when there is none. Past
    /// ``RequestIDSet/exactLimit`` reports the ids are a sketch, which cannot tell whether one request was
    /// reported: an agent's record then counts unless its report follows it (agents write before reports).
    public var reported = RequestIDSet()
    /// At most ``pendingAgentLimit``: past it, the oldest are counted for good (``settleOldestAgents()``).
    public var agentOnly: [String: AgentInvocation] = [:]
    /// When the reported invocations ran, for the most in flight at once.
    public var concurrency = ConcurrencyProfile()

    /// The most agent invocations a window keeps waiting for their reports.
    public static let pendingAgentLimit = 4096

    public init() {}

    /// A window holding every id and interval, however many: for the totals over windows, which hold them
    /// already, so that those are exact whenever each window's are.
    public static var total: FunctionWindow {
        var window = FunctionWindow()
        for set in [\FunctionWindow.errors, \.timeouts, \.outOfMemory, \.reported] { window[keyPath: set] = RequestIDSet(exactUpTo: .max) }
        window.concurrency = ConcurrencyProfile(exactUpTo: .max)
        return window
    }

    /// Adds the time a reported invocation ran: `durationMs` up to `end` (milliseconds), starting no
    /// earlier than the epoch and no later than its end (a time before 1970 or a negative duration made
    /// a range whose bounds were reversed, which trapped).
    package mutating func addInterval(end: Double, durationMs: Double) {
        concurrency.add(Self.interval(end: end, durationMs: durationMs))
    }

    /// The interval ``addInterval(end:durationMs:)`` adds.
    package static func interval(end: Double, durationMs: Double) -> ClosedRange<Double> {
        Swift.min(Swift.max(end - durationMs, 0), end)...end
    }

    /// The most invocations in flight at once (see ``ConcurrencyProfile/maxConcurrency``).
    public var maxConcurrency: Int { concurrency.maxConcurrency }

    /// An agent's invocation of request `id`, counted unless its report came or comes.
    package mutating func addAgent(_ agent: AgentInvocation, id: String) {
        guard !reported.contains(id) else { return }
        agentOnly[id] = agent
        if agentOnly.count > Self.pendingAgentLimit { settleOldestAgents() }
    }

    /// Counts the older half of the waiting agent invocations as invocations only an agent saw, as
    /// ``FunctionSummary`` counts them, and stops waiting for their reports: a function whose logs hold
    /// thousands of agent records without reports in one window has none to wait for.
    mutating func settleOldestAgents() {
        let oldest = agentOnly.sorted { ($0.value.startTimestamp, $0.key) < ($1.value.startTimestamp, $1.key) }
            .prefix(agentOnly.count - Self.pendingAgentLimit / 2)
        for (id, agent) in oldest {
            agentOnly[id] = nil
            invocations += 1
            duration.record(agent.durationMs)
            if agent.coldStart == true { coldStarts += 1 }
            if agent.failed { errors.insert(id) }
            if agent.timedOut { timeouts.insert(id) }
        }
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
        if !agentOnly.isEmpty, let ids = other.reported.exactIDs {
            for id in ids { agentOnly[id] = nil }
        }
        if agentOnly.count > Self.pendingAgentLimit { settleOldestAgents() }
        concurrency.merge(other.concurrency)
    }
}
