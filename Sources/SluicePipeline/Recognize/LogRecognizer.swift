/// Reads application and runtime log lines into ``LogRecord``s: the Python and Node.js runtimes' text
/// format, the Python runtime's unhandled-error report, the Lambda JSON log format, Powertools Logger, and
/// plain text.
enum LogRecognizer {
    /// `[LEVEL]\t<time>\t<requestId>\t[dd.trace_id=… dd.span_id=…]\t<message>`
    static func pythonText(_ text: String, timestamp: Int64) -> LogRecord {
        let parts = text.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        let level = parts[0].dropFirst().dropLast()
        var record = LogRecord(timestamp: parts.count > 1 ? Timestamps.epochMilliseconds(iso: parts[1]) ?? timestamp : timestamp,
                               severity: Severity(level: level), body: "", source: .pythonTextLog)
        if parts.count > 2, !parts[2].isEmpty { record.requestID = String(parts[2]) }
        var body = parts.count > 3 ? parts[3] : ""
        if let (traceID, spanID, rest) = datadogInjection(body) {
            record.traceID = traceID
            record.spanID = spanID
            body = rest
        }
        record.body = String(body.trimmingTrailingNewlines())
        return record
    }

    /// `<time>\t<requestId>\t<LEVEL>\t<message>` (Node.js runtime; `\r` joins the lines of one record).
    static func nodeText(_ text: String, timestamp: Int64) -> LogRecord {
        let parts = text.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        var record = LogRecord(timestamp: Timestamps.epochMilliseconds(iso: parts[0]) ?? timestamp,
                               severity: parts.count > 2 ? Severity(level: parts[2]) : nil, body: "", source: .nodeTextLog)
        if parts.count > 1, !parts[1].isEmpty { record.requestID = String(parts[1]) }
        var body = parts.count > 3 ? parts[3] : ""
        if let (traceID, spanID, rest) = datadogInjection(body) {
            record.traceID = traceID
            record.spanID = spanID
            body = rest
        }
        record.body = String(body.trimmingTrailingNewlines())
        return record
    }

    /// `[dd.trace_id=<32 hex or decimal> dd.span_id=<decimal>]` at the start of `body`, then a tab or space.
    static func datadogInjection(_ body: Substring) -> (String?, String?, Substring)? {
        guard body.hasPrefix("[dd.trace_id="), let close = body.firstIndex(of: "]") else { return nil }
        var traceID: String?
        var spanID: String?
        for part in body[body.index(after: body.startIndex)..<close].split(separator: " ") {
            if part.hasPrefix("dd.trace_id=") { traceID = DatadogIDs.traceID(part.dropFirst("dd.trace_id=".count)) }
            if part.hasPrefix("dd.span_id=") { spanID = DatadogIDs.spanID(part.dropFirst("dd.span_id=".count)) }
        }
        var rest = body[body.index(after: close)...]
        if let first = rest.first, first == "\t" || first == " " { rest = rest.dropFirst() }
        return (traceID, spanID, rest)
    }

    /// `[ERROR] <Type>: <message>\nTraceback …` (lines joined by `\n`, or `\r` without a telemetry fd).
    static func pythonUnhandledError(_ text: String, timestamp: Int64) -> LogRecord {
        let body = text.dropFirst("[ERROR] ".count)
        let firstLine = body.prefix(while: { $0 != "\n" && $0 != "\r" })
        var record = LogRecord(timestamp: timestamp, severity: .error, body: String(body.trimmingTrailingNewlines()), source: .pythonUnhandledError)
        record.isUnhandledError = true
        if let colon = firstLine.firstIndex(of: ":") {
            record.attributes.append(Attribute("exception.type", .string(String(firstLine[..<colon]))))
            record.attributes.append(Attribute("exception.message", .string(String(firstLine[firstLine.index(after: colon)...].drop(while: { $0 == " " })))))
        }
        return record
    }

    /// Lambda's JSON log format (`timestamp`, `level`, `message` or `errorMessage`, `logger`, `requestId`,
    /// `extra=` keys at the top level; `errorType`, `stackTrace` on errors).
    static func lambdaJSON(_ value: JSONValue, timestamp: Int64) -> LogRecord {
        var record = LogRecord(timestamp: value["timestamp"]?.stringValue.flatMap { Timestamps.epochMilliseconds(iso: $0) } ?? timestamp,
                               severity: value["level"]?.stringValue.flatMap { Severity(level: $0) },
                               body: text(of: value["message"] ?? value["errorMessage"]), source: .lambdaJSONAppLog)
        record.requestID = value["requestId"]?.stringValue
        // The runtime's own report of an unhandled exception has an error type and no message.
        record.isUnhandledError = value["errorType"] != nil && value["message"] == nil
        for member in value.objectValue ?? [] {
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
    static func powertools(_ value: JSONValue, timestamp: Int64) -> LogRecord {
        var record = LogRecord(timestamp: value["timestamp"]?.stringValue.flatMap { Timestamps.epochMilliseconds(iso: $0) } ?? timestamp,
                               severity: value["level"]?.stringValue.flatMap { Severity(level: $0) },
                               body: text(of: value["message"]), source: .powertoolsLog)
        record.requestID = value["function_request_id"]?.stringValue
        record.traceID = value["xray_trace_id"]?.stringValue.flatMap(TraceIDs.fromXRay)
        for member in value.objectValue ?? [] {
            switch member.key {
            case "level", "message", "timestamp", "function_request_id", "xray_trace_id": continue
            case "service": record.attributes.append(Attribute("service.name", attribute(member.value)))
            case "location": record.attributes.append(Attribute("code.location", attribute(member.value)))
            case "exception_name": record.attributes.append(Attribute("exception.type", attribute(member.value)))
            case "exception": record.attributes.append(Attribute("exception.stacktrace", attribute(member.value)))
            default: record.attributes.append(Attribute(member.key, attribute(member.value)))
            }
        }
        return record
    }

    /// A line of plain text: print output, a traceback line, a library warning.
    static func plainText(_ text: String, timestamp: Int64) -> LogRecord {
        LogRecord(timestamp: timestamp, severity: nil, body: String(text.trimmingTrailingNewlines()), source: .plainText)
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

    static func stack(_ value: JSONValue) -> String {
        if case .array(let lines) = value { return lines.map { text(of: $0) }.joined() }
        return text(of: value)
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

/// Datadog's ids: 64-bit decimal span ids, trace ids as 32 hex digits or as a 64-bit decimal.
enum DatadogIDs {
    static func traceID(_ text: some StringProtocol) -> String? {
        if text.count == 32, text.allSatisfy({ $0.isHexDigit }) { return text == String(repeating: "0", count: 32) ? nil : text.lowercased() }
        guard let value = UInt64(text), value != 0 else { return nil }
        return String(repeating: "0", count: 16) + hex16(value)
    }

    static func spanID(_ text: some StringProtocol) -> String? {
        guard let value = UInt64(text), value != 0 else { return nil }
        return hex16(value)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
