import SluiceTelemetry

/// `sluice serve`'s settings: flags over `SLUICE_*` variables, validated once with every problem reported.
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    /// 4318, OTLP/HTTP's port; 0 asks the system for a free one (the address is printed when listening).
    public var port = 4318
    /// Clients send `Authorization: Bearer <token>`; nil lets anyone on the network in.
    public var token: String?
    /// Kinesis Data Firehose sends it as `X-Amz-Firehose-Access-Key`; the token is accepted there too.
    public var firehoseAccessKey: String?
    /// Largest request body taken (after which the answer is 413).
    public var maxBodyBytes = 16 << 20

    public init() {}

    /// Applies `SLUICE_TOKEN`, `SLUICE_FIREHOSE_ACCESS_KEY`, `SLUICE_LISTEN` and `SLUICE_MAX_BODY_BYTES`.
    public static func fromEnvironment(_ environment: [String: String], base: ServerConfiguration = ServerConfiguration()) -> (ServerConfiguration, [String]) {
        var configuration = base
        var problems: [String] = []
        if let token = environment["SLUICE_TOKEN"], !token.isEmpty { configuration.token = token }
        if let key = environment["SLUICE_FIREHOSE_ACCESS_KEY"], !key.isEmpty { configuration.firehoseAccessKey = key }
        if let listen = environment["SLUICE_LISTEN"] {
            if let problem = configuration.setListen(listen) { problems.append("SLUICE_LISTEN: \(problem)") }
        }
        if let text = environment["SLUICE_MAX_BODY_BYTES"] {
            if let value = Int(text) { configuration.maxBodyBytes = value } else { problems.append("SLUICE_MAX_BODY_BYTES=\(text) is not a number") }
        }
        return (configuration, problems)
    }

    /// Reads `HOST:PORT`; returns the problem, if any.
    public mutating func setListen(_ text: String) -> String? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return "'\(text)' is not HOST:PORT with a port from 0 to 65535"
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { return "'\(text)' has no host" }
        self.host = host
        self.port = port
        return nil
    }

    public func validate() -> [String] {
        var problems: [String] = []
        if maxBodyBytes < 1024 { problems.append("the body limit must be at least 1024 bytes (got \(maxBodyBytes))") }
        if let token, token.count < 8 { problems.append("the token is too short to protect anything (at least 8 characters)") }
        if let key = firehoseAccessKey, key.count < 8 { problems.append("the Firehose access key is too short (at least 8 characters)") }
        return problems
    }
}
