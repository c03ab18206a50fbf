/// Reads the Lambda platform's lines: the text format (`START`, `END`, `REPORT`, `INIT_START`,
/// `INIT_REPORT`, timeouts, crashes) and the JSON format (`platform.*` records).
enum PlatformRecognizer {
    // MARK: Text format

    static func recognizeText(_ bytes: UnsafeBufferPointer<UInt8>, timestamp: Int64) -> RecognizedRecord? {
        let line = Bytes(bytes)
        if line.hasPrefix("REPORT RequestId: ") { return report(bytes, timestamp: timestamp).map(RecognizedRecord.report) }
        if line.hasPrefix("START RequestId: ") {
            let fields = LabelledFields(bytes)
            return .platform(PlatformEvent(kind: .start(version: fields.string("Version")), requestID: fields.string("RequestId"), timestamp: timestamp))
        }
        if line.hasPrefix("END RequestId: ") {
            return .platform(PlatformEvent(kind: .end(status: nil), requestID: LabelledFields(bytes).string("RequestId"), timestamp: timestamp))
        }
        if line.hasPrefix("INIT_START ") {
            let fields = LabelledFields(bytes)
            return .platform(PlatformEvent(kind: .initStart(runtimeVersion: fields.string("Runtime Version"), runtimeVersionARN: fields.string("Runtime Version ARN")),
                                           requestID: nil, timestamp: timestamp))
        }
        if line.hasPrefix("INIT_REPORT ") {
            let fields = LabelledFields(bytes)
            return .platform(PlatformEvent(kind: .initReport(durationMs: RecordBounds.duration(milliseconds: fields.number("Init Duration")), status: fields.string("Status")),
                                           requestID: nil, timestamp: timestamp))
        }
        if line.hasPrefix("RESTORE_START ") {
            let fields = LabelledFields(bytes)
            return .platform(PlatformEvent(kind: .restoreStart(runtimeVersion: fields.string("Runtime Version"), runtimeVersionARN: fields.string("Runtime Version ARN")),
                                           requestID: nil, timestamp: timestamp))
        }
        if line.hasPrefix("RESTORE_REPORT ") {
            let fields = LabelledFields(bytes)
            return .platform(PlatformEvent(kind: .restoreReport(durationMs: RecordBounds.duration(milliseconds: fields.number("Restore Duration")), status: fields.string("Status")),
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
        var text = text
        return text.withUTF8 { report($0, timestamp: timestamp) }
    }

    static func report(_ bytes: UnsafeBufferPointer<UInt8>, timestamp: Int64) -> InvocationReport? {
        let fields = LabelledFields(bytes)
        guard let requestID = fields.string("RequestId"), let duration = RecordBounds.duration(milliseconds: fields.number("Duration")) else { return nil }
        var report = InvocationReport(requestID: requestID, timestamp: timestamp, durationMs: duration)
        report.billedDurationMs = RecordBounds.duration(milliseconds: fields.number("Billed Duration"))
        report.memorySizeMB = RecordBounds.megabytes(fields.number("Memory Size"))
        report.maxMemoryUsedMB = RecordBounds.megabytes(fields.number("Max Memory Used"))
        report.initDurationMs = RecordBounds.duration(milliseconds: fields.number("Init Duration"))
        report.restoreDurationMs = RecordBounds.duration(milliseconds: fields.number("Restore Duration"))
        report.billedRestoreDurationMs = RecordBounds.duration(milliseconds: fields.number("Billed Restore Duration"))
        if let status = fields.string("Status") { report.status = InvocationStatus(rawValue: status.lowercased()) ?? .failure }
        report.errorType = fields.string("Error Type")
        report.traceID = fields.value("XRAY TraceId").flatMap(TraceIDs.fromXRay)
        report.segmentID = fields.string("SegmentId")
        report.sampled = fields.value("Sampled").map { Bytes($0).equals("true") }
        return report
    }

    /// `3.00` (seconds of a timeout): the number the text starts with.
    static func number(_ text: some StringProtocol) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { LabelledFields.number($0) }
    }

    // MARK: JSON format

    /// A `{"time","type":"platform.*","record":{…}}` record.
    static func recognizeJSON(_ value: JSONView, timestamp eventTimestamp: Int64) -> RecognizedRecord? {
        guard let type = value["type"]?.stringValue, let record = value["record"] else { return nil }
        let timestamp = Timestamps.epochMilliseconds(iso: value["time"]) ?? eventTimestamp
        let requestID = record["requestId"]?.stringValue
        switch type {
        case "platform.report":
            guard let requestID else { return nil }
            let metrics = record["metrics"]
            var report = InvocationReport(requestID: requestID, timestamp: timestamp, durationMs: RecordBounds.duration(milliseconds: metrics?["durationMs"]?.doubleValue) ?? 0)
            report.billedDurationMs = RecordBounds.duration(milliseconds: metrics?["billedDurationMs"]?.doubleValue)
            report.memorySizeMB = RecordBounds.megabytes(metrics?["memorySizeMB"]?.doubleValue)
            report.maxMemoryUsedMB = RecordBounds.megabytes(metrics?["maxMemoryUsedMB"]?.doubleValue)
            report.initDurationMs = RecordBounds.duration(milliseconds: metrics?["initDurationMs"]?.doubleValue)
            report.restoreDurationMs = RecordBounds.duration(milliseconds: metrics?["restoreDurationMs"]?.doubleValue)
            report.billedRestoreDurationMs = RecordBounds.duration(milliseconds: metrics?["billedRestoreDurationMs"]?.doubleValue)
            report.status = record["status"]?.stringValue.flatMap(InvocationStatus.init(rawValue:)) ?? .success
            report.errorType = record["errorType"]?.stringValue
            let tracing = record["tracing"]
            tracing?["value"]?.withStringBytes { header in
                report.traceID = TraceIDs.fromTraceHeader(header)
                report.sampled = Bytes(header).offset(of: "Sampled=1") != nil
            }
            report.segmentID = tracing?["spanId"]?.stringValue
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
            return .platform(PlatformEvent(kind: .restoreReport(durationMs: RecordBounds.duration(milliseconds: record["metrics"]?["durationMs"]?.doubleValue), status: record["status"]?.stringValue),
                                           requestID: nil, timestamp: timestamp))
        case "platform.initReport", "platform.initRuntimeDone":
            return .platform(PlatformEvent(kind: .initReport(durationMs: RecordBounds.duration(milliseconds: record["metrics"]?["durationMs"]?.doubleValue), status: record["status"]?.stringValue),
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
        guard needle.utf8CodeUnitCount > 0 else { return 0 }
        // Storage that is not contiguous UTF-8 (bridged or lazily made) is searched in a copy.
        return utf8.withContiguousStorageIfAvailable { Bytes($0).offset(of: needle) }
            ?? Array(utf8).withUnsafeBufferPointer { Bytes($0).offset(of: needle) }
    }
}

extension StringProtocol {
    func trimmingTrailingNewlines() -> SubSequence {
        var s = self[...]
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return s
    }
}
