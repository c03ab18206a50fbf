/// Bounds the intake enforces on every payload, so that hostile or broken input costs bounded time and
/// memory and fails with a clear error instead of taking the consumer down.
///
/// The defaults let every real CloudWatch Logs payload through with room to spare (CloudWatch delivers at
/// most 10,000 events and about 1 MB of log data per payload, 256 KB per event; escaped as JSON that is
/// at most 6 MB) and still accept replay files that hold many more small events.
public struct IntakeConfiguration: Sendable, Equatable {
    /// Decompressed bytes allowed per payload: per gzip member, so each Firehose record of an S3 object
    /// counts on its own. A gzip bomb stops here, costing at most this much memory.
    public var maxDecompressedBytes: Int
    /// Log events allowed in one DATA_MESSAGE.
    public var maxEventsPerPayload: Int
    /// Bytes allowed in one event's message, after JSON unescaping.
    public var maxMessageBytes: Int
    /// Nesting depth of objects and arrays allowed in any JSON document the intake reads.
    public var maxJSONDepth: Int

    public static let `default` = IntakeConfiguration()

    public init(
        maxDecompressedBytes: Int = 16 << 20,
        maxEventsPerPayload: Int = 100_000,
        maxMessageBytes: Int = 1 << 20,
        maxJSONDepth: Int = 256
    ) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxEventsPerPayload = maxEventsPerPayload
        self.maxMessageBytes = maxMessageBytes
        self.maxJSONDepth = maxJSONDepth
    }

    /// Every problem with these values, each as a sentence; empty when they are usable.
    public func validate() -> [String] {
        var problems: [String] = []
        if maxDecompressedBytes < 1024 {
            problems.append("max decompressed bytes must be at least 1024 (got \(maxDecompressedBytes))")
        }
        if maxEventsPerPayload < 1 {
            problems.append("max events per payload must be at least 1 (got \(maxEventsPerPayload))")
        }
        if maxMessageBytes < 1 {
            problems.append("max message bytes must be at least 1 (got \(maxMessageBytes))")
        }
        if maxJSONDepth < 4 {
            problems.append("max JSON depth must be at least 4, a DATA_MESSAGE needs that much (got \(maxJSONDepth))")
        }
        return problems
    }
}
