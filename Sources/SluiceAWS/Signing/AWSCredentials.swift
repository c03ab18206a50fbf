/// An access key, with the session token temporary credentials carry.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible {
    /// Never prints the secret: only the key id, as AWS's own tools show it.
    public var description: String { "access key \(accessKeyID)" + (sessionToken == nil ? "" : " (temporary)") }
}
