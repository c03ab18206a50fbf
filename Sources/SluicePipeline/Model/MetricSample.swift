/// One metric data point from a log line: an EMF document, a Datadog metric line, a Thundra metric.
///
/// The public initialiser is in an extension and hands the fields to the synthesised memberwise one:
/// a sample built by an initialiser that assigns its fields one by one was copied into its record's box
/// and the original destroyed (a retain and a release of every field, a tenth of New Relic's metric
/// reading); built by the synthesised one it is moved. `timestamp` is declared first so that the two
/// initialisers cannot be mistaken for each other (the synthesised one begins with it).
public struct MetricSample: Sendable, Equatable {
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    /// EMF's namespace; nil for producers without one.
    public var namespace: String?
    public var name: String
    public var unit: String?
    /// Every value the line gives for it (EMF arrays give several).
    public var values: MetricValues
    /// Dimension names and values (EMF's dimension set, Datadog's tags), sorted by name.
    public var dimensions: [Attribute]
    public var producer: Producer
    /// An already aggregated histogram point (OpenTelemetry's), instead of single values.
    public var histogram: HistogramPoint?
    /// EMF's `StorageResolution` in seconds: 1 for a high-resolution metric, nil for the standard 60.
    public var storageResolution: Int?
}

extension MetricSample {
    public init(namespace: String? = nil, name: String, unit: String? = nil, values: MetricValues, dimensions: [Attribute] = [],
                timestamp: Int64, producer: Producer, histogram: HistogramPoint? = nil, storageResolution: Int? = nil) {
        self.init(timestamp: timestamp, namespace: namespace, name: name, unit: unit, values: values, dimensions: dimensions,
                  producer: producer, histogram: histogram, storageResolution: storageResolution)
    }
}

/// An explicit-bucket histogram data point as a producer aggregated it.
public struct HistogramPoint: Sendable, Equatable {
    public var count: Int64
    public var sum: Double
    public var min: Double?
    public var max: Double?
    /// The counts per bucket; empty when the producer sent only count, sum, min and max (New Relic).
    public var bucketCounts: [Int64]
    public var explicitBounds: [Double]

    public init(count: Int64, sum: Double, min: Double?, max: Double?, bucketCounts: [Int64], explicitBounds: [Double]) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
    }
}
