/// The recognition stage: classifies every event of the messages it is given, turns the lines it knows
/// into normalised records, reassembles the records that span several events, and ties records to the
/// invocation open in their log stream, keeping per-stream state across payloads. Pure and synchronous.
public struct Recognizer: Sendable {
    public private(set) var tally = RecognitionTally()
    private var assembler = PrettyRecordAssembler()
    /// Per log stream: the invocation between its START and END, and the last one started.
    private var invocations: [StreamKey: StreamInvocation] = [:]

    struct StreamInvocation: Sendable {
        var open: String?
        var last: String?
    }

    public init() {}

    /// Recognises every event of `message`, returning the normalised records in event order.
    @discardableResult
    public mutating func recognize(_ message: DataMessage) -> RecognizedMessage {
        let stream = StreamKey(owner: message.owner, logGroup: message.logGroup, logStream: message.logStream)
        var invocation = invocations[stream] ?? StreamInvocation()
        var records: [RecognizedRecord] = []
        for event in message.events {
            message.withBytes(of: event.message) { bytes in
                let recordClass = MessageClassifier.classify(bytes)
                let line = Line(bytes: bytes, buffer: message.buffer, base: event.message.range.lowerBound)
                if let record = Self.normalise(line, as: recordClass, timestamp: event.timestamp, invocation: &invocation) {
                    records.append(record)
                    tally.count(record)
                }
                tally.classCounts[recordClass.ordinal] += 1
                let (outcome, dropped) = assembler.feed(bytes, recordClass: recordClass, stream: stream)
                if dropped != nil { tally.prettyDropped += 1 }
                switch outcome {
                case .notPart:
                    tally.producerCounts[recordClass.producer.ordinal] += 1
                case .buffered:
                    tally.producerCounts[Producer.openTelemetry.ordinal] += 1
                case .completed(let kind):
                    tally.producerCounts[Producer.openTelemetry.ordinal] += 1
                    tally.prettyRecords[kind, default: 0] += 1
                }
            }
        }
        invocations[stream] = invocation
        return RecognizedMessage(stream: stream, records: records)
    }

    /// The normalised record of one line of a known class, if it yields one; keeps the stream's open
    /// invocation up to date and lends its request id to records that carry none.
    static func normalise(_ line: Line, as recordClass: RecordClass, timestamp: Int64,
                          invocation: inout StreamInvocation) -> RecognizedRecord? {
        let bytes = line.bytes
        var record: RecognizedRecord?
        switch recordClass {
        case .platformText:
            record = PlatformRecognizer.recognizeText(String(decoding: bytes, as: UTF8.self), timestamp: timestamp)
        case .platformError:
            record = PlatformRecognizer.recognizeError(String(decoding: bytes, as: UTF8.self), timestamp: timestamp)
        case .platformJSON:
            record = (try? JSONValue.parse(bytes)).flatMap { PlatformRecognizer.recognizeJSON($0, timestamp: timestamp) }
        case .pythonTextLog:
            record = .log(LogRecognizer.pythonText(line, timestamp: timestamp))
        case .pythonUnhandledError:
            record = .log(LogRecognizer.pythonUnhandledError(line, timestamp: timestamp))
        case .nodeTextLog:
            record = .log(LogRecognizer.nodeText(line, timestamp: timestamp))
        case .lambdaJSONAppLog:
            record = (try? JSONValue.parse(bytes)).map { .log(LogRecognizer.lambdaJSON($0, timestamp: timestamp)) }
        case .powertoolsLog:
            record = (try? JSONValue.parse(bytes)).map { .log(LogRecognizer.powertools($0, timestamp: timestamp)) }
        case .text:
            record = .log(LogRecognizer.plainText(line, timestamp: timestamp))
        default:
            record = nil
        }
        switch record {
        case .platform(var event)?:
            switch event.kind {
            case .start:
                invocation.open = event.requestID
                invocation.last = event.requestID
            case .end:
                if event.requestID == nil { event.requestID = invocation.open }
                invocation.open = nil
            case .timeout, .crash:
                if event.requestID == nil { event.requestID = invocation.open ?? invocation.last }
            case .initStart, .initReport:
                break
            }
            return .platform(event)
        case .log(var log)?:
            // An empty request id (the init phase writes one) names no invocation.
            if log.requestID?.isEmpty ?? true { log.requestID = invocation.open }
            return .log(log)
        default:
            return record
        }
    }

    /// Ends the input: records still open are counted as unfinished.
    public mutating func finish() {
        tally.prettyUnfinished += assembler.finish().count
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
    /// Log records by source and severity, indexed by ``logIndex(_:_:)``.
    public var logCounts = [Int](repeating: 0, count: LogSource.allCases.count * (Severity.allCases.count + 1))

    /// Log records of `source` with `severity` (nil: none given).
    public func logs(_ source: LogSource, _ severity: Severity?) -> Int { logCounts[Self.logIndex(source, severity)] }

    static func logIndex(_ source: LogSource, _ severity: Severity?) -> Int {
        let sourceIndex = LogSource.allCases.firstIndex(of: source) ?? 0
        let severityIndex = severity.map { (Severity.allCases.firstIndex(of: $0) ?? 0) + 1 } ?? 0
        return sourceIndex * (Severity.allCases.count + 1) + severityIndex
    }

    public init() {}

    mutating func count(_ record: RecognizedRecord) {
        switch record {
        case .report: reports += 1
        case .platform: platformEvents += 1
        case .log(let log): logCounts[Self.logIndex(log.source, log.severity)] += 1
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
