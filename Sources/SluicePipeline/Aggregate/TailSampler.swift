/// Tail sampling, decided once a batch has been seen: every trace with an error, every trace slower than
/// its function's p99 (or a fixed threshold), and a fraction of the rest, chosen by trace id so the same
/// trace is kept or dropped the same way everywhere.
public struct TailSampler: Sendable, Equatable {
    /// Keep traces longer than this many milliseconds; nil: longer than their function's p99.
    public var thresholdMs: Double?
    /// The share of the remaining traces kept, 0...1.
    public var keepFraction: Double

    public init(thresholdMs: Double? = nil, keepFraction: Double = 0.1) {
        self.thresholdMs = thresholdMs
        self.keepFraction = keepFraction
    }

    public struct Decision: Sendable, Equatable {
        public var keptForError: [String] = []
        public var keptAsSlow: [String] = []
        public var keptBySampling: [String] = []
        public var dropped = 0

        public var kept: [String] { keptForError + keptAsSlow + keptBySampling }
    }

    /// Decides for every assembled trace; `p99ByFunction` is the p99 invocation duration of each function.
    public func decide(_ traces: [AssembledTrace], p99ByFunction: [String: Double]) -> Decision {
        var decision = Decision()
        for trace in traces.sorted(by: { $0.traceID < $1.traceID }) {
            let durationMs = Double(trace.durationNanos) / 1e6
            let limit = thresholdMs ?? trace.function.flatMap { p99ByFunction[$0] }
            if trace.hasError {
                decision.keptForError.append(trace.traceID)
            } else if let limit, durationMs > limit {
                decision.keptAsSlow.append(trace.traceID)
            } else if Self.unitInterval(trace.traceID) < keepFraction {
                decision.keptBySampling.append(trace.traceID)
            } else {
                decision.dropped += 1
            }
        }
        return decision
    }

    /// A stable value in [0, 1) from a trace id, so sampling needs no randomness.
    static func unitInterval(_ traceID: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in traceID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        // FNV's high bits mix poorly for ids that differ only at the end: finish with SplitMix64's mixer.
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return Double(hash >> 11) / Double(1 << 53)
    }
}
