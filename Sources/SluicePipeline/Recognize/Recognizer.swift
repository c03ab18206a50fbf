/// The recognition stage: classifies every event of the messages it is given, turns the lines it knows
/// into normalised records, reassembles the records that span several events, and ties records to the
/// invocation open in their log stream, keeping per-stream state across payloads. Pure and synchronous.
public struct Recognizer: Sendable {
    public private(set) var tally = RecognitionTally()
    private var assembler = PrettyRecordAssembler()
    /// Per log stream: the invocation between its START and END, and the last one started.
    private var invocations: [StreamKey: StreamInvocation] = [:]
    /// Long strings and metric dimension sets made before, found again by their bytes.
    private var cache = RecognitionCache()

    struct StreamInvocation: Sendable {
        var open: String?
        var last: String?
        /// A Python traceback printed line by line (`traceback.print_exc()`), being put back together.
        var traceback: PendingTraceback?
    }

    struct PendingTraceback: Sendable {
        var lines: [String]
        var timestamp: Int64
        var requestID: String?
        var bytes = 0
    }

    /// The most lines and bytes a traceback gathers before it is closed, as the pretty-printed records'
    /// (``PrettyRecordAssembler``): indented lines printed after a traceback, without end, were kept in
    /// memory for as long as the stream went on.
    static let tracebackLimits = (lines: 10_000, bytes: 1 << 20)

    /// Bounds for what records embed (New Relic's compressed payloads).
    public var configuration: IntakeConfiguration

    public init(configuration: IntakeConfiguration = .default) {
        self.configuration = configuration
    }

    /// Recognises every event of `message`, returning the normalised records in event order.
    @discardableResult
    public mutating func recognize(_ message: DataMessage) -> RecognizedMessage {
        let stream = StreamKey(owner: message.owner, logGroup: message.logGroup, logStream: message.logStream)
        var invocation = invocations[stream] ?? StreamInvocation()
        var records: [RecognizedRecord] = []
        // Most events give a record: sized once instead of grown from empty.
        records.reserveCapacity(message.events.count)
        var keys = RecordKeys()
        for event in message.events {
            message.withBytes(of: event.message) { bytes in
                var parsed: JSONTape?
                let recordClass = MessageClassifier.classify(bytes, parsed: &parsed, maxDepth: configuration.maxJSONDepth)
                let line = Line(bytes: bytes, buffer: message.buffer, base: event.message.range.lowerBound)
                let first = records.count
                tally.classCounts[recordClass.ordinal] += 1
                let (outcome, dropped) = assembler.feed(bytes, recordClass: recordClass, stream: stream)
                if dropped != nil { tally.prettyDropped += 1 }
                switch outcome {
                case .notPart:
                    // Lines of a pretty-printed record make the one record it holds, not records of their own.
                    normalise(line, as: recordClass, parsed: parsed, timestamp: event.timestamp, invocation: &invocation, into: &records)
                    tally.producerCounts[recordClass.producer.ordinal] += 1
                case .buffered:
                    tally.producerCounts[Producer.openTelemetry.ordinal] += 1
                case .completed(let assembled):
                    tally.producerCounts[Producer.openTelemetry.ordinal] += 1
                    // One parse: the tape tells the record's kind and gives its fields.
                    assembled.withUnsafeBufferPointer { joined in
                        let tape = try? JSONTape(joined, maxDepth: configuration.maxJSONDepth)
                        withExtendedLifetime(tape) {
                            let root = tape?.root
                            let kind = PrettyRecordKind(root)
                            tally.prettyRecords[kind, default: 0] += 1
                            if let root {
                                Self.openTelemetry(root, kind: kind, timestamp: event.timestamp, invocation: invocation, into: &records)
                            }
                        }
                    }
                }
                tally.count(records, from: first)
                if records.count > first {
                    message.withBytes(of: event.id) { keys.append(id: $0, records: records.count - first) }
                }
            }
        }
        invocations[stream] = invocation
        return RecognizedMessage(stream: stream, records: records, keys: keys)
    }

