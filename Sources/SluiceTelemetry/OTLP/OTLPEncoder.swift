import FoundationEssentials
import SluicePipeline

/// Turns a ``TelemetryBatch`` into OTLP export requests, as protobuf bytes. Pure.
///
/// Resources follow OpenTelemetry's semantic conventions (`cloud.*`, `faas.name`, `faas.instance`,
/// `aws.log.group.names`, `aws.log.stream.names`). Invocations travel as log events named
/// `aws.lambda.invocation` and execution environments as `sluice.execution_environment` events, so a
/// `serve` on the other side stores exactly what a local replay stores; per-function window metrics
/// (`faas.invocations`, `faas.invoke_duration`, ...) are added for any other backend.
///
/// The bytes are written directly (``ProtobufWriter``); the tests parse them with the generated types and
/// with PyPI's opentelemetry-proto, whose re-serialisation must give the same bytes.
public struct OTLPEncoder: Sendable {
    /// Width of the windows of the derived `faas.*` metrics, in milliseconds.
    public var windowMilliseconds: Int64

    /// Whether stored strings are read in place (``StoredUTF8``); off only in the tests that compare the
    /// two ways.
    var readsStoredStringsInPlace = true

    public init(windowMilliseconds: Int64 = 60_000) {
        self.windowMilliseconds = windowMilliseconds
    }

    /// An `ExportTraceServiceRequest`: one resource for each run of spans of one function.
    /// (Written back to front, as ``ProtobufWriter`` writes: last field and last item first.)
    public func traces(_ batch: TelemetryBatch) -> Data {
        // Spans of the corpus take 650-700 bytes: room for them up front, as growing copies what is written.
        var w = ProtobufWriter(capacity: batch.spans.count * 768 + 256, readsInPlace: readsStoredStringsInPlace)
        batch.spans.withUnsafeBufferPointer { spans in
            let runs = Self.runs(spans, same: { $0.pointee.logGroup == $1.pointee.logGroup && $0.pointee.function == $1.pointee.function && $0.pointee.owner == $1.pointee.owner },
                                 key: { ResourceKey(owner: $0.pointee.owner, logGroup: $0.pointee.logGroup, function: $0.pointee.function, logStream: nil) })
            for run in runs.reversed() {
                w.message(1) { w in                                  // resource_spans
                    w.message(2) { w in                               // scope_spans
                        for index in run.range.reversed() { Self.write(spans.baseAddress.unsafelyUnwrapped + index, into: &w) }
                        w.message(1) { Self.writeScope(SluiceConventions.scopeName, into: &$0) }
                    }
                    w.message(1) { run.key.write(into: &$0) }         // resource
                }
            }
        }
        return w.finish()
    }

    /// Consecutive items with the same resource: items of one stream or group come together, so this finds
    /// the groups without hashing every item (a resource seen again later starts another group, as OTLP allows).
    /// The closures read the items through pointers: handing them the items would copy each whole row.
    static func runs<T>(_ items: UnsafeBufferPointer<T>, same: (UnsafePointer<T>, UnsafePointer<T>) -> Bool, key: (UnsafePointer<T>) -> ResourceKey)
        -> [(key: ResourceKey, range: Range<Int>)]
    {
        var out: [(key: ResourceKey, range: Range<Int>)] = []
        guard let base = items.baseAddress else { return out }
        var start = 0
        while start < items.count {
            var end = start + 1
            while end < items.count, same(base + start, base + end) { end += 1 }
            out.append((key(base + start), start..<end))
            start = end
        }
        return out
    }

    /// One `Span` (field 2 of the scope), read in place from the batch: each field through the pointer, since
    /// handing the span to a function copies it whole (a retain of each of its strings and arrays).
    static func write(_ row: UnsafePointer<SpanRow>, into w: inout ProtobufWriter) {
        let mark = w.count
        switch row.pointee.span.status {
        case .unset: break
        case .ok: w.message(15) { $0.int64(3, 1) }
        case .error(let message):
            w.message(15) { w in
                w.int64(3, 2)
                w.string(2, message ?? "")
            }
        }
        writeStringAttribute(9, "sluice.producer", row.pointee.span.producer.rawValue, into: &w)
        writeStringAttribute(9, SluiceConventions.requestID, at: row.pointer(to: \.span.requestID).unsafelyUnwrapped, into: &w)
        row.pointee.span.attributes.withUnsafeBufferPointer { writeAttributes(9, $0, into: &w) }
        w.fixed64(8, UInt64(clamping: row.pointee.span.startNanos + row.pointee.span.durationNanos))
        w.fixed64(7, UInt64(clamping: row.pointee.span.startNanos))
        w.int64(6, Int64(kindNumber(row.pointee.span.kind)))
        w.string(5, at: row.pointer(to: \.span.name).unsafelyUnwrapped)
        w.hexBytes(4, at: row.pointer(to: \.span.parentSpanID).unsafelyUnwrapped)
        w.hexBytes(2, at: row.pointer(to: \.span.spanID).unsafelyUnwrapped)
        w.hexBytes(1, at: row.pointer(to: \.span.traceID).unsafelyUnwrapped)
        w.endMessage(2, mark)
    }

