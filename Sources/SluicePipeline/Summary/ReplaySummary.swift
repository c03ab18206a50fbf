/// The running totals of a replay: what was read, what was decoded, what was refused.
///
/// Pure and additive: feed it every ``IntakeBatch`` and render it as JSON (``jsonDocument(duration:)``)
/// or as a table (``table(duration:)``). Later stages add their own sections.
public struct ReplaySummary: Sendable {
    /// Inputs read (files, standard input).
    public var inputs = 0
    public var bytesIn = 0
    public var bytesDecoded = 0
    public var dataMessages = 0
    public var controlMessages = 0
    public var forms: [InputForm: Int] = [:]
    public var events = 0
    /// Events dropped because an event with the same id in the same stream came before.
    public var duplicateEvents = 0
    public var invalidUTF8Replaced = 0
    public var logGroups: [LogGroupKey: LogGroupTally] = [:]
    public var rejections: [PayloadRejection] = []
    /// What recognition found in the events.
    public var recognition = RecognitionTally()
    /// Per-function figures over the whole replay.
    public var functions: [FunctionSummary] = []
    public var metrics = MetricAggregator()
    public var traces = TraceAggregator()
    public var assembler = TraceAssembler()
    public var sampler = TailSampler()
    /// Where the results went (a store or a collector), when they were delivered.
    public var delivery: DeliveryTally?

    public init() {}

    /// Which assembled traces tail sampling keeps, against each function's p99 duration.
    public func samplingDecision() -> TailSampler.Decision {
        sampler.decide(assembler, functions: functions)
    }

    public var rejected: Int { rejections.count }
    public var payloadsRead: Int { dataMessages + controlMessages + rejected }

    /// Adds one input's batch.
    public mutating func add(_ batch: IntakeBatch) {
        inputs += 1
        bytesIn += batch.bytesIn
        bytesDecoded += batch.bytesDecoded
        dataMessages += batch.messages.count
        controlMessages += batch.controlMessages
        rejections.append(contentsOf: batch.rejections)
        for (form, count) in batch.forms { forms[form, default: 0] += count }
        for message in batch.messages {
            events += message.events.count
            invalidUTF8Replaced += message.replacedInvalidUTF8
            let key = LogGroupKey(owner: message.owner, logGroup: message.logGroup)
            logGroups[key, default: LogGroupTally()].add(message)
        }
    }

    /// Records an input that could not be read at all (a missing file).
    public mutating func addUnreadable(source: String, error: IntakeError) {
        inputs += 1
        rejections.append(PayloadRejection(source: source, error: error))
    }
}

/// A log group, told apart by account.
public struct LogGroupKey: Sendable, Hashable, Comparable {
    public var owner: String
    public var logGroup: String

    public static func < (a: LogGroupKey, b: LogGroupKey) -> Bool {
        (a.logGroup, a.owner) < (b.logGroup, b.owner)
    }
}

/// Event counts of one log group and of each of its log streams.
public struct LogGroupTally: Sendable {
    public var events = 0
    public var streams: [String: Int] = [:]

    mutating func add(_ message: DataMessage) {
        events += message.events.count
        streams[message.logStream, default: 0] += message.events.count
    }
}

/// What delivery to a store or a collector did with a replay's items.
public struct DeliveryTally: Sendable, Equatable {
    /// The store or endpoint, without credentials.
    public var target: String
    /// Items newly stored (or accepted by the collector).
    public var stored = 0
    /// Items the store already held.
    public var duplicates = 0
    /// Stored invocations completed by this replay (a report after an agent's record).
    public var updated = 0
    /// Items that could not be delivered.
    public var failed = 0
    /// Requests sent again after a failure.
    public var retries = 0
    /// The first delivery failure, as a person should read it.
    public var error: String?

    public init(target: String) {
        self.target = target
    }
}