    /// The normalised records of one line of a known class; keeps the stream's open invocation up to
    /// date and lends its request id to records that carry none.
    mutating func normalise(_ line: Line, as recordClass: RecordClass, parsed: JSONTape?, timestamp: Int64, invocation: inout StreamInvocation,
                            into records: inout [RecognizedRecord]) {
        let bytes = line.bytes
        let first = records.count
        // One parse into a tape (the classifier's, when it made one); the views read it in place, valid
        // while `bytes` are and while `tape` holds it (views do not). Lines of the text classes are read
        // on their bytes: trying to parse each of them as JSON cost a tenth of reading them.
        let tape = parsed ?? (recordClass.isTextLine ? nil : try? JSONTape(bytes, maxDepth: configuration.maxJSONDepth))
        defer { withExtendedLifetime(tape) {} }
        func json() -> JSONView? { tape?.root }
        if recordClass == .text {
            if Self.continueTraceback(line, timestamp: timestamp, invocation: &invocation, into: &records) {
                tally.tracebackLines += 1
                return
            }
        } else if let pending = invocation.traceback {
            invocation.traceback = nil
            records.append(Self.log(Self.tracebackRecord(pending), open: invocation.open))
        }
        switch recordClass {
        case .platformText:
            if let record = PlatformRecognizer.recognizeText(bytes, timestamp: timestamp) { records.append(record) }
        case .platformError:
            if let record = PlatformRecognizer.recognizeError(String(decoding: bytes, as: UTF8.self), timestamp: timestamp) { records.append(record) }
        case .platformJSON:
            if let record = json().flatMap({ PlatformRecognizer.recognizeJSON($0, timestamp: timestamp) }) { records.append(record) }
        case .pythonTextLog:
            records.append(Self.log(LogRecognizer.pythonText(line, timestamp: timestamp, open: invocation.open), open: invocation.open))
        case .pythonUnhandledError:
            records.append(Self.log(LogRecognizer.pythonUnhandledError(line, timestamp: timestamp), open: invocation.open))
        case .nodeTextLog:
            records.append(Self.log(LogRecognizer.nodeText(line, timestamp: timestamp, open: invocation.open), open: invocation.open))
        case .lambdaJSONAppLog:
            if let value = json() { records.append(Self.log(LogRecognizer.lambdaJSON(value, timestamp: timestamp), open: invocation.open)) }
        case .powertoolsLog:
            if let value = json() { records.append(Self.log(LogRecognizer.powertools(value, timestamp: timestamp), open: invocation.open)) }
        case .text:
            records.append(Self.log(LogRecognizer.plainText(line, timestamp: timestamp), open: invocation.open))
        case .emf:
            if let value = json() { EMFRecognizer.recognize(value, cache: &cache, into: &records) }
        case .datadogMetric:
            if let value = json(), let record = DatadogRecognizer.metric(value, cache: &cache) { records.append(record) }
        case .datadogTraces:
            if let value = json() { DatadogRecognizer.traces(value, into: &records) }
        case .thundraComposite, .thundraInvocation, .thundraSpan, .thundraMetric, .thundraLog, .thundraTrace, .thundraArray:
            if let value = json() { ThundraRecognizer.recognize(value, timestamp: timestamp, into: &records) }
        case .otlpJSON:
            if let value = json() {
                let start = records.count
                OpenTelemetryRecognizer.otlp(value, timestamp: timestamp, into: &records)
                for case .span(let span) in records[start...] {
                    if let invocation = OpenTelemetryRecognizer.invocation(of: span) { records.append(invocation) }
                }
            }
        case .otelConsoleSpan:
            if case .span(let span)? = json().flatMap(OpenTelemetryRecognizer.consoleSpan) {
                records.append(.span(span))
                if let invocation = OpenTelemetryRecognizer.invocation(of: span) { records.append(invocation) }
            }
        case .otelConsoleLog:
            if let value = json() { records.append(OpenTelemetryRecognizer.consoleLog(value, timestamp: timestamp)) }
        case .newRelicPayload:
            if let value = json() { NewRelicRecognizer.recognize(value, configuration: configuration, timestamp: timestamp, cache: &cache, into: &records) }
        case .otelConsoleMetrics:
            if let value = json() { OpenTelemetryRecognizer.consoleMetrics(value, into: &records) }
        case .otherJSON:
            // The table gives `otlp.json` only to `resourceSpans`; OTLP/JSON logs and metrics documents land
            // here and are still read.
            if let value = json(), value["resourceLogs"] != nil || value["resourceMetrics"] != nil {
                OpenTelemetryRecognizer.otlp(value, timestamp: timestamp, into: &records)
            }
        case .thundraEmptyArray, .otelPrettyStart, .otelPrettyEnd:
            break
        }
        // Reading a record in the pass below copies it (a retain of every string it holds): log lines, most
        // of a stream, skip it.
        if recordClass.makesTiedLogsOnly { return }
        for index in records.indices[first...] {
            switch records[index] {
            case .platform(var event):
                switch event.kind {
                case .start:
                    invocation.open = event.requestID
                    invocation.last = event.requestID
                case .end:
                    if event.requestID == nil { event.requestID = invocation.open }
                    invocation.open = nil
                case .timeout, .crash:
                    if event.requestID == nil { event.requestID = invocation.open ?? invocation.last }
                case .initStart, .initReport, .restoreStart, .restoreReport:
                    break
                }
                records[index] = .platform(event)
            // Records are written back only when they change: a copy out and back retains and releases
            // every string a record holds.
            case .log(var log):
                if Self.tie(&log, to: invocation.open) { records[index] = .log(log) }
            case .span(let span) where span.requestID == nil:
                if let open = invocation.open {
                    var span = span
                    span.requestID = open
                    records[index] = .span(span)
                }
            case .invocation(let agent) where agent.requestID?.isEmpty ?? true:
                if agent.requestID != invocation.open ?? invocation.last {
                    var agent = agent
                    agent.requestID = invocation.open ?? invocation.last
                    records[index] = .invocation(agent)
                }
            case .span, .invocation:
                break
            case .report, .metric, .trace:
                break
            }
        }
    }

