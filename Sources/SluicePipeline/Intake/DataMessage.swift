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
    /// The bytes every ``LogEvent`` span points into.
    public var storage: [UInt8]
    /// Invalid UTF-8 sequences and lone surrogates replaced by U+FFFD while decoding this message.
    public var replacedInvalidUTF8: Int
    /// Size of the DATA_MESSAGE JSON document this came from.
    public var documentBytes: Int
    /// Where it came from: file, and field or position within it.
    public var source: String

    public init(
        owner: String, logGroup: String, logStream: String, subscriptionFilters: [String] = [],
        policyLevel: String? = nil, events: [LogEvent], storage: [UInt8], replacedInvalidUTF8: Int = 0,
        documentBytes: Int = 0, source: String = ""
    ) {
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
        self.subscriptionFilters = subscriptionFilters
        self.policyLevel = policyLevel
        self.events = events
        self.storage = storage
        self.replacedInvalidUTF8 = replacedInvalidUTF8
        self.documentBytes = documentBytes
        self.source = source
    }

    /// The message bytes of `event`.
    @inlinable
    public func messageBytes(of event: LogEvent) -> ArraySlice<UInt8> {
        storage[event.message.range]
    }

    /// The message of `event` as text.
    public func message(of event: LogEvent) -> String {
        String(decoding: storage[event.message.range], as: UTF8.self)
    }

    /// The id of `event` as text.
    public func id(of event: LogEvent) -> String {
        String(decoding: storage[event.id.range], as: UTF8.self)
    }
}
