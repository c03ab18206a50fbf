/// Aggregates metric samples per (source, namespace, name, unit, dimension set): count, sum, min, max and
/// a histogram of the values; merges exactly.
public struct MetricAggregator: Sendable {
    public private(set) var series: [MetricSeriesKey: MetricSeries] = [:]

    public init() {}

    public mutating func add(_ sample: MetricSample) {
        var dimensions = DimensionSets()
        add(sample, dimensions: &dimensions)
    }

    private mutating func add(_ sample: MetricSample, dimensions: inout DimensionSets) {
        let (pairs, digest) = dimensions.pairs(of: sample.dimensions)
        let key = MetricSeriesKey(source: sample.producer, namespace: sample.namespace, name: sample.name, unit: sample.unit,
                                  dimensions: pairs, dimensionsDigest: digest)
        Self.add(sample, to: &series[key, default: MetricSeries()])
    }

    /// The dimension pairs of the dimension arrays of one message, made and hashed once per array: every
    /// metric of an EMF directive shares its set's array, and a directive with several sets alternates
    /// between them, so the last few arrays are kept. An array is known by its storage, which cannot be
    /// reused while the message holding it is being read (the cache lives no longer than that).
    struct DimensionSets {
        private var storages: [UnsafeRawPointer] = []
        private var counts: [Int] = []
        private var made: [(pairs: [DimensionPair], digest: Int)] = []
        private var next = 0

        mutating func pairs(of attributes: [Attribute]) -> (pairs: [DimensionPair], digest: Int) {
            let identity = attributes.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
            if let identity {
                for index in storages.indices where storages[index] == identity && counts[index] == attributes.count { return made[index] }
            }
            let pairs = attributes.map { DimensionPair(name: $0.key, value: $0.value.text) }
            let result = (pairs, MetricSeriesKey.digest(pairs))
            guard let identity else { return result }
            if storages.count < 8 {
                storages.append(identity)
                counts.append(attributes.count)
                made.append(result)
            } else {
                storages[next] = identity
                counts[next] = attributes.count
                made[next] = result
                next = (next + 1) % storages.count
            }
            return result
        }
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
        var dimensions = DimensionSets()
        for case .metric(let sample) in message.records { add(sample, dimensions: &dimensions) }
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
    public let source: Producer
    public let namespace: String?
    public let name: String
    public let unit: String?
    public let dimensions: [DimensionPair]
    /// The dimensions' hash, computed once per dimension set: hashing every pair's strings again for every
    /// sample was most of what aggregating metrics cost.
    let dimensionsDigest: Int

    init(source: Producer, namespace: String?, name: String, unit: String?, dimensions: [DimensionPair], dimensionsDigest: Int? = nil) {
        self.source = source
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.dimensionsDigest = dimensionsDigest ?? Self.digest(dimensions)
    }

    static func digest(_ dimensions: [DimensionPair]) -> Int {
        var hasher = Hasher()
        hasher.combine(dimensions)
        return hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(namespace)
        hasher.combine(name)
        hasher.combine(unit)
        hasher.combine(dimensionsDigest)
    }

    public static func == (a: MetricSeriesKey, b: MetricSeriesKey) -> Bool {
        a.dimensionsDigest == b.dimensionsDigest && a.source == b.source && a.name == b.name && a.namespace == b.namespace
            && a.unit == b.unit && a.dimensions == b.dimensions
    }

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
