/// What one export did.
public struct ExportReport: Sendable, Equatable {
    /// Items the collector took.
    public var accepted = 0
    /// Items the collector refused (a permanent 4xx, or `partial_success`).
    public var rejected = 0
    /// Items not delivered before the deadline (the collector never answered, or kept asking to retry).
    public var failed = 0
    /// Requests sent again.
    public var retries = 0
    /// Requests sent, retries included.
    public var attempts = 0
    public var errors: [ExportError] = []

    public init() {}

    /// Whether every item reached the collector and was taken.
    public var delivered: Bool { rejected == 0 && failed == 0 }

    /// Adds what another part of the same export did.
    public mutating func merge(_ other: ExportReport) {
        accepted += other.accepted
        rejected += other.rejected
        failed += other.failed
        retries += other.retries
        attempts += other.attempts
        errors += other.errors
    }
}
