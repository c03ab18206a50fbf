import SluicePipeline

/// One fact about an invocation as a store keeps it: the platform's report, an agent's record of it, or a
/// line that marks it failed, timed out or killed for memory.
///
/// Rows are keyed by the event they came from and never change; ``FunctionRollup`` puts the rows of a
/// request together the way the aggregator does (every report counts, since Lambda's retries of an
/// asynchronous event reuse its request id; an agent's record only where no report came), so a report
/// arriving in a later payload than the agent's record still gives one invocation.
public struct InvocationRow: Sendable, Equatable {
    /// What the row is: a report, an agent's record, or a marker that only says something went wrong.
    public enum Source: String, Sendable, CaseIterable {
        case report, agent, marker
    }

    /// Milliseconds since the epoch; for markers, the marker's time.
    public var startMs: Int64
    /// The record's `<event id>:<n>`.
    public var key: String

    public var owner: String
    public var logGroup: String
    public var function: String
    public var logStream: String
    public var requestID: String
    public var source: Source
    /// The agent that described it, for `agent` rows.
    public var producer: String?
    public var endMs: Int64
    public var durationMs: Double?
    public var billedDurationMs: Double?
    public var memorySizeMB: Int?
    public var maxMemoryUsedMB: Int?
    public var initDurationMs: Double?
    public var coldStart: Bool
    public var errorType: String?
    /// What the row says went wrong.
    public var flags: InvocationFlags
    /// Requests plus GB-seconds at the configured prices, for `report` rows.
    public var costUSD: Double?
    public var traceID: String?
}

/// The public initialiser hands the fields to the synthesised memberwise one, which Swift moves into the
/// batch's array (``MetricRow``). `startMs` is declared first so that the two cannot be mistaken for each other.
extension InvocationRow {
    public init(key: String, owner: String, logGroup: String, function: String, logStream: String, requestID: String, source: Source,
                producer: String? = nil, startMs: Int64, endMs: Int64, durationMs: Double? = nil, billedDurationMs: Double? = nil,
                memorySizeMB: Int? = nil, maxMemoryUsedMB: Int? = nil, initDurationMs: Double? = nil, coldStart: Bool = false,
                errorType: String? = nil, flags: InvocationFlags = [], costUSD: Double? = nil, traceID: String? = nil) {
        self.init(startMs: startMs, key: key, owner: owner, logGroup: logGroup, function: function, logStream: logStream, requestID: requestID,
                  source: source, producer: producer, endMs: endMs, durationMs: durationMs, billedDurationMs: billedDurationMs,
                  memorySizeMB: memorySizeMB, maxMemoryUsedMB: maxMemoryUsedMB, initDurationMs: initDurationMs, coldStart: coldStart,
                  errorType: errorType, flags: flags, costUSD: costUSD, traceID: traceID)
    }
}

/// What went wrong with an invocation. Errors include timeouts and out-of-memory kills, as CloudWatch's
/// own Errors metric for Lambda counts them.
public struct InvocationFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let failed = InvocationFlags(rawValue: 1)
    public static let timedOut = InvocationFlags(rawValue: 2)
    public static let outOfMemory = InvocationFlags(rawValue: 4)
}
