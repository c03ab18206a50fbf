import AsyncHTTPClient
import NIOCore
import SluicePipeline

/// The Lambda Runtime API (`/2018-06-01/runtime/...`), over AsyncHTTPClient.
public struct LambdaRuntimeClient: Sendable {
    let base: String
    let client: HTTPClient

    public init(runtimeAPI: String, client: HTTPClient) {
        base = "http://\(runtimeAPI)/2018-06-01/runtime"
        self.client = client
    }

    /// One invocation handed to the function.
    public struct Invocation: Sendable {
        public var requestID: String
        /// Milliseconds since the epoch by which the function must have answered.
        public var deadlineMs: Int64
        /// The ARN the function was invoked by (with the alias or version, if one was used).
        public var invokedFunctionArn: String
        public var body: [UInt8]
    }

    /// Waits for the next invocation (the Runtime API holds the request until there is one).
    public func next() async throws -> Invocation {
        let response = try await client.execute(HTTPClientRequest(url: base + "/invocation/next"), timeout: .hours(24))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok, let requestID = response.headers.first(name: "Lambda-Runtime-Aws-Request-Id") else {
            throw LambdaRuntimeError.unexpectedAnswer(path: "/invocation/next", status: Int(response.status.code))
        }
        let deadline = response.headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap { Int64($0) } ?? Int64.max
        return Invocation(requestID: requestID, deadlineMs: deadline,
                          invokedFunctionArn: response.headers.first(name: "Lambda-Runtime-Invoked-Function-Arn") ?? "",
                          body: Array(body.readableBytesView))
    }

    public func respond(_ requestID: String, json: String) async throws {
        try await post("/invocation/\(requestID)/response", json: json)
    }

    /// Reports a failed invocation: `{"errorMessage","errorType"}`, so Lambda retries an asynchronous event.
    public func fail(_ requestID: String, errorType: String, message: String) async throws {
        try await post("/invocation/\(requestID)/error", json: Self.errorDocument(errorType, message), errorType: errorType)
    }

    public func failInit(errorType: String, message: String) async throws {
        try await post("/init/error", json: Self.errorDocument(errorType, message), errorType: errorType)
    }

    static func errorDocument(_ type: String, _ message: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("errorMessage"); w.string(message)
        w.key("errorType"); w.string(type)
        w.key("stackTrace"); w.beginArray(); w.endArray()
        w.endObject()
        return w.string
    }

    private func post(_ path: String, json: String, errorType: String? = nil) async throws {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let errorType { request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw LambdaRuntimeError.unexpectedAnswer(path: path, status: Int(response.status.code))
        }
    }
}

/// The Runtime API answered something the loop cannot go on with.
public enum LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    case unexpectedAnswer(path: String, status: Int)

    public var description: String {
        switch self {
        case .unexpectedAnswer(let path, let status): "the Lambda Runtime API answered \(status) to \(path)"
        }
    }
}
