import FoundationEssentials
import SluiceOTLP
import SluicePipeline
import SwiftProtobuf

/// Turns OTLP export requests (from Sluice's own exporter or any OpenTelemetry SDK or collector) into a
/// ``TelemetryBatch`` for a store. Pure. An item that cannot be taken is rejected on its own, with the
/// path to it (`resourceSpans[0].scopeSpans[1].spans[2]`), and counted for OTLP's `partial_success`.
public struct OTLPDecoder: Sendable {
    public init() {}

    /// What one request gave.
    public struct Outcome: Sendable {
        public var batch = TelemetryBatch()
        public var rejected: [OTLPDecodeError] = []
        /// Window metrics Sluice derived from invocations it also sent: not stored twice.
        public var derivedSkipped = 0
    }

    public func traces(_ request: OTLPTraceRequest) -> Outcome {
        var outcome = Outcome()
        for (r, resourceSpans) in request.resourceSpans.enumerated() {
            let resource = ResourceFacts(resourceSpans.resource)
            for (s, scopeSpans) in resourceSpans.scopeSpans.enumerated() {
                for (i, span) in scopeSpans.spans.enumerated() {
                    let path = "resourceSpans[\(r)].scopeSpans[\(s)].spans[\(i)]"
                    switch Self.span(span, path: path) {
                    case .success(let record):
                        outcome.batch.spans.append(SpanRow(span: record, owner: resource.owner, logGroup: resource.logGroup, function: resource.function))
                    case .failure(let error):
                        outcome.rejected.append(error)
                    }
                }
            }
        }
        return outcome
    }

    static func span(_ span: OTLPSpan, path: String) -> Result<SpanRecord, OTLPDecodeError> {
        guard span.traceID.count == 16 else { return .failure(.invalidTraceID(signal: "traces", path: path, byteCount: span.traceID.count)) }
        guard span.spanID.count == 8 else { return .failure(.invalidSpanID(signal: "traces", path: path, byteCount: span.spanID.count)) }
        guard span.parentSpanID.isEmpty || span.parentSpanID.count == 8 else {
            return .failure(.invalidSpanID(signal: "traces", path: path + ".parentSpanId", byteCount: span.parentSpanID.count))
        }
        guard span.endTimeUnixNano >= span.startTimeUnixNano else {
            return .failure(.negativeDuration(path: path, startNanos: span.startTimeUnixNano, endNanos: span.endTimeUnixNano))
        }
        var attributes = Attributes(span.attributes)
        let requestID = attributes.take(SluiceConventions.Text.requestID)?.text
        let producer = attributes.take("sluice.producer").flatMap { Producer(rawValue: $0.text) } ?? .openTelemetry
        let status: SpanStatus
        switch span.status.code {
        case .ok: status = .ok
        case .error: status = .error(message: span.status.message.isEmpty ? nil : span.status.message)
        default: status = .unset
        }
        let start = Int64(clamping: span.startTimeUnixNano)
        return .success(SpanRecord(
            traceID: OTLPIdentifiers.hex(span.traceID), spanID: OTLPIdentifiers.hex(span.spanID),
            parentSpanID: span.parentSpanID.isEmpty ? nil : OTLPIdentifiers.hex(span.parentSpanID), name: span.name,
            kind: SpanKind(span.kind), startNanos: start, durationNanos: Int64(clamping: span.endTimeUnixNano) - start, status: status,
            attributes: attributes.remaining, producer: producer, requestID: requestID))
    }

    public func logs(_ request: OTLPLogsRequest) -> Outcome {
        var outcome = Outcome()
        for (r, resourceLogs) in request.resourceLogs.enumerated() {
            let resource = ResourceFacts(resourceLogs.resource)
            for (s, scopeLogs) in resourceLogs.scopeLogs.enumerated() {
                for (i, record) in scopeLogs.logRecords.enumerated() {
                    let path = "resourceLogs[\(r)].scopeLogs[\(s)].logRecords[\(i)]"
                    guard record.traceID.isEmpty || record.traceID.count == 16 else {
                        outcome.rejected.append(.invalidTraceID(signal: "logs", path: path, byteCount: record.traceID.count))
                        continue
                    }
                    guard record.spanID.isEmpty || record.spanID.count == 8 else {
                        outcome.rejected.append(.invalidSpanID(signal: "logs", path: path, byteCount: record.spanID.count))
                        continue
                    }
                    switch record.eventName {
                    case SluiceConventions.Text.invocationEvent: outcome.batch.invocations.append(Self.invocation(record, resource))
                    case SluiceConventions.Text.environmentEvent: outcome.batch.environments.append(Self.environment(record, resource))
                    default: outcome.batch.logs.append(Self.log(record, resource))
                    }
                }
            }
        }
        return outcome
    }

