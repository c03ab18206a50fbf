/// An execution environment (a log stream, OpenTelemetry's `faas.instance`) that logged something about
/// its function, and when: how a function with no invocation in the batch is still known, and what
/// `log_streams` counts.
public struct EnvironmentRow: Sendable, Equatable {
    public var owner: String
    public var logGroup: String
    public var logStream: String
    public var function: String
    public var firstMs: Int64
    public var lastMs: Int64

    public init(owner: String, logGroup: String, logStream: String, function: String, firstMs: Int64, lastMs: Int64) {
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
        self.function = function
        self.firstMs = firstMs
        self.lastMs = lastMs
    }

    public var key: String { logGroup + "\u{1F}" + logStream }

    public mutating func merge(_ other: EnvironmentRow) {
        firstMs = min(firstMs, other.firstMs)
        lastMs = max(lastMs, other.lastMs)
    }
}
