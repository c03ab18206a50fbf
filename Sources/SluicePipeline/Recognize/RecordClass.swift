/// What one log event's message is, by the detection table of `FORMATS.md` §1 (the class names are the
/// reference classifier's, `tools/detect.py`).
public enum RecordClass: String, Sendable, CaseIterable, Comparable {
    case platformText = "platform.text"
    case platformError = "platform.error"
    case newRelicPayload = "newrelic.payload"
    case platformJSON = "platform.json"
    case thundraComposite = "thundra.Composite"
    case thundraInvocation = "thundra.Invocation"
    case thundraSpan = "thundra.Span"
    case thundraMetric = "thundra.Metric"
    case thundraLog = "thundra.Log"
    case thundraTrace = "thundra.Trace"
    case thundraArray = "thundra.array"
    case thundraEmptyArray = "thundra.array(empty)"
    case datadogTraces = "datadog.traces"
    case datadogMetric = "datadog.metric"
    case emf = "emf"
    case powertoolsLog = "powertools.log"
    case lambdaJSONAppLog = "lambda.json_applog"
    case otlpJSON = "otlp.json"
    case otelConsoleSpan = "otel.console.span"
    case otelConsoleLog = "otel.console.log"
    case otelConsoleMetrics = "otel.console.metrics"
    case otherJSON = "json.other"
    case otelPrettyStart = "otel.pretty.start"
    case otelPrettyEnd = "otel.pretty.end"
    case pythonTextLog = "python.text_log"
    case pythonUnhandledError = "python.unhandled_error"
    case nodeTextLog = "node.text_log"
    case text = "text"

    /// Who writes records of this class.
    public var producer: Producer {
        switch self {
        case .platformText, .platformError, .platformJSON, .lambdaJSONAppLog: .lambda
        case .newRelicPayload: .newRelic
        case .thundraComposite, .thundraInvocation, .thundraSpan, .thundraMetric, .thundraLog, .thundraTrace, .thundraArray, .thundraEmptyArray: .thundra
        case .datadogTraces, .datadogMetric: .datadog
        case .emf: .embeddedMetricFormat
        case .powertoolsLog: .powertools
        case .otlpJSON, .otelConsoleSpan, .otelConsoleLog, .otelConsoleMetrics, .otelPrettyStart, .otelPrettyEnd: .openTelemetry
        case .pythonTextLog, .pythonUnhandledError: .pythonRuntime
        case .nodeTextLog: .nodeRuntime
        case .otherJSON, .text: .application
        }
    }

    public static func < (a: RecordClass, b: RecordClass) -> Bool { a.rawValue < b.rawValue }
}

/// The writer of a record: the Lambda platform and runtimes, an agent, or the application itself.
public enum Producer: String, Sendable, CaseIterable, Comparable {
    case lambda
    case pythonRuntime = "python_runtime"
    case nodeRuntime = "node_runtime"
    case newRelic = "newrelic"
    case thundra
    case datadog
    case embeddedMetricFormat = "emf"
    case powertools
    case openTelemetry = "opentelemetry"
    case application

    public static func < (a: Producer, b: Producer) -> Bool { a.rawValue < b.rawValue }
}
