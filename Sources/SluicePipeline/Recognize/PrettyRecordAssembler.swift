/// Reassembles the OpenTelemetry console exporter's pretty-printed records, which arrive as one
/// CloudWatch event per line (`{\n`, `    "name": "GET",\n`, …, `}\n`), per log stream and across
/// payloads. Bounded: a record that grows past the limits is dropped and counted; one still open when
/// the input ends is reported by ``finish()``.
public struct PrettyRecordAssembler: Sendable {
    /// Most events one record may span.
    public var maxEvents: Int
    /// Most bytes one record may hold.
    public var maxBytes: Int

    private var open: [StreamKey: [UInt8]] = [:]
    private var openEvents: [StreamKey: Int] = [:]

    public init(maxEvents: Int = 10_000, maxBytes: Int = 1 << 20) {
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
    }

    /// What feeding one event did.
    public enum Outcome: Sendable, Equatable {
        /// The event is not part of a pretty-printed record.
        case notPart
        /// The event was buffered into an open record.
        case buffered
        /// The event closed a record: its bytes, all lines joined.
        case completed([UInt8])
    }

    /// Feeds one event of `stream`, already classified as `recordClass`. `dropped` says why an open
    /// record was given up (it grew too long, a new one started, or another kind of line came before
    /// it ended), if one was.
    public mutating func feed(_ message: UnsafeBufferPointer<UInt8>, recordClass: RecordClass, stream: StreamKey) -> (Outcome, dropped: String?) {
        if recordClass == .otelPrettyStart {
            let abandoned = open[stream] != nil ? "a new record started before the previous one ended" : nil
            open[stream] = Array(message)
            openEvents[stream] = 1
            return (.buffered, abandoned)
        }
        // Most streams never hold a pretty-printed record: no hashing of the stream key for them.
        if open.isEmpty { return (.notPart, nil) }
        guard var buffer = open[stream] else { return (.notPart, nil) }
        open[stream] = nil
        // Only plain lines and the closing brace belong to a record; anything else (a platform line after
        // the process was killed mid-record, say) interrupts it and is recognised on its own.
        if recordClass != .text && recordClass != .otelPrettyEnd {
            openEvents[stream] = nil
            return (.notPart, "interrupted by a \(recordClass.rawValue) line")
        }
        buffer.append(contentsOf: message)
        let events = (openEvents[stream] ?? 0) + 1
        if recordClass == .otelPrettyEnd {
            openEvents[stream] = nil
            return (.completed(buffer), nil)
        }
        if buffer.count > maxBytes || events > maxEvents {
            openEvents[stream] = nil
            return (.buffered, "record longer than \(maxEvents) events or \(maxBytes) bytes")
        }
        open[stream] = buffer
        openEvents[stream] = events
        return (.buffered, nil)
    }

    /// The records still open, by stream: unfinished at the end of the input.
    public mutating func finish() -> [StreamKey] {
        let streams = Array(open.keys)
        open = [:]
        openEvents = [:]
        return streams
    }
}

/// What a reassembled pretty-printed record holds.
public enum PrettyRecordKind: String, Sendable, CaseIterable {
    case span, log, metrics
    /// Not JSON, or none of the three.
    case unparsable

    /// The kind of a reassembled record already parsed into a tape (nil: it is not JSON).
    init(_ record: JSONView?) {
        guard let record, record.kind == .object else {
            self = .unparsable
            return
        }
        let shape = ObjectShape.read(view: record)
        if shape.keys.contains(.name) && shape.contextHasTraceID {
            self = .span
        } else if shape.keys.contains(.body) {
            self = .log
        } else if shape.keys.contains(.resourceMetrics) {
            self = .metrics
        } else {
            self = .unparsable
        }
    }
}

/// A log stream, told apart by account and group.
public struct StreamKey: Sendable, Hashable {
    public var owner: String
    public var logGroup: String
    public var logStream: String

    public init(owner: String, logGroup: String, logStream: String) {
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
    }
}
