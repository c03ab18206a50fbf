/// The schema both stores share (plain SQL both SQLite and PostgreSQL read).
enum StoreSchema {
    static let currentVersion = 1

    /// Slowest traces first, with the function and name of each one's earliest span.
    static func traceOverviewSQL(failedOnly: Bool, placeholders: (since: String, limit: String) = ("?", "?")) -> String {
        """
        SELECT trace_id, MIN(start_ns) AS start_ns, MAX(start_ns + duration_ns) - MIN(start_ns) AS duration_ns,
          COUNT(*) AS spans, SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS error_spans,
          (SELECT s.function FROM spans s WHERE s.trace_id = spans.trace_id ORDER BY s.start_ns, s.span_id LIMIT 1) AS function,
          (SELECT s.name FROM spans s WHERE s.trace_id = spans.trace_id ORDER BY s.start_ns, s.span_id LIMIT 1) AS root_name
        FROM spans GROUP BY trace_id HAVING MIN(start_ns) >= \(placeholders.since)\(failedOnly ? " AND SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) > 0" : "")
        ORDER BY duration_ns DESC, trace_id LIMIT \(placeholders.limit)
        """
    }

    static let version1 = [
        """
        CREATE TABLE environments (
          log_group TEXT NOT NULL, log_stream TEXT NOT NULL, owner TEXT NOT NULL, function TEXT NOT NULL,
          first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL, PRIMARY KEY (log_group, log_stream))
        """,
        "CREATE INDEX environments_last ON environments (last_ms)",
        """
        CREATE TABLE invocations (
          key TEXT NOT NULL, log_group TEXT NOT NULL, request_id TEXT NOT NULL, owner TEXT NOT NULL, function TEXT NOT NULL, log_stream TEXT NOT NULL,
          source TEXT NOT NULL, producer TEXT, start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, duration_ms DOUBLE PRECISION,
          billed_duration_ms DOUBLE PRECISION, memory_size_mb INTEGER, max_memory_used_mb INTEGER, init_duration_ms DOUBLE PRECISION,
          cold_start BOOLEAN NOT NULL, error_type TEXT, flags INTEGER NOT NULL, cost_usd DOUBLE PRECISION, trace_id TEXT,
          PRIMARY KEY (log_group, key))
        """,
        "CREATE INDEX invocations_end ON invocations (end_ms)",
        "CREATE INDEX invocations_request ON invocations (log_group, request_id)",
        """
        CREATE TABLE spans (
          trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,
          start_ns BIGINT NOT NULL, duration_ns BIGINT NOT NULL, status TEXT NOT NULL, status_message TEXT, attributes TEXT NOT NULL,
          producer TEXT NOT NULL, request_id TEXT, owner TEXT NOT NULL, log_group TEXT NOT NULL, function TEXT NOT NULL,
          PRIMARY KEY (trace_id, span_id))
        """,
        "CREATE INDEX spans_start ON spans (start_ns)",
        """
        CREATE TABLE logs (
          key TEXT NOT NULL, time_ms BIGINT NOT NULL, severity TEXT, body TEXT NOT NULL, request_id TEXT, trace_id TEXT,
          span_id TEXT, attributes TEXT NOT NULL, source TEXT NOT NULL, owner TEXT NOT NULL, log_group TEXT NOT NULL,
          log_stream TEXT NOT NULL, function TEXT NOT NULL, PRIMARY KEY (log_group, key))
        """,
        "CREATE INDEX logs_time ON logs (time_ms)",
        "CREATE INDEX logs_trace ON logs (trace_id)",
        "CREATE INDEX logs_request ON logs (request_id)",
        """
        CREATE TABLE metric_points (
          key TEXT NOT NULL, source TEXT NOT NULL, namespace TEXT, name TEXT NOT NULL, unit TEXT, dimensions TEXT NOT NULL,
          time_ms BIGINT NOT NULL, count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL,
          max DOUBLE PRECISION NOT NULL, log_group TEXT NOT NULL, PRIMARY KEY (log_group, key))
        """,
        "CREATE INDEX metric_points_name ON metric_points (name, time_ms)",
    ]
}
