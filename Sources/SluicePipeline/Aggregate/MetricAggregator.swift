/// Aggregates metric samples per (source, namespace, name, unit, dimension set): count, sum, min, max and
/// a histogram of the values; merges exactly.
public struct MetricAggregator: Sendable {
    public private(set) var series: [MetricSeriesKey: MetricSeries] = [:]

    public init() {}

    public mutating func add(_ sample: MetricSample) {
        let key = MetricSeriesKey(source: sample.producer, namespace: sample.namespace, name: sample.name, unit: sample.unit,
                                  dimensions: sample.dimensions.map { DimensionPair(name: $0.key, value: $0.value.text) })
        Self.add(sample, to: &series[key, default: MetricSeries()])
    }

    private static func add(_ sample: MetricSample, to entry: inout MetricSeries) {
        if sample.storageResolution == 1 { entry.highResolution = true }
        for value in sample.values { entry.record(value) }
        if let histogram = sample.histogram {
            entry.count += histogram.count
            entry.sum += histogram.sum
            if let min = histogram.min { entry.min = Swift.min(entry.min, min) }
            if let max = histogram.max { entry.max = Swift.max(entry.max, max) }
        }
    }

    public mutating func add(_ message: RecognizedMessage) {
        for case .metric(let sample) in message.records { add(sample) }
    }

    public mutating func merge(_ other: MetricAggregator) {
        for (key, value) in other.series { series[key, default: MetricSeries()].merge(value) }
    }

    /// Series sorted by source, namespace, name and dimensions.
    public var sorted: [(key: MetricSeriesKey, value: MetricSeries)] {
        series.sorted { $0.key < $1.key }
    }
}

public struct DimensionPair: Sendable, Hashable, Comparable {
    public var name: String
    public var value: String

    public static func < (a: DimensionPair, b: DimensionPair) -> Bool { (a.name, a.value) < (b.name, b.value) }
}

public struct MetricSeriesKey: Sendable, Hashable, Comparable {
    public var source: Producer
    public var namespace: String?
    public var name: String
    public var unit: String?
    public var dimensions: [DimensionPair]

    public static func < (a: MetricSeriesKey, b: MetricSeriesKey) -> Bool {
        if a.source != b.source { return a.source < b.source }
        if a.namespace != b.namespace { return (a.namespace ?? "") < (b.namespace ?? "") }
        if a.name != b.name { return a.name < b.name }
        return a.dimensions.lexicographicallyPrecedes(b.dimensions)
    }
}

public struct MetricSeries: Sendable, Equatable {
    public var count: Int64 = 0
    public var sum = 0.0
    public var min = Double.infinity
    public var max = -Double.infinity
    public var histogram = ExponentialHistogram()
    /// Some sample asked for EMF's high (1 s) storage resolution.
    public var highResolution = false

    mutating func record(_ value: Double) {
        count += 1
        sum += value
        min = Swift.min(min, value)
        max = Swift.max(max, value)
        histogram.record(value)
    }

    mutating func merge(_ other: MetricSeries) {
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        histogram.merge(other.histogram)
        highResolution = highResolution || other.highResolution
    }
}

extension AttributeValue {
    /// The value as text (dimension values are strings; others are written out).
    public var text: String {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        }
    }
}