    /// Ties `log` to the invocation open in its stream when it names none itself (an empty request id, which
    /// the init phase writes, names none); whether it changed.
    static func tie(_ log: inout LogRecord, to open: String?) -> Bool {
        guard log.requestID?.isEmpty ?? true, log.requestID != open else { return false }
        log.requestID = open
        return true
    }

    /// `record`, tied to the invocation open in its stream as it is made: a record is boxed
    /// (``RecognizedRecord`` is indirect), so tying it in the pass after normalising makes it anew. That
    /// pass still ties the other producers' records.
    static func log(_ record: consuming LogRecord, open: String?) -> RecognizedRecord {
        _ = tie(&record, to: open)
        return .log(record)
    }

    /// Takes a plain-text line into a traceback printed line by line, when it starts or continues one:
    /// `Traceback (most recent call last):`, indented frame lines, then the exception line that ends it.
    /// Returns whether the line was taken.
    static func continueTraceback(_ line: Line, timestamp: Int64, invocation: inout StreamInvocation, into records: inout [RecognizedRecord]) -> Bool {
        let bytes = line.bytes
        let starts = Bytes(bytes).hasPrefix("Traceback (most recent call last):")
        if var pending = invocation.traceback {
            let text = String(decoding: bytes, as: UTF8.self)
            if starts {
                // Another traceback began before this one ended (stdout and stderr interleave).
                records.append(.log(tracebackRecord(pending)))
                invocation.traceback = PendingTraceback(lines: [text], timestamp: timestamp, requestID: invocation.open, bytes: bytes.count)
                return true
            }
            if let first = bytes.first, first == 0x20 || first == 0x09 {
                guard pending.lines.count < tracebackLimits.lines, pending.bytes + bytes.count <= tracebackLimits.bytes else {
                    // Closed as it is: the line, and the rest, are lines of their own.
                    invocation.traceback = nil
                    records.append(log(tracebackRecord(pending), open: invocation.open))
                    return false
                }
                pending.lines.append(text)
                pending.bytes += bytes.count
                invocation.traceback = pending
                return true
            }
            invocation.traceback = nil
            guard isExceptionLine(text) else {
                records.append(log(tracebackRecord(pending), open: invocation.open))
                return false
            }
            pending.lines.append(text)
            records.append(.log(tracebackRecord(pending)))
            return true
        }
        guard starts else { return false }
        invocation.traceback = PendingTraceback(lines: [String(decoding: bytes, as: UTF8.self)], timestamp: timestamp, requestID: invocation.open,
                                                bytes: bytes.count)
        return true
    }

