/// What a monitoring agent says about one invocation (Thundra's Invocation record, New Relic's
/// Transaction event): the fallback where the platform's report is missing, and the link from the agent's
/// trace to the invocation.
public struct AgentInvocation: Sendable, Equatable {
    public var requestID: String?
    public var producer: Producer
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

    public init(requestID: String?, producer: Producer, startTimestamp: Int64, durationMs: Double, coldStart: Bool? = nil,
                failed: Bool = false, timedOut: Bool = false) {
        self.requestID = requestID
        self.producer = producer
        self.startTimestamp = startTimestamp
        self.durationMs = durationMs
        self.coldStart = coldStart
        self.failed = failed
        self.timedOut = timedOut
    }
}
