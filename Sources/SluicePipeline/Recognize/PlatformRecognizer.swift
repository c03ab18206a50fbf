/// Reads the Lambda platform's lines: the text format (`START`, `END`, `REPORT`, `INIT_START`,
/// `INIT_REPORT`, timeouts, crashes) and the JSON format (`platform.*` records).
enum PlatformRecognizer {
    // MARK: Text format

    static func recognizeText(_ text: String, timestamp: Int64) -> RecognizedRecord? {
        if text.hasPrefix("REPORT RequestId: ") { return report(text, timestamp: timestamp).map(RecognizedRecord.report) }
        if text.hasPrefix("START RequestId: ") {
            let fields = labelledFields(text)
            return .platform(PlatformEvent(kind: .start(version: fields["Version"]), requestID: fields["RequestId"], timestamp: timestamp))
        }
        if text.hasPrefix("END RequestId: ") {
            return .platform(PlatformEvent(kind: .end(status: nil), requestID: labelledFields(text)["RequestId"], timestamp: timestamp))
        }
        if text.hasPrefix("INIT_START ") {
            let fields = labelledFields(text)
            return .platform(PlatformEvent(kind: .initStart(runtimeVersion: fields["Runtime Version"], runtimeVersionARN: fields["Runtime Version ARN"]),
                                           requestID: nil, timestamp: timestamp))
        }
        if text.hasPrefix("INIT_REPORT ") {
            let fields = labelledFields(text)
            return .platform(PlatformEvent(kind: .initReport(durationMs: fields["Init Duration"].flatMap(number), status: fields["Status"]),
                                           requestID: nil, timestamp: timestamp))
        }
        if text.hasPrefix("RESTORE_START ") {
            let fields = labelledFields(text)
            return .platform(PlatformEvent(kind: .restoreStart(runtimeVersion: fields["Runtime Version"], runtimeVersionARN: fields["Runtime Version ARN"]),
                                           requestID: nil, timestamp: timestamp))
        }
        if text.hasPrefix("RESTORE_REPORT ") {
            let fields = labelledFields(text)
            return .platform(PlatformEvent(kind: .restoreReport(durationMs: fields["Restore Duration"].flatMap(number), status: fields["Status"]),
                                           requestID: nil, timestamp: timestamp))
        }
        return nil
    }

