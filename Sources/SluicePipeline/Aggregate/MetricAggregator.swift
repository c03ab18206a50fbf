/// Aggregates metric samples per (source, namespace, name, unit, dimension set): count, sum, min, max and
/// a histogram of the values; merges exactly.
public struct MetricAggregator: Sendable {
    /// The series in the order first seen, and an open-addressing index over them by their keys'
    /// fingerprints (at most half full). `Dictionary` hashed namespace, name and unit with SipHash for
    /// every sample: a fifth of what aggregating cost.
    private var keys: [MetricSeriesKey] = []
    private var values: [MetricSeries] = []
    /// Indices into `keys`; -1 for an empty slot.
    private var slots: [Int32] = []
    /// The pairs of the dimension arrays samples came with lately (bounded; kept from message to message).
    private var dimensionSets = DimensionSets()

    public init() {}

    /// How many series there are.
    public var count: Int { keys.count }

    /// Every series by its key.
    public var series: [MetricSeriesKey: MetricSeries] {
        var all: [MetricSeriesKey: MetricSeries] = [:]
        all.reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) { all[key] = value }
        return all
    }

    public mutating func add(_ sample: MetricSample) {
        let set = dimensionSets.pairs(of: sample.dimensions)
        let fingerprint = MetricSeriesKey.fingerprint(source: sample.producer, namespace: sample.namespace, name: sample.name,
                                                      unit: sample.unit, dimensionsDigest: set.digest)
        reserveOne()
        let (slot, found) = find(fingerprint) { index in
            keys[index].matches(source: sample.producer, namespace: sample.namespace, name: sample.name, unit: sample.unit,
                                dimensions: set.pairs, dimensionsDigest: set.digest)
        }
        let index = found ?? insert(MetricSeriesKey(source: sample.producer, namespace: sample.namespace, name: sample.name, unit: sample.unit,
                                                    dimensions: set.pairs, dimensionsDigest: set.digest, fingerprint: fingerprint), at: slot)
        Self.add(sample, to: &values[index])
    }

    /// The slot where the key with `fingerprint` whose index `matches` is, or where it would go, and its
    /// index if it is there. The table must have room for one more key (``reserveOne()``).
    ///
    /// `matches` is given the index, not the key: passing a key copied it.
    @inline(__always)
    private func find(_ fingerprint: UInt64, matches: (Int) -> Bool) -> (slot: Int, index: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return (slot, nil) }
            if keys[index].fingerprint == fingerprint && matches(index) { return (slot, index) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insert(_ key: MetricSeriesKey, at slot: Int) -> Int {
        slots[slot] = Int32(truncatingIfNeeded: keys.count)
        keys.append(key)
        values.append(MetricSeries())
        return keys.count - 1
    }

    /// Room for one more key, the table at most half full.
    @inline(__always)
    private mutating func reserveOne() {
        if (keys.count + 1) * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: max(16, slots.count * 2))
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.fingerprint) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index)
        }
    }

    /// The dimension pairs of the dimension arrays seen last, made and hashed once per array: every metric of
    /// an EMF directive shares its set's array, and recognition shares one array among the documents and
    /// harvests with the same dimensions (``RecognitionCache``). An array is known by its storage, which is
    /// kept alive here so that its address cannot be reused for another one; a slot per storage address,
    /// the last array to land on it winning.
    struct DimensionSets: Sendable {
        private struct Known: Sendable {
            var attributes: [Attribute]
            var pairs: [DimensionPair]
            var digest: UInt64
        }

        private static let slotCount = 64
        private var slots: [Known?] = []

        mutating func pairs(of attributes: [Attribute]) -> (pairs: [DimensionPair], digest: UInt64) {
            let identity = attributes.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
            guard let identity else { return Self.make(attributes) }
            // Storages are at least 16-byte aligned: the bits above those pick the slot.
            let slot = Int((identity >> 4) ^ (identity >> 10)) & (Self.slotCount - 1)
            if slots.isEmpty { slots = Array(repeating: nil, count: Self.slotCount) }
            if let known = slots[slot], known.attributes.count == attributes.count,
               known.attributes.withUnsafeBufferPointer({ $0.baseAddress.map { UInt(bitPattern: $0) } }) == identity {
                return (known.pairs, known.digest)
            }
            let made = Self.make(attributes)
            slots[slot] = Known(attributes: attributes, pairs: made.pairs, digest: made.digest)
            return made
        }

        private static func make(_ attributes: [Attribute]) -> (pairs: [DimensionPair], digest: UInt64) {
            let pairs = attributes.map { DimensionPair(name: $0.key, value: $0.value.text) }
            return (pairs, MetricSeriesKey.digest(pairs))
        }
    }

    private static func add(_ sample: MetricSample, to entry: inout MetricSeries) {
        if sample.storageResolution == 1 { entry.highResolution = true }
        for value in sample.values { entry.record(value) }
        if let histogram = sample.histogram {
            entry.count = entry.count.saturatingAdding(histogram.count)
            entry.sum += histogram.sum
            if let min = histogram.min { entry.min = Swift.min(entry.min, min) }
            if let max = histogram.max { entry.max = Swift.max(entry.max, max) }
        }
    }

    public mutating func add(_ message: RecognizedMessage) {
        for case .metric(let sample) in message.records { add(sample) }
    }

    public mutating func merge(_ other: MetricAggregator) {
        for (key, value) in zip(other.keys, other.values) {
            reserveOne()
            let (slot, found) = find(key.fingerprint) { keys[$0] == key }
            values[found ?? insert(key, at: slot)].merge(value)
        }
    }

    /// Series sorted by source, namespace, name and dimensions.
    public var sorted: [(key: MetricSeriesKey, value: MetricSeries)] {
        zip(keys, values).map { (key: $0.0, value: $0.1) }.sorted { $0.key < $1.key }
    }
}

