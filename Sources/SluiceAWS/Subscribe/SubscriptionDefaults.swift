/// The subscription filter Sluice installs unless told otherwise (`deploy/template.yaml` uses the same pattern).
public enum SubscriptionDefaults {
    /// The filter's name: what `unsubscribe` looks for.
    public static let filterName = "sluice"

    /// Phrases of which at least one appears in every platform line and every line an agent writes
    /// telemetry in, and in error lines, so CloudWatch Logs sends only those (each event is matched
    /// on its own, case-sensitively). Pretty-printed OpenTelemetry console records span many events most
    /// of which carry none of these: subscribe with `--filter-pattern ''` (every line) for those.
    public static let filterTerms: [String] = [
        // Platform lines, text and JSON log format.
        "START RequestId", "END RequestId", "REPORT RequestId", "INIT_START", "INIT_REPORT", "RESTORE_", "EXTENSION", "TELEMETRY",
        "Task timed out", "Runtime exited", "Process exited", "platform.",
        // Crashes and out-of-memory kills in each runtime's words.
        "MemoryError", "out of memory", "NoMemoryError",
        // Agents: New Relic, Thundra, Datadog (metrics and traces), EMF, OpenTelemetry.
        "NR_LAMBDA_MONITORING", "dataModelVersion", "dd_lambda_layer", "aws.lambda.enhanced", "trace_id", "CloudWatchMetrics",
        "resourceSpans", "resourceLogs", "resourceMetrics", "resource_metrics", "severity_number",
        // Errors, which count against invocations.
        "ERROR", "CRITICAL", "FATAL", "errorType",
    ]

    /// `?"term" ?"term" ...`: CloudWatch Logs' any-of-these-terms pattern.
    public static let filterPattern: String = filterTerms.map { "?\"\($0)\"" }.joined(separator: " ")
}
