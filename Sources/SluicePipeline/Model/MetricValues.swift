/// The values a line gives for one metric: none (an aggregated point), one (nearly every sample), or
/// several (EMF's value arrays).
///
/// A single value is held inline: an array for it cost every sample an allocation and a release, and
/// most of a payload's records are metric samples. Reads like an array of `Double` and compares equal
/// to one with the same elements.
public struct MetricValues: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case none
        case one(Double)
        case many([Double])
    }

    private var storage: Storage

    /// One value.
    public init(_ value: Double) {
        storage = .one(value)
    }

    /// Any number of values.
    public init(_ values: [Double]) {
        switch values.count {
        case 0: storage = .none
        case 1: storage = .one(values[0])
        default: storage = .many(values)
        }
    }

    public init(arrayLiteral elements: Double...) {
        self.init(elements)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .none: 0
        case .one: 1
        case .many(let values): values.count
        }
    }

    public subscript(position: Int) -> Double {
        switch storage {
        case .one(let value):
            precondition(position == 0, "MetricValues index out of range")
            return value
        case .many(let values):
            return values[position]
        case .none:
            preconditionFailure("MetricValues index out of range")
        }
    }

    public static func == (lhs: MetricValues, rhs: MetricValues) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
