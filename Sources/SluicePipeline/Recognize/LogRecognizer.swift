/// Reads application and runtime log lines into ``LogRecord``s: the Python and Node.js runtimes' text
/// format, the Python runtime's unhandled-error report, the Lambda JSON log format, Powertools Logger, and
/// plain text.
enum LogRecognizer {
    /// `[LEVEL]\t<time>\t<requestId>\t[dd.trace_id=… dd.span_id=…]\t<message>`
    static func pythonText(_ line: Line, timestamp: Int64, open: String?) -> LogRecord {
        let first = line.tab(from: 0)
        let levelEnd = first.map { $0 - 1 } ?? 1
        var record = LogRecord(timestamp: timestamp, severity: Severity(levelBytes: line.slice(1..<max(1, levelEnd))), body: "", source: .pythonTextLog)
        guard let first, let second = line.tab(from: first + 1), let third = line.tab(from: second + 1) else {
            record.body = line.text(0..<line.trimmedEnd)
            return record
        }
        record.timestamp = Timestamps.epochMilliseconds(iso: line.slice(first + 1..<second)) ?? timestamp
        if third > second + 1 { record.requestID = line.string(second + 1..<third, reusing: open) }
        finishBody(line, from: third + 1, into: &record)
        return record
    }

    /// `<time>\t<requestId>\t<LEVEL>\t<message>` (Node.js runtime; `\r` joins the lines of one record).
    static func nodeText(_ line: Line, timestamp: Int64, open: String?) -> LogRecord {
        var record = LogRecord(timestamp: timestamp, severity: nil, body: "", source: .nodeTextLog)
        guard let first = line.tab(from: 0), let second = line.tab(from: first + 1), let third = line.tab(from: second + 1) else {
            record.body = line.text(0..<line.trimmedEnd)
            return record
        }
        record.timestamp = Timestamps.epochMilliseconds(iso: line.slice(0..<first)) ?? timestamp
        if second > first + 1 { record.requestID = line.string(first + 1..<second, reusing: open) }
        record.severity = Severity(levelBytes: line.slice(second + 1..<third))
        finishBody(line, from: third + 1, into: &record)
        return record
    }

    /// The message from `start`: a Datadog `[dd.trace_id=… dd.span_id=…]` prefix becomes the record's ids,
    /// the rest (without its trailing newline) its body.
    static func finishBody(_ line: Line, from start: Int, into record: inout LogRecord) {
        var bodyStart = start
        let prefix: StaticString = "[dd.trace_id="
        if Bytes(line.slice(start..<line.bytes.count)).hasPrefix(prefix) {
            var close = start
            while close < line.bytes.count && line.bytes[close] != UInt8(ascii: "]") { close += 1 }
            if close < line.bytes.count {
                // Space-separated `key=value` parts, read on the bytes.
                var partStart = start + 1
                while partStart < close {
                    var partEnd = partStart
                    while partEnd < close && line.bytes[partEnd] != 0x20 { partEnd += 1 }
                    let part = Bytes(line.slice(partStart..<partEnd))
                    if part.hasPrefix("dd.trace_id=") {
                        record.traceID = DatadogIDs.traceID(line.slice(partStart + 12..<partEnd))
                    } else if part.hasPrefix("dd.span_id=") {
                        record.spanID = DatadogIDs.spanID(line.slice(partStart + 11..<partEnd))
                    }
                    partStart = partEnd + 1
                }
                bodyStart = close + 1
                if bodyStart < line.bytes.count && (line.bytes[bodyStart] == 0x09 || line.bytes[bodyStart] == 0x20) { bodyStart += 1 }
            }
        }
        record.body = line.text(min(bodyStart, line.trimmedEnd)..<line.trimmedEnd)
    }

    /// `[ERROR] <Type>: <message>\nTraceback …` (lines joined by `\n`, or `\r` without a telemetry fd).
    static func pythonUnhandledError(_ line: Line, timestamp: Int64) -> LogRecord {
        let start = 8  // "[ERROR] "
        var record = LogRecord(timestamp: timestamp, severity: .error, body: line.text(min(start, line.trimmedEnd)..<line.trimmedEnd), source: .pythonUnhandledError)
        record.isUnhandledError = true
        var end = start
        var colon: Int?
        while end < line.bytes.count && line.bytes[end] != 0x0A && line.bytes[end] != 0x0D {
            if colon == nil && line.bytes[end] == UInt8(ascii: ":") { colon = end }
            end += 1
        }
        if let colon {
            var messageStart = colon + 1
            while messageStart < end && line.bytes[messageStart] == 0x20 { messageStart += 1 }
            record.attributes.append(Attribute("exception.type", .string(line.string(start..<colon))))
            record.attributes.append(Attribute("exception.message", .string(line.string(messageStart..<end))))
        }
        return record
    }

