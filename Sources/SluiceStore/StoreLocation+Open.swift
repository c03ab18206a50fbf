extension StoreLocation {
    /// Opens the store (creating and migrating it when needed).
    public func open() async throws(StoreError) -> any TelemetryStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres(let location):
            throw .cannotOpen(location: location.description, reason: "PostgreSQL is not supported by this build yet")
        }
    }
}