    static func milliseconds(_ nanos: UInt64) -> Int64 { Int64(clamping: nanos / 1_000_000) }

    static func log(_ record: OTLPLogRecord, _ resource: ResourceFacts) -> LogRow {
        var attributes = Attributes(record.attributes)
        let time = milliseconds(record.timeUnixNano != 0 ? record.timeUnixNano : record.observedTimeUnixNano)
        let body = record.hasBody ? AnyValueText.text(record.body) : ""
        let key = attributes.take(SluiceConventions.Text.recordKey)?.text
            ?? "otlp:" + ContentKey.of("\(resource.logStream)\u{1F}\(record.timeUnixNano)\u{1F}\(record.severityNumber.rawValue)\u{1F}\(body)\u{1F}\(AttributeCodec.encode(attributes.remaining))")
        let requestID = attributes.take(SluiceConventions.Text.requestID)?.text
        let source = attributes.take("sluice.log.source")?.text ?? "otlp"
        return LogRow(key: key, timestampMs: time, severity: Severity(number: Int(record.severityNumber.rawValue)) ?? Severity(level: record.severityText),
                      body: body, requestID: requestID, traceID: record.traceID.isEmpty ? nil : OTLPIdentifiers.hex(record.traceID),
                      spanID: record.spanID.isEmpty ? nil : OTLPIdentifiers.hex(record.spanID), attributes: attributes.remaining,
                      source: source, owner: resource.owner, logGroup: resource.logGroup, logStream: resource.logStream, function: resource.function)
    }

    static func invocation(_ record: OTLPLogRecord, _ resource: ResourceFacts) -> InvocationRow {
        var a = Attributes(record.attributes)
        let end = a.take("sluice.invocation.end_ms")?.int ?? milliseconds(record.timeUnixNano)
        var flags: InvocationFlags = []
        if a.take("sluice.invocation.failed")?.bool == true { flags.insert(.failed) }
        if a.take("sluice.invocation.timed_out")?.bool == true { flags.insert(.timedOut) }
        if a.take("sluice.invocation.out_of_memory")?.bool == true { flags.insert(.outOfMemory) }
        let requestID = a.take(SluiceConventions.Text.requestID)?.text ?? ""
        return InvocationRow(
            key: a.take(SluiceConventions.Text.recordKey)?.text ?? "otlp:" + ContentKey.of("\(resource.logStream)\u{1F}\(requestID)\u{1F}\(end)"),
            owner: resource.owner, logGroup: resource.logGroup, function: resource.function, logStream: resource.logStream,
            requestID: requestID, source: a.take("sluice.invocation.source").flatMap { InvocationRow.Source(rawValue: $0.text) } ?? .marker,
            producer: a.take("sluice.invocation.producer")?.text, startMs: a.take("sluice.invocation.start_ms")?.int ?? end, endMs: end,
            durationMs: a.take("sluice.invocation.duration_ms")?.double, billedDurationMs: a.take("sluice.invocation.billed_duration_ms")?.double,
            memorySizeMB: a.take("sluice.invocation.memory_size_mb")?.int.map { Int($0) },
            maxMemoryUsedMB: a.take("sluice.invocation.max_memory_used_mb")?.int.map { Int($0) },
            initDurationMs: a.take("sluice.invocation.init_duration_ms")?.double, coldStart: a.take("faas.coldstart")?.bool ?? false,
            errorType: a.take("error.type")?.text, flags: flags, costUSD: a.take("sluice.invocation.cost_usd")?.double,
            traceID: a.take("sluice.invocation.trace_id")?.text ?? (record.traceID.isEmpty ? nil : OTLPIdentifiers.hex(record.traceID)))
    }

    static func environment(_ record: OTLPLogRecord, _ resource: ResourceFacts) -> EnvironmentRow {
        var a = Attributes(record.attributes)
        let last = a.take("sluice.environment.last_ms")?.int ?? milliseconds(record.timeUnixNano)
        return EnvironmentRow(owner: resource.owner, logGroup: resource.logGroup, logStream: resource.logStream, function: resource.function,
                              firstMs: a.take("sluice.environment.first_ms")?.int ?? last, lastMs: last)
    }
}