    /// Lambda's JSON log format (`timestamp`, `level`, `message` or `errorMessage`, `logger`, `requestId`,
    /// `extra=` keys at the top level; `errorType`, `stackTrace` on errors).
    static func lambdaJSON(_ value: JSONView, timestamp: Int64) -> LogRecord {
        var record = LogRecord(timestamp: Timestamps.epochMilliseconds(iso: value["timestamp"]) ?? timestamp,
                               severity: value["level"]?.withStringBytes(Severity.init(levelBytes:)) ?? nil,
                               body: Text(text(of: value["message"] ?? value["errorMessage"])), source: .lambdaJSONAppLog)
        record.requestID = value["requestId"]?.stringValue
        // The runtime's own report of an unhandled exception has an error type and no message.
        record.isUnhandledError = value["errorType"] != nil && value["message"] == nil
        record.attributes.reserveCapacity(value.members.underestimatedCount)
        for member in value.members {
            switch member.key {
            case "timestamp", "level", "message", "requestId": continue
            case "errorType": record.attributes.append(Attribute("exception.type", .string(text(of: member.value))))
            case "errorMessage": record.attributes.append(Attribute("exception.message", .string(text(of: member.value))))
            case "stackTrace": record.attributes.append(Attribute("exception.stacktrace", .string(stack(member.value))))
            default: record.attributes.append(Attribute(member.key, attribute(member.value)))
            }
        }
        return record
    }

    /// Powertools Logger: `level`, `location`, `message`, `timestamp` (`2026-11-22 01:31:26,048+0000`),
    /// `service`, then the Lambda context keys, appended keys and `xray_trace_id`.
    static func powertools(_ value: JSONView, timestamp: Int64) -> LogRecord {
        // One pass over the members, their keys told apart on bytes: a lookup per field scanned every member
        // again, and a `String` was made of every key. The last of duplicate keys wins, as a lookup answers.
        var time: JSONView?, level: JSONView?, message: JSONView?, requestID: JSONView?, trace: JSONView?
        var attributes: [Attribute] = []
        var members = value.members
        // At most one attribute a member: sized once rather than grown from empty.
        attributes.reserveCapacity(members.underestimatedCount)
        while let (key, member) = members.nextRaw() {
            switch JSONView.withText(value.document, key, PowertoolsField.init(bytes:)) {
            case .timestamp: time = member
            case .level: level = member
            case .message: message = member
            case .requestID: requestID = member
            case .traceID: trace = member
            case .service: attributes.append(Attribute("service.name", attribute(member)))
            case .location: attributes.append(Attribute("code.location", attribute(member)))
            case .exceptionName: attributes.append(Attribute("exception.type", attribute(member)))
            case .exception: attributes.append(Attribute("exception.stacktrace", attribute(member)))
            case nil: attributes.append(Attribute(JSONView.decode(value.document, key), attribute(member)))
            }
        }
        var record = LogRecord(timestamp: Timestamps.epochMilliseconds(iso: time) ?? timestamp,
                               severity: level?.withStringBytes(Severity.init(levelBytes:)) ?? nil,
                               body: Text(text(of: message)), source: .powertoolsLog)
        record.requestID = requestID?.stringValue
        record.traceID = trace?.withStringBytes(TraceIDs.fromXRay) ?? nil
        record.attributes = attributes
        return record
    }

    /// The Powertools Logger keys read into a record's own fields or renamed to OpenTelemetry's names.
    enum PowertoolsField {
        case timestamp, level, message, requestID, traceID, service, location, exceptionName, exception

        init?(bytes: UnsafeBufferPointer<UInt8>) {
            let key = Bytes(bytes)
            switch bytes.count {
            case 5 where key.equals("level"): self = .level
            case 7 where key.equals("message"): self = .message
            case 7 where key.equals("service"): self = .service
            case 8 where key.equals("location"): self = .location
            case 9 where key.equals("timestamp"): self = .timestamp
            case 9 where key.equals("exception"): self = .exception
            case 13 where key.equals("xray_trace_id"): self = .traceID
            case 14 where key.equals("exception_name"): self = .exceptionName
            case 19 where key.equals("function_request_id"): self = .requestID
            default: return nil
            }
        }
    }

    /// A line of plain text: print output, a traceback line, a library warning.
    static func plainText(_ line: Line, timestamp: Int64) -> LogRecord {
        LogRecord(timestamp: timestamp, severity: nil, body: line.text(0..<line.trimmedEnd), source: .plainText)
    }

    static func text(of value: JSONView?) -> String {
        guard let value else { return "" }
        switch value.kind {
        case .string: return value.stringValue ?? ""
        case .null: return ""
        default: return value.rawText
        }
    }

    static func stack(_ value: JSONView) -> String {
        if let lines = value.arrayValue { return lines.map { text(of: $0) }.joined() }
        return text(of: value)
    }

    static func attribute(_ value: JSONView) -> AttributeValue {
        switch value.kind {
        case .string: return .string(value.stringValue ?? "")
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number:
            if value.isInteger, let integer = value.int64Value { return .int(integer) }
            return .double(value.doubleValue ?? .nan)
        default: return .string(text(of: value))
        }
    }

    static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case nil, .null?: return ""
        case let other?:
            var writer = JSONWriter()
            writer.value(other)
            return writer.string
        }
    }

    static func attribute(_ value: JSONValue) -> AttributeValue {
        switch value {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .number(let n): return n.isInteger ? n.int64Value.map(AttributeValue.int) ?? .double(n.doubleValue) : .double(n.doubleValue)
        default: return .string(text(of: value))
        }
    }
}
