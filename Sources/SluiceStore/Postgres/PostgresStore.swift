import Logging
import PostgresNIO
import SluicePipeline
import SluiceTelemetry

/// The store on a PostgreSQL server: the same schema and keys as ``SQLiteStore``, migrated under an
/// advisory lock (several `serve`s may start at once), rows written many to a statement.
///
/// Its client runs as a service: ``StoreLocation/withStore(logger:_:)`` runs it around the caller's work,
/// and `serve` adds it to its service group so it outlives every in-flight request.
public final class PostgresStore: TelemetryStore {
    public let client: PostgresClient
    let location: String
    let logger: Logger

    public init(_ location: PostgresLocation, logger: Logger) {
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: location.password, database: location.database, tls: .disable)
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = .seconds(5)
        // The pool warns when a query waits for `run()` to start, a race of no consequence at start-up.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.location = location.description
        self.logger = logger
    }

    static let lockKey: Int64 = 0x5_1C_E0

    /// Brings the schema up to date; call once the client runs. The pool keeps trying to connect to a
    /// server that is not there, so the first connection is given `timeout` to come.
    public func migrate(timeout: Duration = .seconds(10)) async throws(StoreError) {
        let location = self.location
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.migrateNow() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw StoreError.cannotOpen(location: location, reason: "no connection within \(timeout): is PostgreSQL running and accepting TCP connections there?")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(location: location, reason: Self.reason(error))
        }
    }

    private func migrateNow() async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await connection.query("CREATE TABLE IF NOT EXISTS sluice_schema (version INTEGER NOT NULL)", logger: logger)
                var found = 0
                for try await version in try await connection.query("SELECT MAX(version) FROM sluice_schema", logger: logger).decode(Int?.self) {
                    found = version ?? 0
                }
                if found > StoreSchema.currentVersion {
                    throw StoreError.schemaTooNew(location: location, found: found, supported: StoreSchema.currentVersion)
                }
                if found < 1 {
                    for statement in StoreSchema.version1 {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO sluice_schema (version) VALUES (1)", logger: logger)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StoreError { throw inner }
            throw StoreError.cannotOpen(location: location, reason: Self.reason(error))
        } catch {
            throw StoreError.cannotOpen(location: location, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return reason(inner) }
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }

    public func write(_ batch: TelemetryBatch) async throws(StoreError) -> StoreWriteResult {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var result = StoreWriteResult()
                // One row per key: a statement may not update the same row twice.
                var environments: [String: EnvironmentRow] = [:]
                var order: [String] = []
                for row in batch.environments {
                    if environments[row.key] == nil { order.append(row.key); environments[row.key] = row } else { environments[row.key]?.merge(row) }
                }
                let envRows = order.compactMap { environments[$0] }
                for chunk in envRows.chunks(of: 500) {
                    let sql = """
                        INSERT INTO environments (log_group, log_stream, owner, function, first_ms, last_ms) VALUES \(Self.placeholders(rows: chunk.count, columns: 6))
                        ON CONFLICT (log_group, log_stream) DO UPDATE SET first_ms = LEAST(environments.first_ms, excluded.first_ms),
                          last_ms = GREATEST(environments.last_ms, excluded.last_ms)
                        WHERE excluded.first_ms < environments.first_ms OR excluded.last_ms > environments.last_ms
                        RETURNING (xmax = 0)
                        """
                    var returned = 0
                    for try await inserted in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(chunk.map(\.values))), logger: logger).decode(Bool.self) {
                        returned += 1
                        inserted ? (result.stored += 1) : (result.updated += 1)
                    }
                    result.duplicates += chunk.count - returned
                }
                result.add(try await Self.insert(batch.invocations.map(\.values), into: "invocations", columns: InvocationRow.columns, connection, logger))
                result.add(try await Self.insert(batch.spans.map(\.values), into: "spans", columns: SpanRow.columns, connection, logger))
                result.add(try await Self.insert(batch.logs.map(\.values), into: "logs", columns: LogRow.columns, connection, logger))
                result.add(try await Self.insert(batch.metrics.map(\.values), into: "metric_points", columns: MetricRow.columns, connection, logger))
                return result
            }
        } catch {
            throw .writeFailed(location: location, reason: Self.reason(error))
        }
    }

    /// Inserts rows many to a statement; those whose key is stored already are counted as duplicates.
    static func insert(_ rows: [[PostgresValue]], into table: String, columns: [String], _ connection: PostgresConnection,
                       _ logger: Logger) async throws -> StoreWriteResult {
        var result = StoreWriteResult()
        let perStatement = max(1, 30_000 / columns.count)
        for chunk in rows.chunks(of: perStatement) {
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders(rows: chunk.count, columns: columns.count)) ON CONFLICT DO NOTHING RETURNING 1"
            var stored = 0
            for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds(Array(chunk))), logger: logger).decode(Int32.self) {
                stored += 1
            }
            result.stored += stored
            result.duplicates += chunk.count - stored
        }
        return result
    }

    static func placeholders(rows: Int, columns: Int) -> String {
        (0..<rows).map { row in "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ",") + ")" }.joined(separator: ",")
    }

    static func binds(_ rows: [[PostgresValue]]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: rows.count * (rows.first?.count ?? 0))
        for row in rows {
            for value in row {
                // Text, integers, doubles and booleans encode without failing (PostgresNonThrowingEncodable).
                switch value {
                case .text(let v): binds.append(v)
                case .int(let v): binds.append(v)
                case .double(let v): binds.append(v)
                case .bool(let v): binds.append(v)
                }
            }
        }
        return binds
    }

    private func rows<T: Sendable>(_ query: PostgresQuery, _ make: @escaping @Sendable (PostgresRow) throws -> T) async throws(StoreError) -> [T] {
        do {
            var out: [T] = []
            for try await row in try await client.query(query, logger: logger) { out.append(try make(row)) }
            return out
        } catch {
            throw .readFailed(location: location, reason: Self.reason(error))
        }
    }

    public func environments(sinceMs: Int64?) async throws(StoreError) -> [EnvironmentRow] {
        try await rows("SELECT \(unescaped: EnvironmentRow.selectList) FROM environments WHERE last_ms >= \(sinceMs ?? Int64.min) ORDER BY log_group, log_stream",
                       EnvironmentRow.init(postgres:))
    }

    public func invocations(sinceMs: Int64?) async throws(StoreError) -> [InvocationRow] {
        try await rows("SELECT \(unescaped: InvocationRow.selectList) FROM invocations WHERE end_ms >= \(sinceMs ?? Int64.min) ORDER BY end_ms, key",
                       InvocationRow.init(postgres:))
    }

    public func spans(traceID: String) async throws(StoreError) -> [SpanRow] {
        try await rows("SELECT \(unescaped: SpanRow.selectList) FROM spans WHERE trace_id = \(traceID) ORDER BY start_ns, span_id", SpanRow.init(postgres:))
    }

    public func logs(traceID: String, requestIDs: [String]) async throws(StoreError) -> [LogRow] {
        try await rows("SELECT \(unescaped: LogRow.selectList) FROM logs WHERE trace_id = \(traceID) OR request_id = ANY(\(requestIDs)) ORDER BY time_ms, key",
                       LogRow.init(postgres:))
    }

    public func traces(sinceMs: Int64?, failedOnly: Bool, limit: Int) async throws(StoreError) -> [TraceOverview] {
        let sql = StoreSchema.traceOverviewSQL(failedOnly: failedOnly, placeholders: ("$1", "$2"))
        var binds = PostgresBindings()
        binds.append(RecordBounds.nanoseconds(clampingMilliseconds: sinceMs ?? .min))
        binds.append(Int64(limit))
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), TraceOverview.init(postgres:))
    }

    public func clientSpans(sinceMs: Int64?) async throws(StoreError) -> [SpanRow] {
        let since = RecordBounds.nanoseconds(clampingMilliseconds: sinceMs ?? .min)
        return try await rows("SELECT \(unescaped: SpanRow.selectList) FROM spans WHERE kind = 'client' AND start_ns >= \(since) ORDER BY start_ns, span_id",
                              SpanRow.init(postgres:))
    }

    public func metricPoints(name: String, sinceMs: Int64?) async throws(StoreError) -> [MetricRow] {
        try await rows("SELECT \(unescaped: MetricRow.selectList) FROM metric_points WHERE name = \(name) AND time_ms >= \(sinceMs ?? Int64.min) ORDER BY time_ms, key",
                       MetricRow.init(postgres:))
    }

    public func deleteOlder(thanMs cutoffMs: Int64) async throws(StoreError) -> Int {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var deleted = 0
                for (table, column, cutoff) in [("environments", "last_ms", cutoffMs), ("invocations", "end_ms", cutoffMs), ("logs", "time_ms", cutoffMs),
                                                ("metric_points", "time_ms", cutoffMs), ("spans", "start_ns", RecordBounds.nanoseconds(clampingMilliseconds: cutoffMs))] {
                    var binds = PostgresBindings()
                    binds.append(cutoff)
                    let sql = "DELETE FROM \(table) WHERE \(column) < $1 RETURNING 1"
                    for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode(Int32.self) { deleted += 1 }
                }
                return deleted
            }
        } catch {
            throw .writeFailed(location: location, reason: Self.reason(error))
        }
    }
}

/// One bound value of a row being inserted.
enum PostgresValue {
    case text(String?)
    case int(Int64?)
    case double(Double?)
    case bool(Bool?)
}

extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
