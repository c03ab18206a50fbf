import SluicePipeline

/// One metric data point: an EMF or Datadog sample (its values summarised), or a per-function window
/// figure (`faas.invocations`, `faas.invoke_duration`, ...).
public struct MetricRow: Sendable, Equatable {
    public var timestampMs: Int64
    /// The record's `<event id>:<n>`, or for window figures the function, window and name.
    public var key: String
    /// The producer (`emf`, `datadog`, ...) or `sluice` for the figures Sluice computed.
    public var source: String
    public var namespace: String?
    public var name: String
    public var unit: String?
    /// Sorted by key.
    public var dimensions: [Attribute]
    public var count: Int64
    public var sum: Double
    public var min: Double
    public var max: Double
    public var logGroup: String
}

/// The public initialiser hands the fields to the synthesised memberwise one: a row built by an initialiser
/// that assigns its fields one by one was copied into the batch's array and the original destroyed (a retain
/// and a release of every string: building a batch took a quarter longer); built by the synthesised one it
/// is moved. `timestampMs` is declared first so that the two cannot be mistaken for each other.
extension MetricRow {
    public init(key: String, source: String, namespace: String? = nil, name: String, unit: String? = nil, dimensions: [Attribute] = [],
                timestampMs: Int64, count: Int64, sum: Double, min: Double, max: Double, logGroup: String) {
        self.init(timestampMs: timestampMs, key: key, source: source, namespace: namespace, name: name, unit: unit, dimensions: dimensions,
                  count: count, sum: sum, min: min, max: max, logGroup: logGroup)
    }
}
