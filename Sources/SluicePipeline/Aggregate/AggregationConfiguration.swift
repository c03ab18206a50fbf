/// How aggregation windows and costs are computed.
public struct AggregationConfiguration: Sendable, Equatable {
    /// Width of a window, in milliseconds (default 60 s).
    public var windowMilliseconds: Int64
    /// The architecture whose prices apply (the logs do not say which one a function runs on).
    public var architecture: Architecture
    public var prices: PriceTable

    public init(windowMilliseconds: Int64 = 60_000, architecture: Architecture = .x86_64, prices: PriceTable = .default) {
        self.windowMilliseconds = windowMilliseconds
        self.architecture = architecture
        self.prices = prices
    }

    public static let `default` = AggregationConfiguration()

    /// The widest window, in seconds: as wide as the times a record holds (``RecordBounds``, 146 years).
    public static let maxWindowSeconds: Int64 = RecordBounds.maxMilliseconds / 1000

    /// A window `seconds` wide, in milliseconds: past `Int64`, held at its ends for ``validate()`` to
    /// report (`seconds * 1000` trapped on a width of 2^63 - 1 seconds).
    public static func windowMilliseconds(seconds: Int64) -> Int64 {
        seconds.saturatingMultiplied(by: 1000)
    }

    /// Applies `SLUICE_WINDOW_SECONDS` and `SLUICE_ARCHITECTURE` from `environment`; returns the result and
    /// every value that could not be read.
    public static func fromEnvironment(_ environment: [String: String], base: AggregationConfiguration = .default) -> (AggregationConfiguration, [String]) {
        var configuration = base
        var problems: [String] = []
        if let text = environment["SLUICE_WINDOW_SECONDS"] {
            if let seconds = Int64(text) { configuration.windowMilliseconds = windowMilliseconds(seconds: seconds) } else {
                problems.append("SLUICE_WINDOW_SECONDS=\(text) is not a whole number")
            }
        }
        if let text = environment["SLUICE_ARCHITECTURE"] {
            if let architecture = Architecture(rawValue: text) { configuration.architecture = architecture } else {
                problems.append("SLUICE_ARCHITECTURE=\(text) is not one of x86_64, arm64")
            }
        }
        return (configuration, problems)
    }

    /// Every problem with these values; empty when usable.
    public func validate() -> [String] {
        var problems: [String] = []
        if windowMilliseconds < 1000 { problems.append("the aggregation window must be at least 1 second (got \(windowMilliseconds) ms)") }
        if windowMilliseconds / 1000 > Self.maxWindowSeconds {
            problems.append("the aggregation window must be at most \(Self.maxWindowSeconds) seconds (146 years, the span of the times a record holds)")
        }
        if prices.perRequest < 0 || prices.perGBSecondX86 < 0 || prices.perGBSecondArm < 0 { problems.append("prices cannot be negative") }
        return problems
    }
}

public enum Architecture: String, Sendable, CaseIterable {
    case x86_64
    case arm64
}

/// Lambda's prices in US dollars (us-east-1, first tier).
public struct PriceTable: Sendable, Equatable {
    public var perRequest: Double
    public var perGBSecondX86: Double
    public var perGBSecondArm: Double

    public init(perRequest: Double, perGBSecondX86: Double, perGBSecondArm: Double) {
        self.perRequest = perRequest
        self.perGBSecondX86 = perGBSecondX86
        self.perGBSecondArm = perGBSecondArm
    }

    public static let `default` = PriceTable(perRequest: 0.20 / 1_000_000, perGBSecondX86: 0.000_016_666_7, perGBSecondArm: 0.000_013_333_4)

    /// The cost of one invocation billed `billedMs` at `memoryMB`.
    public func cost(billedMs: Double, memoryMB: Int, architecture: Architecture) -> Double {
        let gbSeconds = billedMs / 1000 * Double(memoryMB) / 1024
        return perRequest + gbSeconds * (architecture == .arm64 ? perGBSecondArm : perGBSecondX86)
    }
}
