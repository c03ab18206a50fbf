/// What one write stored: new items, and items the store already held (a retried or replayed batch).
public struct StoreWriteResult: Sendable, Equatable {
    public var stored = 0
    public var duplicates = 0
    /// Invocations already stored that this batch told more about (a report after an agent's record).
    public var updated = 0

    public init(stored: Int = 0, duplicates: Int = 0, updated: Int = 0) {
        self.stored = stored
        self.duplicates = duplicates
        self.updated = updated
    }

    public mutating func add(_ other: StoreWriteResult) {
        stored += other.stored
        duplicates += other.duplicates
        updated += other.updated
    }
}
