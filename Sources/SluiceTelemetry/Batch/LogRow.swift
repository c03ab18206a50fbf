import SluicePipeline

/// A log record with where it was logged and its idempotency key.
public struct LogRow: Sendable, Equatable {
    public var timestampMs: Int64
    /// `<event id>:<n>`: the same event gives the same key however often it is processed.
    public var key: String
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
}

/// The public initialiser hands the fields to the synthesised memberwise one, which Swift moves into the
/// batch's array where it copied a row built field by field and destroyed the original (``MetricRow``).
/// `timestampMs` is declared first so that the two cannot be mistaken for each other.
extension LogRow {
    public init(key: String, timestampMs: Int64, severity: Severity?, body: String, requestID: String? = nil, traceID: String? = nil,
                spanID: String? = nil, attributes: [Attribute] = [], source: String, owner: String, logGroup: String,
                logStream: String, function: String) {
        self.init(timestampMs: timestampMs, key: key, severity: severity, body: body, requestID: requestID, traceID: traceID, spanID: spanID,
                  attributes: attributes, source: source, owner: owner, logGroup: logGroup, logStream: logStream, function: function)
    }
}