    /// `KeyError: 'missing'`, `module.Error`, `ValueError: …`: a (dotted) name, then a colon or the end.
    static func isExceptionLine(_ text: String) -> Bool {
        // ASCII lines on the bytes, others through `Character`s (a combining mark joins the byte before it).
        var text = text
        let ascii: Bool? = text.withUTF8 { bytes in
            if bytes.contains(where: { $0 >= 0x80 }) { return nil }
            func isLetter(_ b: UInt8) -> Bool { b | 0x20 >= 0x61 && b | 0x20 <= 0x7A }
            var end = 0
            while end < bytes.count, isLetter(bytes[end]) || (bytes[end] >= 0x30 && bytes[end] <= 0x39) || bytes[end] == 0x5F || bytes[end] == 0x2E {
                end += 1
            }
            guard end > 0, isLetter(bytes[0]) || bytes[0] == 0x5F else { return false }
            if end < bytes.count, bytes[end] == 0x3A { return true }
            // Then only line ends, each a character of its own: "\r\n" is one character, which is neither.
            for k in end..<bytes.count {
                guard bytes[k] == 0x0A || bytes[k] == 0x0D else { return false }
                if bytes[k] == 0x0A, k > end, bytes[k - 1] == 0x0D { return false }
            }
            return true
        }
        return ascii ?? isExceptionLineCharacters(text)
    }

    static func isExceptionLineCharacters(_ text: String) -> Bool {
        let name = text.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        let rest = text[name.endIndex...]
        return rest.hasPrefix(":") || rest.trimmingTrailingNewlines().isEmpty
    }

    /// One ERROR log record of a whole traceback; the last line names the exception when it was seen.
    static func tracebackRecord(_ pending: PendingTraceback) -> LogRecord {
        let body = pending.lines.joined().trimmingTrailingNewlines()
        var record = LogRecord(timestamp: pending.timestamp, severity: .error, body: Text(String(body)), requestID: pending.requestID, source: .plainText)
        if let last = pending.lines.last, pending.lines.count > 1, isExceptionLine(last) {
            let exception = last.trimmingTrailingNewlines()
            if let colon = exception.firstIndex(of: ":") {
                record.attributes.append(Attribute("exception.type", .string(String(exception[..<colon]))))
                record.attributes.append(Attribute("exception.message", .string(String(exception[exception.index(after: colon)...].drop(while: { $0 == " " })))))
            } else {
                record.attributes.append(Attribute("exception.type", .string(String(exception))))
            }
        }
        record.attributes.append(Attribute("exception.stacktrace", .string(String(body))))
        return record
    }

    /// The record a reassembled pretty-printed OpenTelemetry record holds.
    static func openTelemetry(_ value: JSONView, kind: PrettyRecordKind, timestamp: Int64, invocation: StreamInvocation,
                              into records: inout [RecognizedRecord]) {
        switch kind {
        case .span:
            if case .span(var span)? = OpenTelemetryRecognizer.consoleSpan(value) {
                let invocationRecord = OpenTelemetryRecognizer.invocation(of: span)
                if span.requestID == nil { span.requestID = invocation.open }
                records.append(.span(span))
                if let invocationRecord { records.append(invocationRecord) }
            }
        case .log:
            if case .log(var log) = OpenTelemetryRecognizer.consoleLog(value, timestamp: timestamp) {
                if log.requestID == nil { log.requestID = invocation.open }
                records.append(.log(log))
            }
        case .metrics:
            OpenTelemetryRecognizer.consoleMetrics(value, into: &records)
        case .unparsable:
            break
        }
    }

