import SluicePipeline

/// A span of a kept trace, with the function whose log carried it.
public struct SpanRow: Sendable, Equatable {
    public var span: SpanRecord
    public var owner: String
    public var logGroup: String
    public var function: String

    public init(span: SpanRecord, owner: String, logGroup: String, function: String) {
        self.span = span
        self.owner = owner
        self.logGroup = logGroup
        self.function = function
    }
}
