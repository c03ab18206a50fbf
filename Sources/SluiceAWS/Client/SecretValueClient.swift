import FoundationEssentials

/// Reads one secret value from Secrets Manager (`GetSecretValue`) or SSM Parameter Store (`GetParameter`
/// with decryption), named by its ARN.
public struct SecretValueClient: Sendable {
    let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// Where a secret lives.
    public enum Reference: Sendable, Equatable, CustomStringConvertible {
        case secretsManager(arn: String)
        case parameter(arn: String)

        /// Nil when `arn` names neither a Secrets Manager secret nor an SSM parameter.
        public init?(arn: String) {
            let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty, !parts[4].isEmpty else { return nil }
            if parts[2] == "secretsmanager" && parts[5].hasPrefix("secret:") && parts[5].count > 7 {
                self = .secretsManager(arn: arn)
            } else if parts[2] == "ssm" && parts[5].hasPrefix("parameter/") && parts[5].count > 10 {
                self = .parameter(arn: arn)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .secretsManager(let arn): "Secrets Manager secret \(arn)"
            case .parameter(let arn): "SSM parameter \(arn)"
            }
        }
    }

    /// The secret's text (a Secrets Manager `SecretString`, an SSM parameter's decrypted value).
    public func value(of reference: Reference) async throws(AWSError) -> String {
        switch reference {
        case .secretsManager(let arn):
            struct Response: Decodable { var SecretString: String? }
            struct Request: Encodable { var SecretId: String }
            let body = try Self.encode(Request(SecretId: arn), operation: "GetSecretValue")
            let answer = try await client.jsonCall(.secretsManager, targetPrefix: "secretsmanager", operation: "GetSecretValue", body: body)
            guard let text = try? JSONDecoder().decode(Response.self, from: Data(answer)).SecretString else {
                throw .malformedResponse(service: "secretsmanager", operation: "GetSecretValue", problem: "no SecretString (a binary secret cannot hold headers)")
            }
            return text
        case .parameter(let arn):
            struct Response: Decodable {
                struct Parameter: Decodable { var Value: String }
                var Parameter: Parameter
            }
            struct Request: Encodable {
                var Name: String
                var WithDecryption = true
            }
            let body = try Self.encode(Request(Name: arn), operation: "GetParameter")
            let answer = try await client.jsonCall(.systemsManager, targetPrefix: "AmazonSSM", operation: "GetParameter", body: body)
            guard let value = try? JSONDecoder().decode(Response.self, from: Data(answer)).Parameter.Value else {
                throw .malformedResponse(service: "ssm", operation: "GetParameter", problem: "no Parameter.Value in the answer")
            }
            return value
        }
    }

    static func encode(_ request: some Encodable, operation: String) throws(AWSError) -> [UInt8] {
        do { return Array(try JSONEncoder().encode(request)) } catch {
            throw .malformedResponse(service: "secrets", operation: operation, problem: "could not encode the request: \(error)")
        }
    }
}
