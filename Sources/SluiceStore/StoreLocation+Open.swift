import Logging
import ServiceLifecycle

extension StoreLocation {
    /// Opens the store (creating and migrating it when needed), runs `body` with it, and closes it. For
    /// PostgreSQL the client's connection pool runs for exactly that long.
    public func withStore<T: Sendable>(logger: Logger, _ body: @Sendable (any TelemetryStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let path):
            return try await body(try SQLiteStore(path: path))
        case .postgres(let location):
            let store = PostgresStore(location, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.client.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                return try await body(store)
            }
        }
    }

    /// Opens the store for a long-running server: the services to run beside it (PostgreSQL's client) and
    /// a step to run once they are running (the migration), before any request is taken.
    public func openForService(logger: Logger) throws(StoreError) -> (store: any TelemetryStore, services: [any Service], prepare: @Sendable () async throws -> Void) {
        switch self {
        case .sqlite(let path):
            return (try SQLiteStore(path: path), [], {})
        case .postgres(let location):
            let store = PostgresStore(location, logger: logger)
            return (store, [store.client], { try await store.migrate() })
        }
    }
}
