import FoundationEssentials

/// The Lambda operations subscribing needs: the resource policy that lets CloudWatch Logs invoke the
/// consumer (REST-JSON, API version 2015-03-31).
public struct LambdaAPIClient: Sendable {
    let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// One statement to add: `principal` may call `action` on the function, from `sourceArn` only.
    public struct Permission: Sendable, Equatable, Encodable {
        public var statementID: String
        public var action = "lambda:InvokeFunction"
        public var principal: String
        public var sourceArn: String?
        public var sourceAccount: String?

        public init(statementID: String, principal: String, sourceArn: String?, sourceAccount: String?) {
            self.statementID = statementID
            self.principal = principal
            self.sourceArn = sourceArn
            self.sourceAccount = sourceAccount
        }

        enum CodingKeys: String, CodingKey {
            case statementID = "StatementId", action = "Action", principal = "Principal", sourceArn = "SourceArn", sourceAccount = "SourceAccount"
        }
    }

    /// Adds the statement; AWS answers `ResourceConflictException` when a statement with its id exists.
    public func addPermission(function: LambdaFunctionReference, _ permission: Permission) async throws(AWSError) {
        let body: [UInt8]
        do { body = Array(try JSONEncoder().encode(permission)) } catch {
            throw .malformedResponse(service: "lambda", operation: "AddPermission", problem: "could not encode the request: \(error)")
        }
        _ = try await client.restCall(.lambda, operation: "AddPermission", method: "POST", path: function.policyPath, query: function.qualifierQuery, body: body)
    }

    /// Removes one statement; AWS answers `ResourceNotFoundException` when there is none with that id.
    public func removePermission(function: LambdaFunctionReference, statementID: String) async throws(AWSError) {
        _ = try await client.restCall(.lambda, operation: "RemovePermission", method: "DELETE",
                                      path: function.policyPath + "/" + SigV4Signer.percentEncoded(statementID), query: function.qualifierQuery)
    }
}

/// A Lambda function named by its ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`).
public struct LambdaFunctionReference: Sendable, Equatable {
    public var partition: String
    public var region: String
    public var account: String
    public var name: String
    public var qualifier: String?

    /// Nil when `arn` is not a Lambda function's ARN.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 7 || parts.count == 8, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function",
              !parts[3].isEmpty, !parts[4].isEmpty, !parts[6].isEmpty else { return nil }
        partition = parts[1]
        region = parts[3]
        account = parts[4]
        name = parts[6]
        qualifier = parts.count == 8 ? parts[7] : nil
    }

    var policyPath: String { "/2015-03-31/functions/\(SigV4Signer.percentEncoded(name))/policy" }
    var qualifierQuery: String { qualifier.map { "Qualifier=\(SigV4Signer.percentEncoded($0))" } ?? "" }
}
