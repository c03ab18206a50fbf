import Logging
import ServiceLifecycle
import SluiceStore

/// Deletes what is older than the retention from the store, once per `interval`, until shutdown.
public struct RetentionService<C: Clock<Duration>>: Service {
    let store: any TelemetryStore
    let retentionMs: Int64
    let interval: Duration
    let clock: C
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(store: any TelemetryStore, retentionMs: Int64, interval: Duration, clock: C, now: @escaping @Sendable () -> Int64, logger: Logger) {
        self.store = store
        self.retentionMs = retentionMs
        self.interval = interval
        self.clock = clock
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let deleted = try await store.deleteOlder(thanMs: now() - retentionMs)
                if deleted > 0 { logger.info("retention", metadata: ["deleted": "\(deleted)"]) }
            } catch {
                logger.error("retention failed", metadata: ["error": "\(error)"])
            }
            // Wakes early on shutdown: the sleep is cancelled.
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
        }
    }
}
