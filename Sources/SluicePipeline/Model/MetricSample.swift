/// One metric data point from a log line: an EMF document, a Datadog metric line, a Thundra metric.
public struct MetricSample: Sendable, Equatable {
    /// EMF's namespace; nil for producers without one.
    public var namespace: String?
    public var name: String
    public var unit: String?
    /// Every value the line gives for it (EMF arrays give several).
    public var values: MetricValues
    /// Dimension names and values (EMF's dimension set, Datadog's tags), sorted by name.
    public var dimensions: [Attribute]
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var producer: Producer
    /// An already aggregated histogram point (OpenTelemetry's), instead of single values.
    public var histogram: HistogramPoint?
    /// EMF's `StorageResolution` in seconds: 1 for a high-resolution metric, nil for the standard 60.
    public var storageResolution: Int?

    public init(namespace: String? = nil, name: String, unit: String? = nil, values: MetricValues, dimensions: [Attribute] = [],
                timestamp: Int64, producer: Producer, histogram: HistogramPoint? = nil, storageResolution: Int? = nil) {
        self.histogram = histogram
        self.storageResolution = storageResolution
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.values = values
        self.dimensions = dimensions
        self.timestamp = timestamp
        self.producer = producer
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
