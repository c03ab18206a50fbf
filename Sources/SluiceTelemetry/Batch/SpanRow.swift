import SluicePipeline

/// A span of a kept trace, with the function whose log carried it.
public struct SpanRow: Sendable, Equatable {
    public var owner: String
    public var span: SpanRecord
    public var logGroup: String
    public var function: String
}

/// The public initialiser hands the fields to the synthesised memberwise one, which Swift moves into the
/// batch's array (``MetricRow``). `owner` is declared first so that the two cannot be mistaken for each other.
extension SpanRow {
    public init(span: SpanRecord, owner: String, logGroup: String, function: String) {
        self.init(owner: owner, span: span, logGroup: logGroup, function: function)
    }
}
