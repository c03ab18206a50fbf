import GRDB
import SluicePipeline
import SluiceTelemetry

/// The embedded store: one SQLite file in WAL mode (readers never wait for the writer), schema versioned
/// with migrations, every item keyed so that a batch written twice is stored once.
public final class SQLiteStore: TelemetryStore {
    let pool: DatabasePool
    let path: String

    /// Opens (creating it when missing) the database at `path` and migrates it to the current schema.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        // Several processes may share the file (replays beside a serve): wait for the writer, do not fail.
        configuration.busyMode = .timeout(30)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(location: "sqlite:\(path)", reason: Self.reason(error))
        }
        do {
            try pool.write { db in
                let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if found > SQLiteSchema.version { throw StoreError.schemaTooNew(location: "sqlite:\(path)", found: found, supported: SQLiteSchema.version) }
            }
            try SQLiteSchema.migrator.migrate(pool)
            try pool.write { db in try db.execute(sql: "PRAGMA user_version = \(SQLiteSchema.version)") }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(location: "sqlite:\(path)", reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    var location: String { "sqlite:\(path)" }

    public func write(_ batch: TelemetryBatch) async throws(StoreError) -> StoreWriteResult {
        do {
            return try await pool.write { db in try SQLiteStore.write(batch, into: db) }
        } catch {
            throw .writeFailed(location: location, reason: Self.reason(error))
        }
    }

    static func write(_ batch: TelemetryBatch, into db: Database) throws -> StoreWriteResult {
        var result = StoreWriteResult()
        let readEnvironment = try db.cachedStatement(sql: "SELECT * FROM environments WHERE log_group = ? AND log_stream = ?")
        let writeEnvironment = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO environments (log_group, log_stream, owner, function, first_ms, last_ms) VALUES (?,?,?,?,?,?)
            """)
        for row in batch.environments {
            var merged = row
            if let stored = try Row.fetchOne(readEnvironment, arguments: [row.logGroup, row.logStream]).map(EnvironmentRow.init(row:)) {
                merged = stored
                merged.merge(row)
                if merged == stored {
                    result.duplicates += 1
                    continue
                }
                result.updated += 1
            } else {
                result.stored += 1
            }
            try writeEnvironment.execute(arguments: merged.arguments)
        }
        let writeInvocation = try db.cachedStatement(sql: """
            INSERT INTO invocations (key, log_group, request_id, owner, function, log_stream, source, producer, start_ms, end_ms,
              duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb, init_duration_ms, cold_start, error_type, flags,
              cost_usd, trace_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING
            """)
        for row in batch.invocations {
            try writeInvocation.execute(arguments: row.arguments)
            db.changesCount > 0 ? (result.stored += 1) : (result.duplicates += 1)
        }
        let writeSpan = try db.cachedStatement(sql: """
            INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns, status, status_message,
              attributes, producer, request_id, owner, log_group, function) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        for row in batch.spans {
            try writeSpan.execute(arguments: row.arguments)
            db.changesCount > 0 ? (result.stored += 1) : (result.duplicates += 1)
        }
        let writeLog = try db.cachedStatement(sql: """
            INSERT INTO logs (key, time_ms, severity, body, request_id, trace_id, span_id, attributes, source, owner, log_group,
              log_stream, function) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING
            """)
        for row in batch.logs {
            try writeLog.execute(arguments: row.arguments)
            db.changesCount > 0 ? (result.stored += 1) : (result.duplicates += 1)
        }
        let writeMetric = try db.cachedStatement(sql: """
            INSERT INTO metric_points (key, source, namespace, name, unit, dimensions, time_ms, count, sum, min, max, log_group)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING
            """)
        for row in batch.metrics {
            try writeMetric.execute(arguments: row.arguments)
            db.changesCount > 0 ? (result.stored += 1) : (result.duplicates += 1)
        }
        return result
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw .readFailed(location: location, reason: Self.reason(error))
        }
    }

    public func environments(sinceMs: Int64?) async throws(StoreError) -> [EnvironmentRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM environments WHERE last_ms >= ? ORDER BY log_group, log_stream",
                             arguments: [sinceMs ?? Int64.min]).map(EnvironmentRow.init(row:))
        }
    }

    public func invocations(sinceMs: Int64?) async throws(StoreError) -> [InvocationRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM invocations WHERE end_ms >= ? ORDER BY end_ms, key",
                             arguments: [sinceMs ?? Int64.min]).map(InvocationRow.init(row:))
        }
    }

    public func spans(traceID: String) async throws(StoreError) -> [SpanRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM spans WHERE trace_id = ? ORDER BY start_ns, span_id", arguments: [traceID])
                .map(SpanRow.init(row:))
        }
    }

    public func logs(traceID: String, requestIDs: [String]) async throws(StoreError) -> [LogRow] {
        try await read { db in
            let marks = Array(repeating: "?", count: requestIDs.count).joined(separator: ",")
            let sql = "SELECT * FROM logs WHERE trace_id = ?" + (requestIDs.isEmpty ? "" : " OR request_id IN (\(marks))") + " ORDER BY time_ms, key"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments([traceID] + requestIDs)).map(LogRow.init(row:))
        }
    }

    public func traces(sinceMs: Int64?, failedOnly: Bool, limit: Int) async throws(StoreError) -> [TraceOverview] {
        try await read { db in
            try Row.fetchAll(db, sql: StoreSchema.traceOverviewSQL(failedOnly: failedOnly),
                             arguments: [RecordBounds.nanoseconds(clampingMilliseconds: sinceMs ?? .min), limit]).map(TraceOverview.init(row:))
        }
    }

    public func clientSpans(sinceMs: Int64?) async throws(StoreError) -> [SpanRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM spans WHERE kind = 'client' AND start_ns >= ? ORDER BY start_ns, span_id",
                             arguments: [RecordBounds.nanoseconds(clampingMilliseconds: sinceMs ?? .min)]).map(SpanRow.init(row:))
        }
    }

    public func metricPoints(name: String, sinceMs: Int64?) async throws(StoreError) -> [MetricRow] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM metric_points WHERE name = ? AND time_ms >= ? ORDER BY time_ms, key",
                             arguments: [name, sinceMs ?? Int64.min]).map(MetricRow.init(row:))
        }
    }

    public func deleteOlder(thanMs cutoffMs: Int64) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                var deleted = 0
                for sql in ["DELETE FROM environments WHERE last_ms < ?", "DELETE FROM invocations WHERE end_ms < ?", "DELETE FROM logs WHERE time_ms < ?",
                            "DELETE FROM metric_points WHERE time_ms < ?"] {
                    try db.execute(sql: sql, arguments: [cutoffMs])
                    deleted += db.changesCount
                }
                try db.execute(sql: "DELETE FROM spans WHERE start_ns < ?", arguments: [RecordBounds.nanoseconds(clampingMilliseconds: cutoffMs)])
                return deleted + db.changesCount
            }
        } catch {
            throw .writeFailed(location: location, reason: Self.reason(error))
        }
    }
}
