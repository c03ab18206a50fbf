/// OpenTelemetry's base-2 exponential histogram: buckets `(base^i, base^(i+1)]` with `base = 2^(2^-scale)`,
/// exact count, sum, min and max. Two histograms of the same scale merge exactly.
///
/// Scale 6 (the default) makes a bucket 1.09 % wide, so a quantile read from it is within 0.55 % of a
/// recorded value: under the 1 % the aggregation promises.
public struct ExponentialHistogram: Sendable, Equatable {
    public let scale: Int
    public private(set) var count: Int64 = 0
    public private(set) var sum: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity
    /// Values of zero (or below; durations never are).
    public private(set) var zeroCount: Int64 = 0
    /// Index of `counts[0]`.
    public private(set) var offset: Int = 0
    public private(set) var counts: [Int64] = []

    public init(scale: Int = 6) {
        self.scale = scale
        self.bounds = scale == 6 ? Self.scale6 : Self.boundaries(scale: scale)
    }

    /// The bounds `2^(k / 2^scale)` for k in 0...2^scale, computed once per scale without libm: by square
    /// roots of 2, then products.
    private static func boundaries(scale: Int) -> [Double] {
        var root = 2.0
        for _ in 0..<scale { root = root.squareRoot() }
        var bounds = [1.0]
        for _ in 0..<(1 << scale) { bounds.append(bounds[bounds.count - 1] * root) }
        bounds[bounds.count - 1] = 2.0
        return bounds
    }

    private static let scale6 = boundaries(scale: 6)

    /// Made once per histogram (shared for the default scale), not on every lookup.
    private let bounds: [Double]

    /// The bucket index of a positive, finite value: the i with base^i < value <= base^(i+1).
    public func index(of value: Double) -> Int {
        let exponent = Int(value.exponent)
        let significand = value.significand  // in [1, 2)
        let bounds = self.bounds
        // The first k with bounds[k] >= significand; the bucket ends there.
        var low = 0
        var high = bounds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] >= significand { high = mid } else { low = mid + 1 }
        }
        return exponent << scale + low - 1
    }

    /// The upper bound of bucket `index`.
    public func upperBound(of index: Int) -> Double {
        let perOctave = 1 << scale
        let k = index + 1
        let octave = k >= 0 ? k / perOctave : -((-k + perOctave - 1) / perOctave)
        let within = k - octave * perOctave
        return bounds[within] * Double(sign: .plus, exponent: octave, significand: 1)
    }

    public mutating func record(_ value: Double, count n: Int64 = 1) {
        guard value.isFinite, n > 0 else { return }
        count += n
        sum += value * Double(n)
        min = Swift.min(min, value)
        max = Swift.max(max, value)
        guard value > 0 else {
            zeroCount += n
            return
        }
        add(index: index(of: value), count: n)
    }

    private mutating func add(index: Int, count n: Int64) {
        if counts.isEmpty {
            offset = index
            counts = [n]
        } else if index < offset {
            // Zeros from `repeatElement`, not from an array made for them: growing was an allocation more.
            counts.insert(contentsOf: repeatElement(0, count: offset - index), at: 0)
            offset = index
            counts[0] += n
        } else if index >= offset + counts.count {
            counts.append(contentsOf: repeatElement(0, count: index - offset - counts.count + 1))
            counts[index - offset] += n
        } else {
            counts[index - offset] += n
        }
    }

    /// Adds `other` (same scale) into this one.
    public mutating func merge(_ other: ExponentialHistogram) {
        precondition(other.scale == scale, "histograms of one aggregation share a scale")
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        zeroCount += other.zeroCount
        for (i, n) in other.counts.enumerated() where n > 0 { add(index: other.offset + i, count: n) }
    }

    /// The value below which a fraction `q` of the recorded values lie, read from the buckets (the
    /// geometric middle of the bucket), clamped to the exact min and max; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int64((q * Double(count)).rounded(.up)))
        var seen = zeroCount
        if seen >= rank { return Swift.max(min, 0) }
        for (i, n) in counts.enumerated() {
            seen += n
            if seen >= rank {
                let upper = upperBound(of: offset + i)
                let lower = upperBound(of: offset + i - 1)
                return Swift.min(max, Swift.max(min, (lower * upper).squareRoot()))
            }
        }
        return max
    }
}
