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
        guard let trimmed = candidate(message) else { return nil }
        let first = trimmed[0]
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

    /// The shape of a message already parsed into a tape (the same answers as ``read(_:)``).
    static func read(view: JSONView) -> JSONShape {
        if view.kind == .array {
            var isEmpty = true
            var allThundra = true
            for element in view.elements {
                isEmpty = false
                let shape = element.kind == .object ? ObjectShape.read(view: element) : nil
                guard let shape, shape.hasDataModelVersion, shape.type.map({ thundraTypes.contains($0) }) == true else {
                    allThundra = false
                    break
                }
            }
            if isEmpty { return .emptyArray }
            return allThundra ? .thundraArray : .otherArray
        }
        return .object(ObjectShape.read(view: view))
    }

    /// The bytes of `message` that could be one JSON document, trimmed as `str.strip()` would; nil
    /// when the table would not try JSON at all.
    static func candidate(_ message: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
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
        return UnsafeBufferPointer(rebasing: message[start..<end])
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
    var keys = Keys()
    /// Whether a key outside {m, v, e, t} / outside {traces} is present.
    var hasKeyOtherThanMVET = false
    var hasKeyOtherThanTraces = false
    var awsIsEMF = false
    var contextHasTraceID = false

    /// The keys the table tests, as bits.
    struct Keys: OptionSet, Hashable {
        let rawValue: UInt32
        static let time = Keys(rawValue: 1 << 0)
        static let record = Keys(rawValue: 1 << 1)
        static let dataModelVersion = Keys(rawValue: 1 << 2)
        static let traces = Keys(rawValue: 1 << 3)
        static let m = Keys(rawValue: 1 << 4)
        static let v = Keys(rawValue: 1 << 5)
        static let e = Keys(rawValue: 1 << 6)
        static let t = Keys(rawValue: 1 << 7)
        static let aws = Keys(rawValue: 1 << 8)
        static let level = Keys(rawValue: 1 << 9)
        static let location = Keys(rawValue: 1 << 10)
        static let message = Keys(rawValue: 1 << 11)
        static let timestamp = Keys(rawValue: 1 << 12)
        static let service = Keys(rawValue: 1 << 13)
        static let requestId = Keys(rawValue: 1 << 14)
        static let errorMessage = Keys(rawValue: 1 << 15)
        static let resourceSpans = Keys(rawValue: 1 << 16)
        static let name = Keys(rawValue: 1 << 17)
        static let context = Keys(rawValue: 1 << 18)
        static let body = Keys(rawValue: 1 << 19)
        static let severityNumber = Keys(rawValue: 1 << 20)
        static let resourceMetrics = Keys(rawValue: 1 << 21)
        static let type = Keys(rawValue: 1 << 22)
        static let mvet: Keys = [.m, .v, .e, .t]
    }

    var hasDataModelVersion: Bool { keys.contains(.dataModelVersion) }

    /// The current key of `reader` as one of ``Keys``, or empty for any other key. Dispatches on length
    /// first, so most keys are told apart without comparing their bytes.
    static func key(_ reader: JSONReader) -> Keys {
        key(length: reader.currentKeyLength) { reader.keyEquals($0) }
    }

    /// The same for a key's raw bytes.
    static func key(bytes: UnsafeBufferPointer<UInt8>) -> Keys {
        key(length: bytes.count) { Bytes(bytes).equals($0) }
    }

    @inline(__always)
    static func key(length: Int, _ equals: (StaticString) -> Bool) -> Keys {
        switch length {
        case 1:
            if equals("m") { return .m }
            if equals("v") { return .v }
            if equals("e") { return .e }
            if equals("t") { return .t }
        case 4:
            if equals("type") { return .type }
            if equals("time") { return .time }
            if equals("_aws") { return .aws }
            if equals("name") { return .name }
            if equals("body") { return .body }
        case 5:
            if equals("level") { return .level }
        case 6:
            if equals("record") { return .record }
            if equals("traces") { return .traces }
        case 7:
            if equals("message") { return .message }
            if equals("service") { return .service }
            if equals("context") { return .context }
        case 8:
            if equals("location") { return .location }
        case 9:
            if equals("timestamp") { return .timestamp }
            if equals("requestId") { return .requestId }
        case 12:
            if equals("errorMessage") { return .errorMessage }
        case 13:
            if equals("resourceSpans") { return .resourceSpans }
        case 15:
            if equals("severity_number") { return .severityNumber }
        case 16:
            if equals("dataModelVersion") { return .dataModelVersion }
            if equals("resource_metrics") { return .resourceMetrics }
        default:
            break
        }
        return []
    }

    static func read(_ reader: inout JSONReader) throws -> ObjectShape {
        var shape = ObjectShape()
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            let key = key(reader)
            if !Keys.mvet.contains(key) || key.isEmpty { shape.hasKeyOtherThanMVET = true }
            if key != .traces { shape.hasKeyOtherThanTraces = true }
            shape.keys.insert(key)
            switch key {
            case .type:
                if reader.peek() == UInt8(ascii: "\"") {
                    shape.type = try reader.readString()
                } else {
                    shape.type = nil
                    try reader.skipValue()
                }
            case .aws:
                shape.awsIsEMF = try readAWS(&reader)
            case .context:
                shape.contextHasTraceID = try objectHasKey(&reader, "trace_id")
            default:
                try reader.skipValue()
            }
        }
        shape.keys.remove(.type)
        return shape
    }

    /// The shape of an object already parsed into a tape.
    static func read(view: JSONView) -> ObjectShape {
        var shape = ObjectShape()
        var members = view.members
        while let (keyEntry, value) = members.nextRaw() {
            let key: Keys
            if keyEntry.needsDecoding {
                var decoded = JSONView.decode(view.document, keyEntry)
                key = decoded.withUTF8 { Self.key(bytes: $0) }
            } else {
                key = Self.key(bytes: UnsafeBufferPointer(rebasing: view.document[Int(keyEntry.start)..<Int(keyEntry.end)]))
            }
            if !Keys.mvet.contains(key) || key.isEmpty { shape.hasKeyOtherThanMVET = true }
            if key != .traces { shape.hasKeyOtherThanTraces = true }
            shape.keys.insert(key)
            switch key {
            case .type:
                shape.type = value.stringValue
            case .aws:
                shape.awsIsEMF = value.kind == .object && value["CloudWatchMetrics"]?.kind == .array && value["Timestamp"] != nil
            case .context:
                shape.contextHasTraceID = value["trace_id"] != nil
            default:
                break
            }
        }
        shape.keys.remove(.type)
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
        if keys == .traces && !hasKeyOtherThanTraces { return .datadogTraces }
        if keys == .mvet && !hasKeyOtherThanMVET { return .datadogMetric }
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