    /// Ends the input: pretty-printed records still open are counted as unfinished; tracebacks still
    /// being put together are returned as they are.
    @discardableResult
    public mutating func finish() -> [RecognizedMessage] {
        tally.prettyUnfinished += assembler.finish().count
        var messages: [RecognizedMessage] = []
        for stream in invocations.keys.sorted(by: { ($0.logGroup, $0.logStream) < ($1.logGroup, $1.logStream) }) {
            if let pending = invocations[stream]?.traceback {
                invocations[stream]?.traceback = nil
                let record = RecognizedRecord.log(Self.tracebackRecord(pending))
                messages.append(RecognizedMessage(stream: stream, records: [record], keys: ["\(stream.logGroup):\(stream.logStream):unfinished-traceback"]))
                tally.count(record)
            }
        }
        return messages
    }
}

/// Counts of what recognition found.
public struct RecognitionTally: Sendable, Equatable {
    /// Events by the class of the detection table, indexed by ``RecordClass/ordinal``.
    public var classCounts = [Int](repeating: 0, count: RecordClass.allCases.count)
    /// Events by who wrote them (lines of a reassembled record count for its producer), indexed by
    /// ``Producer/ordinal``.
    public var producerCounts = [Int](repeating: 0, count: Producer.allCases.count)
    /// Reassembled pretty-printed OpenTelemetry records by kind.
    public var prettyRecords: [PrettyRecordKind: Int] = [:]
    /// Pretty-printed records still open when the input ended.
    public var prettyUnfinished = 0
    /// Pretty-printed records dropped (too long, or interrupted by a new one).
    public var prettyDropped = 0
    /// Normalised records: invocation reports, other platform events, log records by source and severity.
    public var reports = 0
    public var platformEvents = 0
    public var spans = 0
    public var metricSamples = 0
    public var agentInvocations = 0
    /// Records about a whole trace (Thundra's `Trace`).
    public var traceRecords = 0
    /// Plain-text lines taken into a traceback record (which counts once among the log records).
    public var tracebackLines = 0
    /// Log records by source and severity, indexed by ``logIndex(_:_:)``.
    public var logCounts = [Int](repeating: 0, count: LogSource.allCases.count * (Severity.allCases.count + 1))

    /// Log records of `source` with `severity` (nil: none given).
    public func logs(_ source: LogSource, _ severity: Severity?) -> Int { logCounts[Self.logIndex(source, severity)] }

    static func logIndex(_ source: LogSource, _ severity: Severity?) -> Int {
        let sourceIndex = LogSource.allCases.firstIndex(of: source) ?? 0
        let severityIndex = severity.map { (Severity.allCases.firstIndex(of: $0) ?? 0) + 1 } ?? 0
        return sourceIndex * (Severity.allCases.count + 1) + severityIndex
    }

    /// The ``logIndex(_:_:)`` of a log record, read in its box. A function of its own on purpose: bound in
    /// `count`'s switch, the record was copied out of the box (a retain and a release of every string it
    /// holds: a tenth of recognising a plain text line).
    @inline(never)
    static func logIndex(of record: RecognizedRecord) -> Int {
        guard case .log(let log) = record else { return 0 }
        return logIndex(log.source, log.severity)
    }

    public init() {}

    mutating func count(_ record: RecognizedRecord) {
        count([record], from: 0)
    }

    /// Counts `records` from `first` on, reading them where they are: a copy of each record (a
    /// retain of every string it holds) cost more than the counting.
    mutating func count(_ records: borrowing [RecognizedRecord], from first: Int) {
        for i in first..<records.count {
            switch records[i] {
            case .report: reports += 1
            case .platform: platformEvents += 1
            case .log: logCounts[Self.logIndex(of: records[i])] += 1
            case .span: spans += 1
            case .invocation: agentInvocations += 1
            case .metric: metricSamples += 1
            case .trace: traceRecords += 1
            }
        }
    }

    /// Events by class, the classes seen only.
    public var byClass: [RecordClass: Int] {
        var result: [RecordClass: Int] = [:]
        for recordClass in RecordClass.allCases where classCounts[recordClass.ordinal] > 0 {
            result[recordClass] = classCounts[recordClass.ordinal]
        }
        return result
    }

    /// Events by producer, the producers seen only.
    public var byProducer: [Producer: Int] {
        var result: [Producer: Int] = [:]
        for producer in Producer.allCases where producerCounts[producer.ordinal] > 0 {
            result[producer] = producerCounts[producer.ordinal]
        }
        return result
    }
}
