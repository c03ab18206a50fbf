import AsyncHTTPClient
import SluiceAWS
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
    /// `SLUICE_COLLECTOR_SECRET`: where the collector's headers are kept (read once, at init).
    public var collectorSecret: SecretValueClient.Reference?
    /// Subscribing new log groups from CloudTrail events, when `SLUICE_AUTO_SUBSCRIBE_PREFIX` is set.
    public var autoSubscription: AutoSubscription?
    /// The function's own credentials and region, for the calls the two above make.
    public var aws: AWSConfiguration?
    /// `SLUICE_RESOLVE=host=address,...`: addresses to use for these host names instead of asking the
    /// resolver. The static binary resolves through /etc/hosts and DNS only (other nsswitch modules need the
    /// host's libc), so this is the way to pin a collector's address, as curl's `--resolve` does.
    public var resolve: [String: String] = [:]

    /// The configuration, or every problem with the environment.
    public static func fromEnvironment(_ environment: [String: String]) -> Result<LambdaConfiguration, LambdaInitError> {
        var problems: [String] = []
        let runtimeAPI = environment["AWS_LAMBDA_RUNTIME_API"] ?? ""
        if runtimeAPI.isEmpty {
            problems.append("AWS_LAMBDA_RUNTIME_API is not set: this is not running inside Lambda")
        } else if RuntimeAPIConnection.parse(runtimeAPI) == nil {
            problems.append("AWS_LAMBDA_RUNTIME_API is \"\(runtimeAPI)\": expected host:port")
        }
        var (exporter, exporterProblems) = OTLPExporterConfiguration.fromEnvironment(environment)
        problems += exporterProblems + OTLPExporterConfiguration.protocolProblems(environment)
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
        var resolve: [String: String] = [:]
        for entry in (environment["SLUICE_RESOLVE"] ?? "").split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { String($0.filter { $0 != " " }) }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                resolve[parts[0]] = parts[1]
            } else {
                problems.append("SLUICE_RESOLVE: '\(entry)' is not host=address")
            }
        }
        var collectorSecret: SecretValueClient.Reference?
        if let arn = environment["SLUICE_COLLECTOR_SECRET"], !arn.isEmpty {
            collectorSecret = SecretValueClient.Reference(arn: arn)
            if collectorSecret == nil {
                problems.append("SLUICE_COLLECTOR_SECRET=\(arn) is not the ARN of a Secrets Manager secret or an SSM parameter")
            }
        }
        let (autoSubscription, autoProblems) = AutoSubscription.fromEnvironment(environment)
        problems += autoProblems
        var aws: AWSConfiguration?
        if collectorSecret != nil || autoSubscription != nil {
            switch AWSConfiguration.resolve(environment: environment, readFile: { _ in nil }) {
            case .success(let resolved): aws = resolved
            case .failure(let error): problems += error.problems.map { "AWS access (for SLUICE_COLLECTOR_SECRET or SLUICE_AUTO_SUBSCRIBE_PREFIX): \($0)" }
            }
        }
        guard problems.isEmpty else { return .failure(LambdaInitError(problems: problems)) }
        var configuration = LambdaConfiguration(runtimeAPI: runtimeAPI, functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "sluice",
                                                exporter: exporter, ingestor: PayloadIngestor(intake: intake, aggregation: aggregation, sampler: sampler))
        configuration.collectorSecret = collectorSecret
        configuration.autoSubscription = autoSubscription
        configuration.aws = aws
        configuration.resolve = resolve
        return .success(configuration)
    }

    /// Reads the collector's headers from `collectorSecret` (if any) and adds them to the exporter's.
    /// The secret holds `name=value,name=value`, as `OTEL_EXPORTER_OTLP_HEADERS` does.
    public func loadingCollectorSecret(http: HTTPClient, now: @escaping @Sendable () -> Int64) async -> Result<LambdaConfiguration, LambdaInitError> {
        guard let reference = collectorSecret, let aws else { return .success(self) }
        let client = AWSClient(configuration: aws, http: http, now: now, timeout: .seconds(5))
        let text: String
        do {
            text = try await SecretValueClient(client: client).value(of: reference)
        } catch {
            return .failure(LambdaInitError(problems: ["could not read the collector's headers from \(reference): \(error)"], errorType: "Sluice.CollectorSecretUnavailable"))
        }
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        switch OTLPExporterConfiguration.parseHeaders(trimmed) {
        case .success(let headers):
            var configuration = self
            configuration.exporter.headers += headers
            return .success(configuration)
        case .failure:
            // What was read is not repeated: it is a secret.
            return .failure(LambdaInitError(problems: ["\(reference) does not hold headers as name=value,name=value (for example Authorization=Bearer TOKEN)"],
                                            errorType: "Sluice.CollectorSecretUnavailable"))
        }
    }
}

/// Why the consumer could not start: every problem with its configuration.
public struct LambdaInitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    /// The `errorType` reported to the Runtime API's init error.
    public var errorType: String = "Sluice.InvalidConfiguration"
    public var description: String { "Sluice cannot start: " + problems.joined(separator: "; ") }
}
