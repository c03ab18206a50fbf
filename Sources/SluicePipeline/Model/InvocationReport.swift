/// What the Lambda platform says about one invocation: the `REPORT` line or `platform.report` record,
/// the source of truth for invocation metrics.
///
/// Built through the synthesised memberwise initialiser, which the public one calls (see ``MetricSample``:
/// built field by field it was copied into its record's box, then destroyed). `status` is declared first
/// so that the two cannot be mistaken for each other.
public struct InvocationReport: Sendable, Equatable {
    public var status: InvocationStatus
    public var requestID: String
    /// Milliseconds since the epoch of the event (JSON format: the record's `time`).
    public var timestamp: Int64
    public var durationMs: Double
    public var billedDurationMs: Double?
    public var memorySizeMB: Int?
    public var maxMemoryUsedMB: Int?
    /// Present on the first invocation of an execution environment: a cold start.
    public var initDurationMs: Double?
    public var restoreDurationMs: Double?
    public var billedRestoreDurationMs: Double?
    /// `Error Type` / `errorType` of a failed invocation (`Runtime.ExitError`, `Runtime.OutOfMemory`, ...).
    public var errorType: String?
    /// The X-Ray trace id as 32 lowercase hex digits, from `XRAY TraceId:` or the record's tracing.
    public var traceID: String?
    public var segmentID: String?
    public var sampled: Bool?

    public var coldStart: Bool { initDurationMs != nil }
}

extension InvocationReport {
    public init(requestID: String, timestamp: Int64, durationMs: Double, status: InvocationStatus = .success) {
        self.init(status: status, requestID: requestID, timestamp: timestamp, durationMs: durationMs)
    }
}

/// How an invocation ended.
public enum InvocationStatus: String, Sendable, CaseIterable {
    case success, error, timeout, failure
}

/// A platform line that is not a report: the start or end of an invocation, an init phase, a timeout or a
/// crash.
///
/// Built through the synthesised memberwise initialiser, which the public one calls (see ``MetricSample``:
/// built field by field it was copied into its record's box, then destroyed). `timestamp` is declared first
/// so that the two cannot be mistaken for each other.
public struct PlatformEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `START` / `platform.start`; `version` is the function version.
        case start(version: String?)
        /// `END` / `platform.runtimeDone`.
        case end(status: InvocationStatus?)
        /// `INIT_START` / `platform.initStart`.
        case initStart(runtimeVersion: String?, runtimeVersionARN: String?)
        /// `INIT_REPORT` / `platform.initReport` / `platform.initRuntimeDone`.
        case initReport(durationMs: Double?, status: String?)
        /// SnapStart's `RESTORE_START` / `platform.restoreStart`: an environment resumed from a snapshot.
        case restoreStart(runtimeVersion: String?, runtimeVersionARN: String?)
        /// SnapStart's `RESTORE_REPORT` / `platform.restoreReport` / `platform.restoreRuntimeDone`.
        case restoreReport(durationMs: Double?, status: String?)
        /// `Task timed out after N.NN seconds`.
        case timeout(afterSeconds: Double)
        /// `Runtime exited with error: ...`, `Runtime.ExitError`, out of memory.
        case crash(reason: String, outOfMemory: Bool)
    }

    public var timestamp: Int64
    public var kind: Kind
    /// The invocation, when the line names it (`RequestId: …`) or one is open in the stream.
    public var requestID: String?
}

extension PlatformEvent {
    public init(kind: Kind, requestID: String?, timestamp: Int64) {
        self.init(timestamp: timestamp, kind: kind, requestID: requestID)
    }
}
