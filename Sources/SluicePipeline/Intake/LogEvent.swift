/// Where one event's id or message lies in its ``DataMessage``: in the decoded document's buffer (where
/// it was unescaped in place), or, rarely, in the message's overflow bytes.
public struct ByteSpan: Sendable, Hashable {
    /// Offset in the buffer; negative (`-(offset + 1)`) for the overflow bytes.
    @usableFromInline var encodedOffset: Int32
    public var count: Int32

    @inlinable
    public init(offset: Int, count: Int) {
        self.encodedOffset = Int32(truncatingIfNeeded: offset)
        self.count = Int32(truncatingIfNeeded: count)
    }

    @inlinable
    public init(overflowOffset offset: Int, count: Int) {
        self.encodedOffset = -Int32(truncatingIfNeeded: offset) - 1
        self.count = Int32(truncatingIfNeeded: count)
    }

    /// Whether the bytes are in the overflow rather than the buffer.
    @inlinable public var isOverflow: Bool { encodedOffset < 0 }

    /// The byte range, in the buffer or the overflow.
    @inlinable public var range: Range<Int> {
        let start = isOverflow ? Int(-(encodedOffset + 1)) : Int(encodedOffset)
        return start..<start + Int(count)
    }
}

/// One CloudWatch Logs event of a subscription payload.
///
/// The id and the message stay UTF-8 bytes in the message's storage until a stage needs them as text;
/// ``DataMessage/message(of:)`` and ``DataMessage/id(of:)`` make `String`s on demand.
public struct LogEvent: Sendable, Equatable {
    /// The event id: a 56-digit decimal string on AWS, an integer from some emulators, any string in
    /// AWS's own documentation sample. Kept as its text.
    public var id: ByteSpan
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// The message, unescaped, as UTF-8 (invalid sequences already replaced by U+FFFD).
    public var message: ByteSpan
    /// `extractedFields` of account-level subscriptions (`@aws.account`, `@aws.region`), when present.
    public var extractedFields: [ExtractedField]?

    public init(id: ByteSpan, timestamp: Int64, message: ByteSpan, extractedFields: [ExtractedField]? = nil) {
        self.id = id
        self.timestamp = timestamp
        self.message = message
        self.extractedFields = extractedFields
    }
}

/// One entry of an event's `extractedFields`; the value is kept as its JSON text when it is not a string.
public struct ExtractedField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
