/// The little the detection table asks of a message that is JSON: for an object, which of the keys it
/// tests are there (and a few values); for an array, whether it is a Thundra span array.
enum JSONShape {
    case object(ObjectShape)
    case thundraArray
    case emptyArray
    case otherArray

    static let thundraTypes: Set<String> = ["Composite", "Invocation", "Span", "Metric", "Log", "Trace"]

    /// Reads `message` if it is one JSON object or array (after trimming whitespace, as `str.strip()`
    /// would); nil when it is not JSON at all. Arrays are tried only when they start `[{` or `[1`.
    static func read(_ message: UnsafeBufferPointer<UInt8>) -> JSONShape? {
        var start = 0
        var end = message.count
        while start < end, isStripped(message[start]) { start += 1 }
        while end > start, isStripped(message[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        let first = message[start]
        if first == UInt8(ascii: "[") {
            guard end - start > 1, message[start + 1] == UInt8(ascii: "{") || message[start + 1] == UInt8(ascii: "1") else { return nil }
        } else if first != UInt8(ascii: "{") {
            return nil
        }
        let trimmed = UnsafeBufferPointer(rebasing: message[start..<end])
        var reader = JSONReader(trimmed, maxDepth: 512)
        do {
            let shape: JSONShape
            if first == UInt8(ascii: "{") {
                shape = .object(try ObjectShape.read(&reader))
            } else {
                shape = try readArray(&reader)
            }
            reader.skipWhitespace()
            return reader.isAtEnd ? shape : nil
        } catch {
            return nil
        }
    }

    /// Python's `str.strip()` for the bytes a log line can end or start with.
    static func isStripped(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)
    }

    static func readArray(_ reader: inout JSONReader) throws -> JSONShape {
        try reader.beginArray()
        var first = true
        var count = 0
        var allThundra = true
        while try reader.nextElement(&first) {
            count += 1
            if allThundra && reader.peek() == UInt8(ascii: "{") {
                let element = try ObjectShape.read(&reader)
                allThundra = element.hasDataModelVersion && element.type.map { thundraTypes.contains($0) } == true
            } else {
                allThundra = false
                try reader.skipValue()
            }
        }
        if count == 0 { return .emptyArray }
        return allThundra ? .thundraArray : .otherArray
    }
}

/// The top-level keys of a JSON object that the detection table tests.
struct ObjectShape {
    var type: String?
    var keys: Set<Key> = []
    /// Whether a key outside {m, v, e, t} / outside {traces} is present.
    var hasKeyOtherThanMVET = false
    var hasKeyOtherThanTraces = false
    var awsIsEMF = false
    var contextHasTraceID = false

    enum Key: Hashable {
        case time, record, dataModelVersion, traces, m, v, e, t, aws, level, location, message, timestamp, service
        case requestId, errorMessage, resourceSpans, name, context, body, severityNumber, resourceMetrics
    }

    var hasDataModelVersion: Bool { keys.contains(.dataModelVersion) }

    static let names: [(StaticString, Key)] = [
        ("time", .time), ("record", .record), ("dataModelVersion", .dataModelVersion), ("traces", .traces), ("m", .m), ("v", .v),
        ("e", .e), ("t", .t), ("_aws", .aws), ("level", .level), ("location", .location), ("message", .message),
        ("timestamp", .timestamp), ("service", .service), ("requestId", .requestId), ("errorMessage", .errorMessage),
        ("resourceSpans", .resourceSpans), ("name", .name), ("context", .context), ("body", .body),
        ("severity_number", .severityNumber), ("resource_metrics", .resourceMetrics),
    ]

    static func read(_ reader: inout JSONReader) throws -> ObjectShape {
        var shape = ObjectShape()
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            if reader.keyEquals("type") {
                shape.hasKeyOtherThanMVET = true
                shape.hasKeyOtherThanTraces = true
                shape.type = reader.peek() == UInt8(ascii: "\"") ? try reader.readString() : nil
                if shape.type == nil { try reader.skipValue() }
                continue
            }
            var key: Key?
            for (name, k) in names where reader.keyEquals(name) {
                key = k
                break
            }
            if key != .m && key != .v && key != .e && key != .t { shape.hasKeyOtherThanMVET = true }
            if key != .traces { shape.hasKeyOtherThanTraces = true }
            guard let key else {
                try reader.skipValue()
                continue
            }
            shape.keys.insert(key)
            switch key {
            case .aws:
                shape.awsIsEMF = try readAWS(&reader)
            case .context:
                shape.contextHasTraceID = try objectHasKey(&reader, "trace_id")
            default:
                try reader.skipValue()
            }
        }
        return shape
    }

    /// `_aws` is an object whose `CloudWatchMetrics` is an array and which has `Timestamp`.
    static func readAWS(_ reader: inout JSONReader) throws -> Bool {
        guard reader.peek() == UInt8(ascii: "{") else {
            try reader.skipValue()
            return false
        }
        try reader.beginObject()
        var first = true
        var metricsIsArray = false
        var hasTimestamp = false
        while try reader.nextKey(&first) {
            if reader.keyEquals("CloudWatchMetrics") {
                metricsIsArray = reader.peek() == UInt8(ascii: "[")
            } else if reader.keyEquals("Timestamp") {
                hasTimestamp = true
            }
            try reader.skipValue()
        }
        return metricsIsArray && hasTimestamp
    }

    static func objectHasKey(_ reader: inout JSONReader, _ name: StaticString) throws -> Bool {
        guard reader.peek() == UInt8(ascii: "{") else {
            try reader.skipValue()
            return false
        }
        try reader.beginObject()
        var first = true
        var found = false
        while try reader.nextKey(&first) {
            if reader.keyEquals(name) { found = true }
            try reader.skipValue()
        }
        return found
    }

    /// The class of a JSON object message, by the table's rules 4 to 12.
    var recordClass: RecordClass {
        if let type, type.hasPrefix("platform."), keys.contains(.time), keys.contains(.record) { return .platformJSON }
        if hasDataModelVersion, let type, JSONShape.thundraTypes.contains(type) {
            return RecordClass(rawValue: "thundra." + type) ?? .otherJSON
        }
        if keys == [.traces] && !hasKeyOtherThanTraces { return .datadogTraces }
        if keys == [.m, .v, .e, .t] && !hasKeyOtherThanMVET { return .datadogMetric }
        if awsIsEMF { return .emf }
        if keys.isSuperset(of: [.level, .location, .message, .timestamp, .service]) { return .powertoolsLog }
        if keys.isSuperset(of: [.timestamp, .level, .requestId]) && (keys.contains(.message) || keys.contains(.errorMessage)) {
            return .lambdaJSONAppLog
        }
        if keys.contains(.resourceSpans) { return .otlpJSON }
        if keys.contains(.name) && contextHasTraceID { return .otelConsoleSpan }
        if keys.contains(.body) && keys.contains(.severityNumber) { return .otelConsoleLog }
        if keys.contains(.resourceMetrics) { return .otelConsoleMetrics }
        return .otherJSON
    }
}
