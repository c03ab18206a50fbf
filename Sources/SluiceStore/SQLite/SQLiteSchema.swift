import GRDB

/// The tables, one migration per schema version. A new version appends a migration; none is ever edited.
enum SQLiteSchema {
    static let version = 1

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in StoreSchema.version1 { try db.execute(sql: statement) }
        }
        return migrator
    }

    static func traceOverviewSQL(failedOnly: Bool) -> String {
        """
        SELECT trace_id, MIN(start_ns) AS start_ns, MAX(start_ns + duration_ns) - MIN(start_ns) AS duration_ns,
          COUNT(*) AS spans, SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS error_spans,
          (SELECT s.function FROM spans s WHERE s.trace_id = spans.trace_id ORDER BY s.start_ns, s.span_id LIMIT 1) AS function,
          (SELECT s.name FROM spans s WHERE s.trace_id = spans.trace_id ORDER BY s.start_ns, s.span_id LIMIT 1) AS root_name
        FROM spans GROUP BY trace_id HAVING MIN(start_ns) >= ?\(failedOnly ? " AND SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) > 0" : "")
        ORDER BY duration_ns DESC, trace_id LIMIT ?
        """
    }
}