    static func kindNumber(_ kind: SpanKind) -> Int {
        switch kind {
        case .unspecified: 0
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    static func writeScope(_ name: StaticString, into w: inout ProtobufWriter) {
        w.string(2, literal: SluiceVersion.scopeVersion)
        w.string(1, literal: name)
    }

    /// A `KeyValue` in field `field`, its key a literal.
    static func writeAttribute(_ field: Int, _ key: StaticString, _ value: AttributeValue, into w: inout ProtobufWriter) {
        w.scalarPair(field, key: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), keyAlways: true, value: value)
    }

    /// A `KeyValue` with a string value and a literal key, the value not copied.
    static func writeStringAttribute(_ field: Int, _ key: StaticString, _ value: borrowing String, into w: inout ProtobufWriter) {
        w.stringPair(field, literal: key, value)
    }

    /// The same with the value read where it is stored, in a row the caller borrows (see ``StoredUTF8``).
    @inline(__always) static func writeStringAttribute(_ field: Int, _ key: StaticString, at value: UnsafePointer<String>, into w: inout ProtobufWriter) {
        w.stringPair(field, literal: key, at: value)
    }

    /// The same for an optional string: nothing when it is nil.
    @inline(__always) static func writeStringAttribute(_ field: Int, _ key: StaticString, at value: UnsafePointer<String?>, into w: inout ProtobufWriter) {
        w.stringPair(field, literal: key, at: value)
    }

    /// A `KeyValue` for each attribute, read in place (last first, as the writer writes).
    static func writeAttributes(_ field: Int, _ attributes: UnsafeBufferPointer<Attribute>, into w: inout ProtobufWriter) {
        for index in attributes.indices.reversed() {
            w.pair(field, attributeAt: attributes.baseAddress.unsafelyUnwrapped + index)
        }
    }

    /// A `KeyValue` whose value is an array of strings.
    static func writeStrings(_ field: Int, _ key: StaticString, _ values: [String], into w: inout ProtobufWriter) {
        w.message(field) { w in
            w.message(2) { w in
                w.message(5) { w in
                    for value in values.reversed() { w.message(1) { $0.string(1, value, always: true) } }
                }
            }
            w.string(1, literal: key)
        }
    }
}

/// The version written into OTLP scopes.
public enum SluiceVersion {
    public static let current = scopeVersion.description
    /// The same, as the literal the OTLP encoder writes.
    static let scopeVersion: StaticString = "0.3.0"
}

/// Who a group of items is about: one OTLP resource.
struct ResourceKey: Hashable {
    var owner: String
    var logGroup: String
    var function: String
    var logStream: String?

    /// The resource's attributes, last first (as ``ProtobufWriter`` writes).
    func write(into w: inout ProtobufWriter) {
        if let logStream {
            OTLPEncoder.writeStringAttribute(1, "faas.instance", logStream, into: &w)
            OTLPEncoder.writeStrings(1, "aws.log.stream.names", [logStream], into: &w)
        }
        OTLPEncoder.writeStrings(1, "aws.log.group.names", [logGroup], into: &w)
        OTLPEncoder.writeStringAttribute(1, "faas.name", function, into: &w)
        OTLPEncoder.writeStringAttribute(1, "service.name", function, into: &w)
        if !owner.isEmpty { OTLPEncoder.writeStringAttribute(1, "cloud.account.id", owner, into: &w) }
        OTLPEncoder.writeStringAttribute(1, "cloud.platform", "aws_lambda", into: &w)
        OTLPEncoder.writeStringAttribute(1, "cloud.provider", "aws", into: &w)
    }
}