    /// `Task timed out`, `Runtime exited with error`, `RequestId: … Error: …` lines.
    static func recognizeError(_ text: String, timestamp: Int64) -> RecognizedRecord? {
        if let offset = text.utf8Offset(of: "Task timed out after ") {
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: offset)
            let upper = utf8.index(lower, offsetBy: "Task timed out after ".utf8.count)
            let seconds = number(text[upper...].prefix(while: { $0 != " " }))
            var requestID: String?
            let head = text[..<lower].split(separator: " ")
            if head.count == 2 { requestID = String(head[1]) }
            return .platform(PlatformEvent(kind: .timeout(afterSeconds: seconds ?? 0), requestID: requestID, timestamp: timestamp))
        }
        var requestID: String?
        var reason = Substring(text)
        if text.hasPrefix("RequestId: ") {
            let rest = text.dropFirst("RequestId: ".count)
            let id = rest.prefix(while: { $0 != " " })
            requestID = String(id)
            reason = rest.dropFirst(id.count + 1)
            if reason.hasPrefix("Error: ") { reason = reason.dropFirst("Error: ".count) }
        }
        let trimmed = reason.trimmingTrailingNewlines()
        let outOfMemory = RuntimeMessages.mentionsOutOfMemory(trimmed)
        return .platform(PlatformEvent(kind: .crash(reason: String(trimmed), outOfMemory: outOfMemory), requestID: requestID, timestamp: timestamp))
    }

    /// `REPORT RequestId: <id>\tDuration: 619.31 ms\tBilled Duration: 700 ms\t…`, tab- or space-separated,
    /// with the `XRAY TraceId:` suffix in the same event.
    static func report(_ text: String, timestamp: Int64) -> InvocationReport? {
        let fields = labelledFields(text)
        guard let requestID = fields["RequestId"], let duration = fields["Duration"].flatMap(number) else { return nil }
        var report = InvocationReport(requestID: requestID, timestamp: timestamp, durationMs: duration)
        report.billedDurationMs = fields["Billed Duration"].flatMap(number)
        report.memorySizeMB = fields["Memory Size"].flatMap(number).map { Int($0) }
        report.maxMemoryUsedMB = fields["Max Memory Used"].flatMap(number).map { Int($0) }
        report.initDurationMs = fields["Init Duration"].flatMap(number)
        report.restoreDurationMs = fields["Restore Duration"].flatMap(number)
        report.billedRestoreDurationMs = fields["Billed Restore Duration"].flatMap(number)
        if let status = fields["Status"] { report.status = InvocationStatus(rawValue: status.lowercased()) ?? .failure }
        report.errorType = fields["Error Type"]
        report.traceID = fields["XRAY TraceId"].flatMap(TraceIDs.fromXRay)
        report.segmentID = fields["SegmentId"]
        report.sampled = fields["Sampled"].map { $0 == "true" }
        return report
    }

    /// The `Label: value` pairs of a platform line, read in one pass over its bytes. After the leading
    /// keyword (`REPORT`, `START`, ...), fields follow one another separated by tabs, newlines or spaces
    /// (all three appear in the wild): a label runs to `": "`, a value is one token, with its unit
    /// (`ms`, `MB`) when one follows.
    static func labelledFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        var utf8 = Array(text.utf8)
        utf8.append(0)  // a sentinel: every look-ahead below stops at it
        let n = utf8.count - 1
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        var i = 0
        while i < n && !isSpace(utf8[i]) { i += 1 }  // the keyword
        while i < n {
            while i < n && isSpace(utf8[i]) { i += 1 }
            let labelStart = i
            // The label: up to ": " (it may hold single spaces: "Billed Duration").
            while i < n && !(utf8[i] == 0x3A && utf8[i + 1] == 0x20) && utf8[i] != 0x09 && utf8[i] != 0x0A { i += 1 }
            guard i < n, utf8[i] == 0x3A else { continue }
            let label = String(decoding: utf8[labelStart..<i], as: UTF8.self)
            i += 2
            let valueStart = i
            while i < n && !isSpace(utf8[i]) { i += 1 }
            var valueEnd = i
            // A unit after a single space belongs to the value.
            if utf8[i] == 0x20 && i + 3 <= n {
                let u0 = utf8[i + 1], u1 = utf8[i + 2]
                if (u0 == UInt8(ascii: "m") && u1 == UInt8(ascii: "s")) || (u0 == UInt8(ascii: "M") && u1 == UInt8(ascii: "B")) {
                    if i + 3 == n || isSpace(utf8[i + 3]) {
                        valueEnd = i + 3
                        i += 3
                    }
                }
            }
            fields[label] = String(decoding: utf8[valueStart..<valueEnd], as: UTF8.self)
        }
        return fields
    }

    /// `619.31 ms`, `128 MB`, `3.00` → the number.
    static func number(_ text: some StringProtocol) -> Double? {
        Double(text.prefix(while: { $0.isNumber || $0 == "." || $0 == "-" }))
    }

    // MARK: JSON format

    /// A `{"time","type":"platform.*","record":{…}}` record.
    static func recognizeJSON(_ value: JSONView, timestamp eventTimestamp: Int64) -> RecognizedRecord? {
        guard let type = value["type"]?.stringValue, let record = value["record"] else { return nil }
        let timestamp = value["time"]?.stringValue.flatMap { Timestamps.epochMilliseconds(iso: $0) } ?? eventTimestamp
        let requestID = record["requestId"]?.stringValue
        switch type {
        case "platform.report":
            guard let requestID else { return nil }
            let metrics = record["metrics"]
            var report = InvocationReport(requestID: requestID, timestamp: timestamp, durationMs: metrics?["durationMs"]?.doubleValue ?? 0)
            report.billedDurationMs = metrics?["billedDurationMs"]?.doubleValue
            report.memorySizeMB = metrics?["memorySizeMB"]?.doubleValue.map { Int($0) }
            report.maxMemoryUsedMB = metrics?["maxMemoryUsedMB"]?.doubleValue.map { Int($0) }
            report.initDurationMs = metrics?["initDurationMs"]?.doubleValue
            report.restoreDurationMs = metrics?["restoreDurationMs"]?.doubleValue
            report.billedRestoreDurationMs = metrics?["billedRestoreDurationMs"]?.doubleValue
            report.status = record["status"]?.stringValue.flatMap(InvocationStatus.init(rawValue:)) ?? .success
            report.errorType = record["errorType"]?.stringValue
            if let tracing = record["tracing"]?["value"]?.stringValue {
                report.traceID = TraceIDs.fromTraceHeader(tracing)
                report.sampled = tracing.contains("Sampled=1")
            }
            report.segmentID = record["tracing"]?["spanId"]?.stringValue
            return .report(report)
        case "platform.start":
            return .platform(PlatformEvent(kind: .start(version: record["version"]?.stringValue), requestID: requestID, timestamp: timestamp))
        case "platform.runtimeDone":
            return .platform(PlatformEvent(kind: .end(status: record["status"]?.stringValue.flatMap(InvocationStatus.init(rawValue:))),
                                           requestID: requestID, timestamp: timestamp))
        case "platform.initStart":
            return .platform(PlatformEvent(kind: .initStart(runtimeVersion: record["runtimeVersion"]?.stringValue,
                                                            runtimeVersionARN: record["runtimeVersionArn"]?.stringValue),
                                           requestID: nil, timestamp: timestamp))
        case "platform.restoreStart":
            return .platform(PlatformEvent(kind: .restoreStart(runtimeVersion: record["runtimeVersion"]?.stringValue,
                                                               runtimeVersionARN: record["runtimeVersionArn"]?.stringValue),
                                           requestID: nil, timestamp: timestamp))
        case "platform.restoreReport", "platform.restoreRuntimeDone":
            return .platform(PlatformEvent(kind: .restoreReport(durationMs: record["metrics"]?["durationMs"]?.doubleValue, status: record["status"]?.stringValue),
                                           requestID: nil, timestamp: timestamp))
        case "platform.initReport", "platform.initRuntimeDone":
            return .platform(PlatformEvent(kind: .initReport(durationMs: record["metrics"]?["durationMs"]?.doubleValue, status: record["status"]?.stringValue),
                                           requestID: nil, timestamp: timestamp))
        default:
            return nil
        }
    }
}

