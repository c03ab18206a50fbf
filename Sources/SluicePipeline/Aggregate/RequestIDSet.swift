/// Request ids counted distinct: exactly while there are at most ``exactLimit`` of them, then estimated by
/// a HyperLogLog sketch of fixed size (16 KB, about 0.8 % standard error), so that a window's state stops
/// growing with its invocations.
///
/// Merging stays exact in either form: the sketch of a union is the merge of the sketches, and a set turns
/// into a sketch exactly when its ids pass the limit, however they were added (sets of one limit are equal
/// when their ids are). Membership is known only while exact.
public struct RequestIDSet: Sendable, Equatable {
    /// The most ids held one by one (a few hundred kilobytes of strings).
    public static let exactLimit = 4096
    /// 2^14 registers: a sketch of 16 KB.
    static let precision = 14

    /// The most ids held one by one by this set: ``exactLimit``, or any number for totals over windows that
    /// already hold their ids.
    private let limit: Int
    private var ids: Set<String> = []
    /// The sketch, once the ids passed the limit (`ids` is then empty).
    private var sketch: Sketch?

    public init() { limit = Self.exactLimit }

    /// A set holding up to `limit` ids one by one.
    public init(exactUpTo limit: Int) { self.limit = limit }

    /// Whether the ids are held one by one (counted exactly, membership known).
    public var isExact: Bool { sketch == nil }

    /// The ids, while they are held one by one.
    public var exactIDs: Set<String>? { isExact ? ids : nil }

    /// How many distinct ids were added: exact up to ``exactLimit``, estimated beyond.
    public var count: Int { sketch?.count ?? ids.count }

    /// Whether `id` was added; false when that is no longer known (the sketch holds no ids).
    public func contains(_ id: String) -> Bool { isExact && ids.contains(id) }

    /// Room for `count` ids one by one (at most the limit), so that adding them does not grow the set.
    public mutating func reserveCapacity(_ count: Int) {
        if sketch == nil { ids.reserveCapacity(Swift.min(count, limit)) }
    }

    public mutating func insert(_ id: String) {
        if sketch != nil {
            sketch?.insert(id)
            return
        }
        ids.insert(id)
        if ids.count > limit { estimate() }
    }

    public mutating func formUnion(_ other: RequestIDSet) {
        guard let theirs = other.sketch else { return formUnion(other.ids) }
        if sketch == nil { estimate() }
        sketch?.merge(theirs)
    }

    public mutating func formUnion(_ more: some Sequence<String>) {
        for id in more { insert(id) }
    }

    /// The count of ``union(_:)``, without copying the set while it holds its ids one by one (only the
    /// ids it lacks are gathered).
    public func count(adding more: some Sequence<String>) -> Int {
        guard isExact else { return union(more).count }
        var added: Set<String> = []
        for id in more where !ids.contains(id) { added.insert(id) }
        // Past the limit the union is a sketch, whose count is its estimate.
        guard ids.count + added.count <= limit else { return union(more).count }
        return ids.count + added.count
    }

    public func union(_ more: some Sequence<String>) -> RequestIDSet {
        var copy = self
        copy.formUnion(more)
        return copy
    }

    /// Turns the ids into a sketch.
    private mutating func estimate() {
        var made = Sketch()
        for id in ids { made.insert(id) }
        ids = []
        sketch = made
    }

    /// HyperLogLog's registers, changed in place through the optional that holds them.
    struct Sketch: Sendable, Equatable {
        private var registers = [UInt8](repeating: 0, count: 1 << RequestIDSet.precision)

        /// The register of `id`'s hash (its first 14 bits) keeps the longest run of leading zeros of the rest.
        mutating func insert(_ id: String) {
            var hasher = ByteHasher()
            hasher.combine(id)
            let hash = hasher.finalize()
            let precision = UInt64(RequestIDSet.precision)
            let index = Int(truncatingIfNeeded: hash >> (64 - precision))
            // A guard bit past the 50 bits left bounds the rank at 51.
            let rank = UInt8(((hash << precision) | (1 << (precision - 1))).leadingZeroBitCount + 1)
            if rank > registers[index] { registers[index] = rank }
        }

        /// The sketch of both sets of ids: each register's larger value.
        mutating func merge(_ other: Sketch) {
            for index in registers.indices where other.registers[index] > registers[index] { registers[index] = other.registers[index] }
        }

        /// Flajolet et al.'s estimate, by linear counting while registers are still empty (every count a
        /// sketch holds starts past the limit, where that is the more accurate of the two).
        var count: Int {
            let m = Double(registers.count)
            var sum = 0.0
            var zeros = 0
            for register in registers {
                sum += 1 / Double(UInt64(1) << UInt64(register))
                if register == 0 { zeros += 1 }
            }
            let raw = 0.7213 / (1 + 1.079 / m) * m * m / sum
            if raw <= 2.5 * m && zeros > 0 { return Int((m * RequestIDSet.naturalLogarithm(m / Double(zeros))).rounded()) }
            return Int(raw.rounded())
        }
    }

    /// ln(x) for x ≥ 1 without the C library (the core imports none): x = s · 2^e with s in [1, 2), and
    /// ln(s) = 2 atanh((s - 1) / (s + 1)), whose series in y ≤ 1/3 is exact to a double in 30 terms.
    static func naturalLogarithm(_ x: Double) -> Double {
        let y = (x.significand - 1) / (x.significand + 1)
        let square = y * y
        var power = y
        var sum = 0.0
        for k in 0..<30 {
            sum += power / Double(2 * k + 1)
            power *= square
        }
        return 2 * sum + Double(x.exponent) * 0.693_147_180_559_945_3
    }
}
