/// A decoded `DATA_MESSAGE`: one log stream's batch of events as CloudWatch Logs delivers it.
public struct DataMessage: Sendable {
    /// The AWS account id of the log group.
    public var owner: String
    public var logGroup: String
    public var logStream: String
    public var subscriptionFilters: [String]
    /// `policyLevel` of account-level subscription filters (`ACCOUNT_LEVEL_POLICY`), when present.
    public var policyLevel: String?
    public var events: [LogEvent]
    /// The decoded document, with every event's id and message unescaped where it lay: the bytes the
    /// events' spans point into. Shared by the messages of one input, never copied.
    public var buffer: ByteBuffer
    /// Values that could not be decoded in place (invalid UTF-8 made them longer than their escape).
    public var overflow: [UInt8]
    /// Invalid UTF-8 sequences and lone surrogates replaced by U+FFFD while decoding this message.
    public var replacedInvalidUTF8: Int
    /// Size of the DATA_MESSAGE JSON document this came from.
    public var documentBytes: Int
    /// Where it came from: file, and field or position within it.
    public var source: String

    public init(
        owner: String, logGroup: String, logStream: String, subscriptionFilters: [String] = [],
        policyLevel: String? = nil, events: [LogEvent], buffer: ByteBuffer, overflow: [UInt8] = [], replacedInvalidUTF8: Int = 0,
        documentBytes: Int = 0, source: String = ""
    ) {
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
        self.subscriptionFilters = subscriptionFilters
        self.policyLevel = policyLevel
        self.events = events
        self.buffer = buffer
        self.overflow = overflow
        self.replacedInvalidUTF8 = replacedInvalidUTF8
        self.documentBytes = documentBytes
        self.source = source
    }

    /// Calls `body` with the bytes of `span` (an event's id or message), without copying them.
    @inlinable
    public func withBytes<R, E: Error>(of span: ByteSpan, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if span.isOverflow {
            return try overflow.withUnsafeBufferPointer { (all) throws(E) -> R in
                try body(UnsafeBufferPointer(rebasing: all[span.range]))
            }
        }
        return try buffer.withBytes { (all) throws(E) -> R in
            try body(UnsafeBufferPointer(rebasing: all[span.range]))
        }
    }

    /// A copy of the message bytes of `event`.
    public func messageBytes(of event: LogEvent) -> [UInt8] {
        withBytes(of: event.message) { Array($0) }
    }

    /// The message of `event` as text.
    public func message(of event: LogEvent) -> String {
        withBytes(of: event.message) { String(decoding: $0, as: UTF8.self) }
    }

    /// The id of `event` as text.
    public func id(of event: LogEvent) -> String {
        withBytes(of: event.id) { String(decoding: $0, as: UTF8.self) }
    }
}
