import SluiceOTLP

// Short names for the generated OTLP types this module builds and reads.
public typealias OTLPTraceRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
public typealias OTLPTraceResponse = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
public typealias OTLPMetricsRequest = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
public typealias OTLPMetricsResponse = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceResponse
public typealias OTLPLogsRequest = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
public typealias OTLPLogsResponse = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse
typealias OTLPKeyValue = Opentelemetry_Proto_Common_V1_KeyValue
typealias OTLPAnyValue = Opentelemetry_Proto_Common_V1_AnyValue
typealias OTLPResource = Opentelemetry_Proto_Resource_V1_Resource
typealias OTLPSpan = Opentelemetry_Proto_Trace_V1_Span
typealias OTLPLogRecord = Opentelemetry_Proto_Logs_V1_LogRecord
typealias OTLPMetric = Opentelemetry_Proto_Metrics_V1_Metric

/// The three OTLP signals, with the path each is posted to.
public enum OTLPSignal: String, Sendable, CaseIterable {
    case traces, metrics, logs

    /// `/v1/traces`, `/v1/metrics`, `/v1/logs`.
    public var path: String { "/v1/" + rawValue }
}

/// Attribute and event names Sluice writes beside OpenTelemetry's semantic conventions.
enum SluiceConventions {
    static let scopeName: StaticString = "sluice"
    /// The per-function window metrics derived from the invocations (for any backend); `serve` does not
    /// store them again, since it keeps the invocations themselves.
    static let faasScopeName: StaticString = "sluice.faas"
    static let invocationEvent: StaticString = "aws.lambda.invocation"
    static let environmentEvent: StaticString = "sluice.execution_environment"
    static let recordKey: StaticString = "log.record.uid"
    static let pointKey: StaticString = "sluice.point.key"
    static let requestID: StaticString = "faas.invocation_id"

    /// The same names as `String`s, made once, for the decoder to compare with what it reads (the
    /// encoder writes the literals' bytes directly).
    enum Text {
        static let faasScopeName = SluiceConventions.faasScopeName.description
        static let invocationEvent = SluiceConventions.invocationEvent.description
        static let environmentEvent = SluiceConventions.environmentEvent.description
        static let recordKey = SluiceConventions.recordKey.description
        static let pointKey = SluiceConventions.pointKey.description
        static let requestID = SluiceConventions.requestID.description
    }
}
