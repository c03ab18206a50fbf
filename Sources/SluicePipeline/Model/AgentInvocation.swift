/// What a monitoring agent says about one invocation (Thundra's Invocation record, New Relic's
/// Transaction event): the fallback where the platform's report is missing, and the link from the agent's
/// trace to the invocation.
///
/// Built through the synthesised memberwise initialiser, which the public one calls (see ``MetricSample``:
/// built field by field it was copied into its record's box, then destroyed). `producer` is declared first
/// so that the two cannot be mistaken for each other.
public struct AgentInvocation: Sendable, Equatable {
    public var producer: Producer
    public var requestID: String?
    /// Milliseconds since the epoch.
    public var startTimestamp: Int64
    public var durationMs: Double
    public var coldStart: Bool?
    public var failed: Bool
    public var timedOut: Bool
    public var errorType: String?
    public var errorMessage: String?
    /// The agent's trace id for the invocation (32 hex digits where the agent uses them).
    public var traceID: String?
    /// The X-Ray trace id the agent saw, as 32 hex digits.
    public var xrayTraceID: String?
    /// Thundra's `transactionId`, New Relic's transaction guid: what the agent's other records point to.
    public var transactionID: String?
}

extension AgentInvocation {
    public init(requestID: String?, producer: Producer, startTimestamp: Int64, durationMs: Double, coldStart: Bool? = nil,
                failed: Bool = false, timedOut: Bool = false) {
        self.init(producer: producer, requestID: requestID, startTimestamp: startTimestamp, durationMs: durationMs, coldStart: coldStart,
                  failed: failed, timedOut: timedOut)
    }
}
