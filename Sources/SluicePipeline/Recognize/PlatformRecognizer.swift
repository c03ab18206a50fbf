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
        return nil
    }

    /// `Task timed out`, `Runtime exited with error`, `RequestId: … Error: …` lines.
    static func recognizeError(_ text: String, timestamp: Int64) -> RecognizedRecord? {
        if let range = text.firstRange(of: "Task timed out after ") {
            let seconds = number(text[range.upperBound...].prefix(while: { $0 != " " }))
            var requestID: String?
            let head = text[..<range.lowerBound].split(separator: " ")
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
        let outOfMemory = trimmed.contains("Runtime.OutOfMemory") || RuntimeMessages.mentionsOutOfMemory(trimmed)
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

    static let labels: [String] = [
        "XRAY TraceId", "SegmentId", "Sampled", "Billed Restore Duration", "Restore Duration", "Billed Duration", "Init Duration",
        "Max Memory Used", "Memory Size", "Duration", "Status", "Error Type", "RequestId", "Version", "Runtime Version ARN",
        "Runtime Version", "Phase",
    ]

    /// The `Label: value` pairs of a platform line. Fields are separated by tabs, newlines or runs of
    /// spaces (both appear in the wild); labels are matched longest first, so `Duration` is never taken
    /// from `Billed Duration`.
    static func labelledFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        // Positions of every "Label: " that starts the line or follows a separator.
        var found: [(start: String.Index, valueStart: String.Index, label: String)] = []
        var taken: [Range<String.Index>] = []
        for label in labels {
            var searchFrom = text.startIndex
            while let range = text[searchFrom...].firstRange(of: label + ": ") {
                searchFrom = range.upperBound
                if taken.contains(where: { $0.overlaps(range) }) { continue }
                if range.lowerBound != text.startIndex {
                    let before = text[text.index(before: range.lowerBound)]
                    guard before == "\t" || before == "\n" || before == " " else { continue }
                }
                taken.append(range)
                found.append((range.lowerBound, range.upperBound, label))
            }
        }
        found.sort { $0.start < $1.start }
        for (index, field) in found.enumerated() {
            let end = index + 1 < found.count ? found[index + 1].start : text.endIndex
            var value = text[field.valueStart..<end]
            while let last = value.last, last == "\t" || last == "\n" || last == " " || last == "\r" { value = value.dropLast() }
            fields[field.label] = String(value)
        }
        return fields
    }

    /// `619.31 ms`, `128 MB`, `3.00` → the number.
    static func number(_ text: some StringProtocol) -> Double? {
        Double(text.prefix(while: { $0.isNumber || $0 == "." || $0 == "-" }))
    }

    // MARK: JSON format

    /// A `{"time","type":"platform.*","record":{…}}` record.
    static func recognizeJSON(_ value: JSONValue, timestamp eventTimestamp: Int64) -> RecognizedRecord? {
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
    static let outOfMemory: [String] = [
        "fatal error: runtime: out of memory", "java.lang.OutOfMemoryError", "JavaScript heap out of memory", "MemoryError",
        "failed to allocate memory (NoMemoryError)", "Runtime.OutOfMemory",
    ]

    static func mentionsOutOfMemory(_ text: some StringProtocol) -> Bool {
        outOfMemory.contains { text.firstRange(of: $0) != nil }
    }
}

extension StringProtocol {
    func trimmingTrailingNewlines() -> SubSequence {
        var s = self[...]
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return s
    }
}
