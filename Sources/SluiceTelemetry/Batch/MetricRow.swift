import SluicePipeline

/// One metric data point: an EMF or Datadog sample (its values summarised), or a per-function window
/// figure (`faas.invocations`, `faas.invoke_duration`, ...).
public struct MetricRow: Sendable, Equatable {
    /// The record's `<event id>:<n>`, or for window figures the function, window and name.
    public var key: String
    /// The producer (`emf`, `datadog`, ...) or `sluice` for the figures Sluice computed.
    public var source: String
    public var namespace: String?
    public var name: String
    public var unit: String?
    /// Sorted by key.
    public var dimensions: [Attribute]
    public var timestampMs: Int64
    public var count: Int64
    public var sum: Double
    public var min: Double
    public var max: Double
    public var logGroup: String

    public init(key: String, source: String, namespace: String? = nil, name: String, unit: String? = nil, dimensions: [Attribute] = [],
                timestampMs: Int64, count: Int64, sum: Double, min: Double, max: Double, logGroup: String) {
        self.key = key
        self.source = source
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.timestampMs = timestampMs
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.logGroup = logGroup
    }
}
