import SluiceExporter
import SluicePipeline
import SluiceTelemetry

/// The Lambda consumer's settings, all from the environment Lambda gives the function, validated at init
/// with every problem reported together.
public struct LambdaConfiguration: Sendable {
    /// `AWS_LAMBDA_RUNTIME_API`: host:port of the Runtime API.
    public var runtimeAPI: String
    public var functionName: String
    public var exporter: OTLPExporterConfiguration
    public var ingestor: PayloadIngestor
    /// Time kept back from the invocation's deadline to answer the Runtime API after the export gave up.
    public var safetyMargin: Duration = .milliseconds(300)

    /// The configuration, or every problem with the environment.
    public static func fromEnvironment(_ environment: [String: String]) -> Result<LambdaConfiguration, LambdaInitError> {
        var problems: [String] = []
        let runtimeAPI = environment["AWS_LAMBDA_RUNTIME_API"] ?? ""
        if runtimeAPI.isEmpty { problems.append("AWS_LAMBDA_RUNTIME_API is not set: this is not running inside Lambda") }
        var (exporter, exporterProblems) = OTLPExporterConfiguration.fromEnvironment(environment)
        problems += exporterProblems
        if exporter.endpoint == nil && exporter.signalEndpoints.isEmpty {
            problems.append("no collector configured: set OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS for its credentials)")
        } else {
            problems += exporter.validate()
        }
        // A function's time is short: retry quickly, the invocation's deadline bounds the rest.
        exporter.initialBackoff = .milliseconds(100)
        exporter.maxBackoff = .seconds(2)
        let (intake, intakeProblems) = IntakeConfiguration.fromEnvironment(environment)
        let (aggregation, aggregationProblems) = AggregationConfiguration.fromEnvironment(environment)
        let (sampler, samplerProblems) = TailSampler.fromEnvironment(environment)
        problems += intakeProblems + intake.validate() + aggregationProblems + aggregation.validate() + samplerProblems + sampler.validate()
        guard problems.isEmpty else { return .failure(LambdaInitError(problems: problems)) }
        return .success(LambdaConfiguration(runtimeAPI: runtimeAPI, functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "sluice",
                                            exporter: exporter, ingestor: PayloadIngestor(intake: intake, aggregation: aggregation, sampler: sampler)))
    }
}

/// Why the consumer could not start: every problem with its configuration.
public struct LambdaInitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "Sluice cannot start: " + problems.joined(separator: "; ") }
}
