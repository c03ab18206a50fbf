import NIOCore
import NIOHTTP1
import SluicePipeline

/// The Lambda Runtime API (`/2018-06-01/runtime/...`), over one keep-alive connection
/// (``RuntimeAPIConnection``).
///
/// Not AsyncHTTPClient: the emulator's REPORT runs until the next `/next`, so both calls of every
/// invocation count, and the bare connection takes 0.2-0.3 ms off each (scripts/bench-lambda.sh, run
/// alternately with the two builds: a do-nothing invocation 0.82-1.27 ms → 0.55-0.69 ms).
public struct LambdaRuntimeClient: Sendable {
    let base = "/2018-06-01/runtime"
    let connection: RuntimeAPIConnection

    /// `runtimeAPI` is `AWS_LAMBDA_RUNTIME_API` (`host:port`).
    public init(runtimeAPI: String) {
        connection = RuntimeAPIConnection(address: runtimeAPI)
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
        let response: RuntimeAPIConnection.Response
        do {
            response = try await connection.execute(.GET, base + "/invocation/next")
        } catch LambdaRuntimeError.connectionClosed {
            // Once more on a new connection; an event lost with the old one is timed out (and retried) by Lambda.
            response = try await connection.execute(.GET, base + "/invocation/next")
        }
        guard response.status == .ok, let requestID = response.headers.first(name: "Lambda-Runtime-Aws-Request-Id") else {
            throw LambdaRuntimeError.unexpectedAnswer(path: "/invocation/next", status: Int(response.status.code))
        }
        let deadline = response.headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap { Int64($0) } ?? Int64.max
        return Invocation(requestID: requestID, deadlineMs: deadline,
                          invokedFunctionArn: response.headers.first(name: "Lambda-Runtime-Invoked-Function-Arn") ?? "",
                          body: Array(response.body.readableBytesView))
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
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let errorType { headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        let response = try await connection.execute(.POST, base + path, headers: headers, body: ByteBuffer(string: json), timeout: .seconds(10))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw LambdaRuntimeError.unexpectedAnswer(path: path, status: Int(response.status.code))
        }
    }
}

/// The Runtime API answered something the loop cannot go on with, or could not be reached.
public enum LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    case unexpectedAnswer(path: String, status: Int)
    case badAddress(String)
    case connectionClosed
    case timedOut(path: String)
    case requestInFlight
    case answerTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unexpectedAnswer(let path, let status): "the Lambda Runtime API answered \(status) to \(path)"
        case .badAddress(let address): "AWS_LAMBDA_RUNTIME_API \"\(address)\" is not host:port"
        case .connectionClosed: "the Lambda Runtime API closed the connection before answering"
        case .timedOut(let path): "the Lambda Runtime API did not answer \(path) in time"
        case .requestInFlight: "a second Runtime API request was made while one was waiting for its answer"
        case .answerTooLarge(let limit): "the Lambda Runtime API's answer is larger than \(limit >> 20) MB"
        }
    }
}