/// Out-of-memory messages of the language runtimes.
enum RuntimeMessages {
    static let outOfMemory: [StaticString] = [
        "fatal error: runtime: out of memory", "java.lang.OutOfMemoryError", "JavaScript heap out of memory", "MemoryError",
        "failed to allocate memory (NoMemoryError)", "Runtime.OutOfMemory",
    ]

    static func mentionsOutOfMemory(_ text: Substring) -> Bool {
        outOfMemory.contains { text.utf8Offset(of: $0) != nil }
    }
}

extension StringProtocol {
    /// The UTF-8 offset of the first occurrence of `needle`, compared as bytes: `firstRange(of:)` compares
    /// characters, and cost more than the rest of recognising the line.
    func utf8Offset(of needle: StaticString) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return 0 }
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: n)
        // Storage that is not contiguous UTF-8 (bridged or lazily made) is searched in a copy.
        return utf8.withContiguousStorageIfAvailable { Self.offset(of: pattern, in: $0) }
            ?? Array(utf8).withUnsafeBufferPointer { Self.offset(of: pattern, in: $0) }
    }

    private static func offset(of pattern: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard hay.count >= pattern.count else { return nil }
        for i in 0...(hay.count - pattern.count)
        where hay[i] == pattern[0] && UnsafeBufferPointer(rebasing: hay[i..<(i + pattern.count)]).elementsEqual(pattern) {
            return i
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingTrailingNewlines() -> SubSequence {
        var s = self[...]
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return s
    }
}
