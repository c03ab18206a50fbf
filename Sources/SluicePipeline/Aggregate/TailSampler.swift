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

    /// Applies `SLUICE_SAMPLE_FRACTION` and `SLUICE_SLOW_TRACE_MS` from `environment`; returns the result
    /// and every value that could not be read.
    public static func fromEnvironment(_ environment: [String: String], base: TailSampler = TailSampler()) -> (TailSampler, [String]) {
        var sampler = base
        var problems: [String] = []
        if let text = environment["SLUICE_SAMPLE_FRACTION"] {
            if let value = Double(text) { sampler.keepFraction = value } else { problems.append("SLUICE_SAMPLE_FRACTION=\(text) is not a number") }
        }
        if let text = environment["SLUICE_SLOW_TRACE_MS"] {
            if let value = Double(text) { sampler.thresholdMs = value } else { problems.append("SLUICE_SLOW_TRACE_MS=\(text) is not a number") }
        }
        return (sampler, problems)
    }

    /// Every problem with these values; empty when usable.
    public func validate() -> [String] {
        var problems: [String] = []
        if !(0...1).contains(keepFraction) { problems.append("the sample fraction must be between 0 and 1 (got \(keepFraction))") }
        if let thresholdMs, thresholdMs < 0 { problems.append("the slow-trace threshold cannot be negative (got \(thresholdMs))") }
        return problems
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

    /// Decides for every trace `assembler` holds, against each function's p99 duration in `functions`.
    public func decide(_ assembler: TraceAssembler, functions: [FunctionSummary]) -> Decision {
        let p99s = Dictionary(functions.compactMap { f in f.duration.quantile(0.99).map { (f.function, $0) } }, uniquingKeysWith: { a, _ in a })
        return decide(Array(assembler.traces.values), p99ByFunction: p99s)
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
