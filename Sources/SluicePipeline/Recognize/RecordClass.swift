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

    /// A class of lines that are not JSON (platform text, runtime text logs, plain text, the lines around a
    /// pretty-printed record): their recognisers read the line's bytes.
    var isTextLine: Bool {
        switch self {
        case .platformText, .platformError, .otelPrettyStart, .otelPrettyEnd, .pythonTextLog, .pythonUnhandledError, .nodeTextLog, .text: true
        default: false
        }
    }

    /// A class whose recogniser makes log records only, each tied to the stream's open invocation as it is
    /// made (``Recognizer/log(_:open:)``): nothing is left for the pass after.
    var makesTiedLogsOnly: Bool {
        switch self {
        case .pythonTextLog, .pythonUnhandledError, .nodeTextLog, .text, .lambdaJSONAppLog, .powertoolsLog: true
        default: false
        }
    }

    /// The position of the case in ``allCases``, for counting in arrays rather than dictionaries.
    public var ordinal: Int {
        switch self {
        case .platformText: 0
        case .platformError: 1
        case .newRelicPayload: 2
        case .platformJSON: 3
        case .thundraComposite: 4
        case .thundraInvocation: 5
        case .thundraSpan: 6
        case .thundraMetric: 7
        case .thundraLog: 8
        case .thundraTrace: 9
        case .thundraArray: 10
        case .thundraEmptyArray: 11
        case .datadogTraces: 12
        case .datadogMetric: 13
        case .emf: 14
        case .powertoolsLog: 15
        case .lambdaJSONAppLog: 16
        case .otlpJSON: 17
        case .otelConsoleSpan: 18
        case .otelConsoleLog: 19
        case .otelConsoleMetrics: 20
        case .otherJSON: 21
        case .otelPrettyStart: 22
        case .otelPrettyEnd: 23
        case .pythonTextLog: 24
        case .pythonUnhandledError: 25
        case .nodeTextLog: 26
        case .text: 27
        }
    }
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

    /// The position of the case in ``allCases``.
    public var ordinal: Int {
        switch self {
        case .lambda: 0
        case .pythonRuntime: 1
        case .nodeRuntime: 2
        case .newRelic: 3
        case .thundra: 4
        case .datadog: 5
        case .embeddedMetricFormat: 6
        case .powertools: 7
        case .openTelemetry: 8
        case .application: 9
        }
    }
}
