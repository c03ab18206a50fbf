import SluiceAWS
import Testing

@Suite("AWS configuration: credentials, profiles, region, endpoints")
struct AWSConfigurationTests {
    static let credentialsFile = """
        # comment
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = defaultsecret

        [work]
        aws_access_key_id=AKIAWORK
        aws_secret_access_key=worksecret
        aws_session_token = worktoken
        [broken]
        aws_access_key_id = AKIABROKEN
        """
    static let configFile = """
        [default]
        region = eu-central-1
        [profile work]
        region = ap-south-1
        s3 =
          max_concurrent_requests = 20
        [profile keysinconfig]
        aws_access_key_id = AKIACONFIG
        aws_secret_access_key = configsecret
        region = sa-east-1
        """

    func files(_ path: String) -> String? {
        switch path {
        case "/home/u/.aws/credentials": Self.credentialsFile
        case "/home/u/.aws/config": Self.configFile
        default: nil
        }
    }

    func resolve(_ environment: [String: String], _ overrides: AWSConfiguration.Overrides = .init()) -> Result<AWSConfiguration, AWSConfigurationError> {
        AWSConfiguration.resolve(environment: ["HOME": "/home/u"].merging(environment) { $1 }, overrides: overrides, readFile: files)
    }

    @Test("environment variables come first, with the session token")
    func environmentCredentials() throws {
        let configuration = try resolve(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "tok", "AWS_REGION": "us-east-2"]).get()
        #expect(configuration.credentials == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "envsecret", sessionToken: "tok"))
        #expect(configuration.region == "us-east-2")
        #expect(configuration.endpoint(for: .cloudWatchLogs) == "https://logs.us-east-2.amazonaws.com")
        #expect(configuration.endpoint(for: .lambda) == "https://lambda.us-east-2.amazonaws.com")
    }

    @Test("the default profile from the shared files, region from the config file")
    func defaultProfile() throws {
        let configuration = try resolve([:]).get()
        #expect(configuration.credentials.accessKeyID == "AKIADEFAULT")
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.credentialSource.contains("profile 'default'"))
    }

    @Test("AWS_PROFILE and --profile pick a profile; --profile wins over environment keys; --region over all")
    func namedProfiles() throws {
        let work = try resolve(["AWS_PROFILE": "work"]).get()
        #expect(work.credentials == AWSCredentials(accessKeyID: "AKIAWORK", secretAccessKey: "worksecret", sessionToken: "worktoken"))
        #expect(work.region == "ap-south-1")
        let flag = try resolve(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "x"], .init(region: "eu-north-1", profile: "work")).get()
        #expect(flag.credentials.accessKeyID == "AKIAWORK")
        #expect(flag.region == "eu-north-1")
        let config = try resolve(["AWS_PROFILE": "keysinconfig"]).get()
        #expect(config.credentials.accessKeyID == "AKIACONFIG")
        #expect(config.region == "sa-east-1")
    }

    @Test("files named by AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE")
    func customFiles() throws {
        let configuration = try AWSConfiguration.resolve(
            environment: ["AWS_SHARED_CREDENTIALS_FILE": "/etc/c", "AWS_CONFIG_FILE": "/etc/k"],
            readFile: { $0 == "/etc/c" ? "[default]\naws_access_key_id=A\naws_secret_access_key=B\n" : $0 == "/etc/k" ? "[default]\nregion=me-south-1\n" : nil }).get()
        #expect(configuration.credentials.accessKeyID == "A")
        #expect(configuration.region == "me-south-1")
    }

    @Test("every problem is reported together")
    func problemsTogether() throws {
        let result = AWSConfiguration.resolve(environment: ["AWS_PROFILE": "missing", "AWS_ENDPOINT_URL": "localhost:4566"], readFile: { _ in nil })
        guard case .failure(let error) = result else { Issue.record("resolved without credentials"); return }
        #expect(error.problems.contains { $0.contains("profile 'missing'") })
        #expect(error.problems.contains { $0.contains("no AWS region") })
        #expect(error.problems.contains { $0.contains("localhost:4566") })
        guard case .failure(let broken) = resolve(["AWS_PROFILE": "broken", "AWS_REGION": "us-east-1"]) else { Issue.record("a profile without a secret resolved"); return }
        #expect(broken.problems == ["profile 'broken' in /home/u/.aws/credentials has aws_access_key_id but no aws_secret_access_key"])
        guard case .failure(let half) = resolve(["AWS_ACCESS_KEY_ID": "AKIA", "AWS_REGION": "us-east-1"]) else { Issue.record("a key id without a secret resolved"); return }
        #expect(half.problems == ["AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"])
    }

    @Test("endpoint overrides: the flag for every service, else the per-service variables, else AWS_ENDPOINT_URL")
    func endpoints() throws {
        let environment = ["AWS_ENDPOINT_URL": "http://127.0.0.1:1/", "AWS_ENDPOINT_URL_LAMBDA": "http://127.0.0.1:2"]
        let variables = try resolve(environment).get()
        #expect(variables.endpoint(for: .cloudWatchLogs) == "http://127.0.0.1:1")
        #expect(variables.endpoint(for: .lambda) == "http://127.0.0.1:2")
        let flag = try resolve(environment, .init(endpointURL: "http://127.0.0.1:3")).get()
        #expect(flag.endpoint(for: .lambda) == "http://127.0.0.1:3")
        #expect(try resolve(["AWS_REGION": "cn-north-1"]).get().endpoint(for: .lambda) == "https://lambda.cn-north-1.amazonaws.com.cn")
    }

    @Test("Lambda function ARNs, with and without a qualifier")
    func functionReference() throws {
        let plain = try #require(LambdaFunctionReference(arn: "arn:aws:lambda:eu-west-1:123456789012:function:sluice"))
        #expect(plain.name == "sluice" && plain.account == "123456789012" && plain.region == "eu-west-1" && plain.qualifier == nil)
        #expect(LambdaFunctionReference(arn: "arn:aws:lambda:eu-west-1:123456789012:function:sluice:live")?.qualifier == "live")
        #expect(LambdaFunctionReference(arn: "arn:aws:logs:eu-west-1:123456789012:log-group:x") == nil)
        #expect(LambdaFunctionReference(arn: "sluice") == nil)
    }
}
