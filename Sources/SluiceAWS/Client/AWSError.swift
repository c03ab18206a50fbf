/// Why a call to AWS failed, with the service, the operation and what AWS said.
public enum AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// AWS answered with an error (`code` as AWS names it, e.g. `ResourceNotFoundException`).
    case service(service: String, operation: String, status: Int, code: String, message: String)
    /// The request did not get an answer (connection refused, DNS, timeout).
    case transport(service: String, operation: String, url: String, problem: String)
    /// AWS answered 2xx with a body Sluice could not read.
    case malformedResponse(service: String, operation: String, problem: String)

    /// The error code AWS gave, if any.
    public var code: String? {
        if case .service(_, _, _, let code, _) = self { return code }
        return nil
    }

    /// The credentials themselves were refused (as opposed to a permission missing for an action).
    public var isAuthenticationFailure: Bool {
        guard let code else { return false }
        return Self.authenticationCodes.contains(code)
    }

    static let authenticationCodes: Set<String> = [
        "SignatureDoesNotMatch", "InvalidSignatureException", "UnrecognizedClientException", "InvalidClientTokenId",
        "IncompleteSignature", "MissingAuthenticationToken", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
    ]

    public var description: String {
        switch self {
        case .service(let service, let operation, let status, let code, let message):
            let said = "\(service) \(operation) failed (HTTP \(status) \(code))" + (message.isEmpty ? "" : ": \(message)")
            if Self.authenticationCodes.contains(code) {
                return "AWS refused the credentials: " + said
                    + " — check the secret access key, the session token and the clock for the access key in use"
            }
            if code == "AccessDeniedException" || code == "AccessDenied" {
                return said + " — the credentials work but lack the permission for \(operation)"
            }
            return said
        case .transport(let service, let operation, let url, let problem):
            return "could not reach \(service) at \(url) for \(operation): \(problem)"
        case .malformedResponse(let service, let operation, let problem):
            return "\(service) answered \(operation) with something Sluice cannot read: \(problem)"
        }
    }
}
