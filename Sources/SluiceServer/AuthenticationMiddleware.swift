import Hummingbird

/// Lets a request through when it carries the token (`Authorization: Bearer ...`); `/healthz` is open, and
/// `/v1/firehose` checks its own `X-Amz-Firehose-Access-Key`.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let token, path != "/healthz", path != "/v1/firehose" else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "no Authorization header: send 'Authorization: Bearer <token>'")
        }
        guard header.hasPrefix("Bearer "), Secret.matches(String(header.dropFirst("Bearer ".count)), token) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "the bearer token is not the one this server was started with")
        }
        return try await next(request, context)
    }
}
