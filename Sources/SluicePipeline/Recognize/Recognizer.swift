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

    public init() {}

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