/// What a resource says about where its items come from.
struct ResourceFacts {
    var owner: String
    var logGroup: String
    var logStream: String
    var function: String

    init(_ resource: OTLPResource) {
        var owner = ""
        var logGroup: String?
        var logStream: String?
        var faasName: String?
        var serviceName: String?
        for attribute in resource.attributes {
            switch attribute.key {
            case "cloud.account.id": owner = AnyValueText.text(attribute.value)
            case "aws.log.group.names": logGroup = AnyValueText.first(attribute.value)
            case "aws.log.stream.names": logStream = logStream ?? AnyValueText.first(attribute.value)
            case "faas.instance": logStream = AnyValueText.text(attribute.value)
            case "faas.name": faasName = AnyValueText.text(attribute.value)
            case "service.name": serviceName = AnyValueText.text(attribute.value)
            default: break
            }
        }
        function = faasName ?? serviceName ?? logGroup.map { FunctionWindowKey.functionName(logGroup: $0) } ?? "unknown_service"
        self.owner = owner
        // Senders that are not Lambda functions have no log group: their service stands in for it.
        self.logGroup = logGroup ?? function
        self.logStream = logStream ?? ""
    }
}

/// Attributes being read: named ones taken out, the rest kept as the item's own.
struct Attributes {
    var remaining: [Attribute]

    init(_ keyValues: [OTLPKeyValue]) {
        remaining = keyValues.map { Attribute($0.key, AnyValueText.attribute($0.value)) }
    }

    mutating func take(_ key: String) -> AttributeValue? {
        guard let index = remaining.lastIndex(where: { $0.key == key }) else { return nil }
        return remaining.remove(at: index).value
    }
}

extension AttributeValue {
    var int: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d): Int64(exactly: d)
        case .string(let s): Int64(s)
        case .bool: nil
        }
    }

    var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .string(let s): Double(s)
        case .bool: nil
        }
    }

    var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}

/// OTLP's `AnyValue` as the flat values the model keeps: scalars as themselves, arrays, maps and bytes as JSON text.
enum AnyValueText {
    static func attribute(_ value: OTLPAnyValue) -> AttributeValue {
        switch value.value {
        case .stringValue(let s): .string(s)
        case .boolValue(let b): .bool(b)
        case .intValue(let i): .int(i)
        case .doubleValue(let d): .double(d)
        default: .string(text(value))
        }
    }

    static func text(_ value: OTLPAnyValue) -> String {
        switch value.value {
        case .stringValue(let s): return s
        case .boolValue(let b): return String(b)
        case .intValue(let i): return String(i)
        case .doubleValue(let d): return String(d)
        case .none: return ""
        default:
            var w = JSONWriter()
            write(value, to: &w)
            return w.string
        }
    }

    static func first(_ value: OTLPAnyValue) -> String? {
        if case .arrayValue(let array) = value.value { return array.values.first.map(text) }
        let single = text(value)
        return single.isEmpty ? nil : single
    }

    static func write(_ value: OTLPAnyValue, to w: inout JSONWriter) {
        switch value.value {
        case .stringValue(let s): w.string(s)
        case .boolValue(let b): w.bool(b)
        case .intValue(let i): w.int(i)
        case .doubleValue(let d): d.isFinite ? w.double(d) : w.string(String(d))
        case .arrayValue(let array):
            w.beginArray()
            for element in array.values { write(element, to: &w) }
            w.endArray()
        case .kvlistValue(let list):
            w.beginObject()
            for pair in list.values {
                w.key(pair.key)
                write(pair.value, to: &w)
            }
            w.endObject()
        case .bytesValue(let bytes): w.string(OTLPIdentifiers.hex(bytes))
        default: w.null()
        }
    }
}

extension SpanKind {
    init(_ kind: OTLPSpan.SpanKind) {
        switch kind {
        case .server: self = .server
        case .client: self = .client
        case .producer: self = .producer
        case .consumer: self = .consumer
        case .unspecified: self = .unspecified
        default: self = .internal
        }
    }
}

extension Severity {
    /// The severity of an OTLP severity number (1-4 TRACE, ..., 21-24 FATAL).
    init?(number: Int) {
        switch number {
        case 1...4: self = .trace
        case 5...8: self = .debug
        case 9...12: self = .info
        case 13...16: self = .warn
        case 17...20: self = .error
        case 21...24: self = .fatal
        default: return nil
        }
    }
}
