/// The recognition stage: classifies every event of the messages it is given and reassembles the records
/// that span several events, keeping per-stream state across payloads. Pure and synchronous.
public struct Recognizer: Sendable {
    public private(set) var tally = RecognitionTally()
    private var assembler = PrettyRecordAssembler()

    public init() {}

    /// Recognises every event of `message`.
    public mutating func recognize(_ message: DataMessage) {
        let stream = StreamKey(owner: message.owner, logGroup: message.logGroup, logStream: message.logStream)
        for event in message.events {
            message.withBytes(of: event.message) { bytes in
                let recordClass = MessageClassifier.classify(bytes)
                tally.byClass[recordClass, default: 0] += 1
                let (outcome, dropped) = assembler.feed(bytes, recordClass: recordClass, stream: stream)
                if dropped != nil { tally.prettyDropped += 1 }
                switch outcome {
                case .notPart:
                    tally.byProducer[recordClass.producer, default: 0] += 1
                case .buffered:
                    tally.byProducer[.openTelemetry, default: 0] += 1
                case .completed(let kind):
                    tally.byProducer[.openTelemetry, default: 0] += 1
                    tally.prettyRecords[kind, default: 0] += 1
                }
            }
        }
    }

    /// Ends the input: records still open are counted as unfinished.
    public mutating func finish() {
        tally.prettyUnfinished += assembler.finish().count
    }
}

/// Counts of what recognition found.
public struct RecognitionTally: Sendable, Equatable {
    /// Events by the class of the detection table.
    public var byClass: [RecordClass: Int] = [:]
    /// Events by who wrote them (lines of a reassembled record count for its producer).
    public var byProducer: [Producer: Int] = [:]
    /// Reassembled pretty-printed OpenTelemetry records by kind.
    public var prettyRecords: [PrettyRecordKind: Int] = [:]
    /// Pretty-printed records still open when the input ended.
    public var prettyUnfinished = 0
    /// Pretty-printed records dropped (too long, or interrupted by a new one).
    public var prettyDropped = 0

    public init() {}
}
