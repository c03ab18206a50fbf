import SluicePipeline

/// A log record with where it was logged and its idempotency key.
public struct LogRow: Sendable, Equatable {
    /// `<event id>:<n>`: the same event gives the same key however often it is processed.
    public var key: String
    public var timestampMs: Int64
    public var severity: Severity?
    public var body: String
    public var requestID: String?
    public var traceID: String?
    public var spanID: String?
    public var attributes: [Attribute]
    public var source: String
    public var owner: String
    public var logGroup: String
    public var logStream: String
    public var function: String

    public init(key: String, timestampMs: Int64, severity: Severity?, body: String, requestID: String? = nil, traceID: String? = nil,
                spanID: String? = nil, attributes: [Attribute] = [], source: String, owner: String, logGroup: String,
                logStream: String, function: String) {
        self.key = key
        self.timestampMs = timestampMs
        self.severity = severity
        self.body = body
        self.requestID = requestID
        self.traceID = traceID
        self.spanID = spanID
        self.attributes = attributes
        self.source = source
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
        self.function = function
    }
}
