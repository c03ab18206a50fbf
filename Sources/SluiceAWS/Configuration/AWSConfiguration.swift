/// Where and as whom Sluice calls AWS: region, credentials and, for tests and private endpoints, the
/// endpoint of each service.
///
/// Resolved the way AWS's own tools do: flags first, then `AWS_*` environment variables, then the shared
/// credentials and config files (`~/.aws/credentials`, `~/.aws/config`, or `AWS_SHARED_CREDENTIALS_FILE` /
/// `AWS_CONFIG_FILE`) for the profile in `--profile` or `AWS_PROFILE` (default `default`).
public struct AWSConfiguration: Sendable {
    public var region: String
    public var credentials: AWSCredentials
    /// Where the credentials came from, for messages ("environment", "profile work in ~/.aws/credentials").
    public var credentialSource: String
    /// One URL for every service (`--endpoint-url`, `AWS_ENDPOINT_URL`), or nil for AWS's own.
    public var endpointOverride: String?
    /// Per-service overrides (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_LAMBDA`).
    public var serviceEndpoints: [AWSService: String] = [:]

    public init(region: String, credentials: AWSCredentials, credentialSource: String = "given", endpointOverride: String? = nil) {
        self.region = region
        self.credentials = credentials
        self.credentialSource = credentialSource
        self.endpointOverride = endpointOverride
    }

    /// The base URL requests to `service` go to.
    public func endpoint(for service: AWSService) -> String {
        if let url = serviceEndpoints[service] ?? endpointOverride { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(service.endpointPrefix).\(region).\(suffix)"
    }

    /// What the command line can say, each overriding the environment.
    public struct Overrides: Sendable {
        public var region: String?
        public var profile: String?
        public var endpointURL: String?
        public init(region: String? = nil, profile: String? = nil, endpointURL: String? = nil) {
            self.region = region
            self.profile = profile
            self.endpointURL = endpointURL
        }
    }

    /// The configuration, or every reason it cannot be made. `readFile` returns a file's text or nil when
    /// it does not exist (the files are optional; a profile named explicitly is not).
    public static func resolve(environment: [String: String], overrides: Overrides = Overrides(),
                               readFile: (String) -> String?) -> Result<AWSConfiguration, AWSConfigurationError> {
        var problems: [String] = []
        let home = environment["HOME"] ?? ""
        let credentialsPath = nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) ?? "\(home)/.aws/credentials"
        let configPath = nonEmpty(environment["AWS_CONFIG_FILE"]) ?? "\(home)/.aws/config"
        let credentialsFile = readFile(credentialsPath).map(AWSProfileFile.init(parsing:))
        let configFile = readFile(configPath).map(AWSProfileFile.init(parsing:))
        let explicitProfile = nonEmpty(overrides.profile)
        let profile = explicitProfile ?? nonEmpty(environment["AWS_PROFILE"]) ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? "default"
        let fromCredentials = credentialsFile?.section(profile)
        let fromConfig = configFile?.section(profile == "default" ? "default" : "profile \(profile)") ?? configFile?.section(profile)
        if (explicitProfile != nil || environment["AWS_PROFILE"] != nil) && fromCredentials == nil && fromConfig == nil {
            problems.append("profile '\(profile)' is in neither \(credentialsPath) nor \(configPath)")
        }

        var credentials: AWSCredentials?
        var source = ""
        if explicitProfile == nil, let id = nonEmpty(environment["AWS_ACCESS_KEY_ID"]) {
            if let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"]) {
                credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]))
                source = "the environment (AWS_ACCESS_KEY_ID)"
            } else {
                problems.append("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
        } else {
            for (section, path) in [(fromCredentials, credentialsPath), (fromConfig, configPath)] {
                guard let section, credentials == nil, let id = nonEmpty(section["aws_access_key_id"]) else { continue }
                guard let secret = nonEmpty(section["aws_secret_access_key"]) else {
                    problems.append("profile '\(profile)' in \(path) has aws_access_key_id but no aws_secret_access_key")
                    continue
                }
                credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nonEmpty(section["aws_session_token"]))
                source = "profile '\(profile)' in \(path)"
            }
        }
        if credentials == nil && problems.isEmpty {
            problems.append("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put a profile '\(profile)' in \(credentialsPath)")
        }

        let region = nonEmpty(overrides.region) ?? nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
            ?? nonEmpty(fromConfig?["region"])
        if region == nil {
            problems.append("no AWS region: pass --region, set AWS_REGION, or put region in profile '\(profile)' of \(configPath)")
        } else if let region, !region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            problems.append("region '\(region)' is not a region name such as us-east-1")
        }

        let endpoint = nonEmpty(overrides.endpointURL) ?? nonEmpty(environment["AWS_ENDPOINT_URL"])
        var serviceEndpoints: [AWSService: String] = [:]
        for service in AWSService.allCases {
            if let url = nonEmpty(environment["AWS_ENDPOINT_URL_\(service.environmentSuffix)"]) { serviceEndpoints[service] = url }
        }
        for url in [endpoint].compactMap({ $0 }) + serviceEndpoints.values.sorted() where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            problems.append("endpoint '\(url)' is not an http:// or https:// URL")
        }

        guard problems.isEmpty, let credentials, let region else { return .failure(AWSConfigurationError(problems: problems)) }
        var configuration = AWSConfiguration(region: region, credentials: credentials, credentialSource: source, endpointOverride: endpoint)
        // A flag names one endpoint for everything; only without it do per-service variables apply.
        if nonEmpty(overrides.endpointURL) == nil { configuration.serviceEndpoints = serviceEndpoints }
        return .success(configuration)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// The AWS services Sluice calls.
public enum AWSService: String, Sendable, CaseIterable, Hashable, Comparable {
    case cloudWatchLogs = "logs"
    case lambda = "lambda"
    case secretsManager = "secretsmanager"
    case systemsManager = "ssm"

    /// The signing name and host prefix.
    public var endpointPrefix: String { rawValue }
    /// `AWS_ENDPOINT_URL_<this>`, the SDKs' service-specific endpoint variable.
    var environmentSuffix: String {
        switch self {
        case .cloudWatchLogs: "CLOUDWATCH_LOGS"
        case .lambda: "LAMBDA"
        case .secretsManager: "SECRETS_MANAGER"
        case .systemsManager: "SSM"
        }
    }

    public static func < (a: AWSService, b: AWSService) -> Bool { a.rawValue < b.rawValue }
}

/// Every reason the AWS settings could not be resolved.
public struct AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
