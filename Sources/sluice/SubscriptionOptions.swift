import ArgumentParser
import AsyncHTTPClient
import SluiceAWS

/// The selectors and AWS settings `subscribe` and `unsubscribe` share.
struct SubscriptionOptions: ParsableArguments {
    @Option(help: "ARN of the destination: the Sluice Lambda function (or a Kinesis/Firehose stream with --role-arn).")
    var destinationArn: String

    @Option(help: "Select log groups whose name starts with this prefix (for example /aws/lambda/).")
    var logGroupPrefix: String?

    @Option(help: "Select log groups whose name this regular expression finds a match in (anchor with ^ and $).")
    var logGroupPattern: String?

    @Option(name: .customLong("log-group"), help: "Select this log group (repeatable); each must exist.")
    var logGroups: [String] = []

    @Option(help: "Name of the subscription filter.")
    var filterName: String = SubscriptionDefaults.filterName

    @Option(help: "CloudWatch Logs filter pattern (default: platform, telemetry and error lines; '' for every line).")
    var filterPattern: String?

    @Option(help: "Role CloudWatch Logs assumes to deliver to a Kinesis or Firehose destination.")
    var roleArn: String?

    @Option(help: "AWS region (default AWS_REGION, AWS_DEFAULT_REGION, or the profile's region).")
    var region: String?

    @Option(help: "Profile in the shared credentials and config files (default AWS_PROFILE, or default).")
    var profile: String?

    @Option(help: "Send every AWS call to this URL instead of AWS's endpoints (AWS_ENDPOINT_URL).")
    var endpointURL: String?

    @Flag(help: "Print the plan; change nothing.")
    var dryRun = false

    /// The request and the AWS configuration, or every problem with the flags and the environment at once.
    func resolve() throws -> (SubscriptionRequest, AWSConfiguration) {
        var problems: [String] = []
        let selectors = [logGroupPrefix.map(LogGroupSelector.prefix), logGroupPattern.map(LogGroupSelector.pattern),
                         logGroups.isEmpty ? nil : LogGroupSelector.names(logGroups)].compactMap { $0 }
        if selectors.count != 1 {
            problems.append("select log groups with exactly one of --log-group-prefix, --log-group-pattern or --log-group")
        }
        let request = SubscriptionRequest(destinationArn: destinationArn, selector: selectors.first ?? .names([]), filterName: filterName,
                                          filterPattern: filterPattern ?? SubscriptionDefaults.filterPattern, roleArn: roleArn)
        if selectors.count == 1 { problems += request.validate() } else { problems += request.validate().filter { !$0.contains("--log-group") } }
        let resolved = AWSConfiguration.resolve(environment: ProcessEnvironment.variables(),
                                                overrides: .init(region: region, profile: profile, endpointURL: endpointURL),
                                                readFile: FileStatus.readText)
        var configuration: AWSConfiguration?
        switch resolved {
        case .success(let value): configuration = value
        case .failure(let error): problems += error.problems
        }
        guard problems.isEmpty, let configuration else {
            throw ValidationError("invalid configuration:\n  - " + problems.joined(separator: "\n  - "))
        }
        return (request, configuration)
    }

    /// Runs `body` with a runner on a client that is shut down afterwards.
    func withRunner(_ configuration: AWSConfiguration, _ body: (SubscriptionRunner) async -> SubscriptionReport) async throws -> SubscriptionReport {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = AWSClient(configuration: configuration, http: http, now: { WallClock.nowMilliseconds() / 1000 })
        let report = await body(SubscriptionRunner(client: client))
        try await http.shutdown()
        return report
    }
}