/// A dimension's name and value. Equal when their UTF-8 bytes are, as metric names are.
public struct DimensionPair: Sendable, Hashable, Comparable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static func < (a: DimensionPair, b: DimensionPair) -> Bool { (a.name, a.value) < (b.name, b.value) }

    public static func == (a: DimensionPair, b: DimensionPair) -> Bool {
        ByteHasher.sameBytes(a.name, b.name) && ByteHasher.sameBytes(a.value, b.value)
    }

    public func hash(into hasher: inout Hasher) {
        for text in [name, value] {
            hasher.combine(text.utf8.count)
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

}

/// What a metric series is known by: its source, namespace, name, unit and dimension set, compared by
/// their UTF-8 bytes.
public struct MetricSeriesKey: Sendable, Hashable, Comparable {
    public let source: Producer
    public let namespace: String?
    public let name: String
    public let unit: String?
    public let dimensions: [DimensionPair]
    /// The dimensions' hash, computed once per dimension set: hashing every pair's strings again for every
    /// sample was most of what aggregating metrics cost.
    let dimensionsDigest: UInt64
    /// The whole key's hash (``ByteHasher``).
    let fingerprint: UInt64

    /// A key whose hashes the caller has computed (``digest(_:)``, ``fingerprint(source:namespace:name:unit:dimensionsDigest:)``):
    /// the table computes them before it knows whether the key is new.
    init(source: Producer, namespace: String?, name: String, unit: String?, dimensions: [DimensionPair], dimensionsDigest: UInt64,
         fingerprint: UInt64) {
        self.source = source
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.dimensionsDigest = dimensionsDigest
        self.fingerprint = fingerprint
    }

    static func digest(_ dimensions: [DimensionPair]) -> UInt64 {
        var hasher = ByteHasher()
        hasher.combine(UInt64(dimensions.count))
        for pair in dimensions {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
        return hasher.finalize()
    }

    @inline(__always)
    static func fingerprint(source: Producer, namespace: String?, name: String, unit: String?, dimensionsDigest: UInt64) -> UInt64 {
        var hasher = ByteHasher()
        hasher.combine(UInt64(source.ordinal))
        hasher.combine(namespace)
        hasher.combine(name)
        hasher.combine(unit)
        hasher.combine(dimensionsDigest)
        return hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }

    public static func == (a: MetricSeriesKey, b: MetricSeriesKey) -> Bool {
        a.fingerprint == b.fingerprint
            && a.matches(source: b.source, namespace: b.namespace, name: b.name, unit: b.unit, dimensions: b.dimensions, dimensionsDigest: b.dimensionsDigest)
    }

    /// Whether this is the key of those fields, byte for byte.
    @inline(__always)
    func matches(source: Producer, namespace: String?, name: String, unit: String?, dimensions: [DimensionPair], dimensionsDigest: UInt64) -> Bool {
        self.source == source && self.dimensionsDigest == dimensionsDigest && ByteHasher.sameBytes(self.name, name)
            && ByteHasher.sameBytes(self.namespace, namespace) && ByteHasher.sameBytes(self.unit, unit) && self.dimensions == dimensions
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
        count = count.saturatingAdding(other.count)
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
