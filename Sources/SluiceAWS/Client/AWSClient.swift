import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// Signed HTTP calls to AWS: the AWS JSON 1.1 protocol (CloudWatch Logs) and REST-JSON (Lambda).
public struct AWSClient: Sendable {
    public let configuration: AWSConfiguration
    let http: HTTPClient
    /// Seconds since 1970, for the signature's date.
    let now: @Sendable () -> Int64
    let timeout: TimeAmount

    /// `now` gives seconds since 1970 for the signatures; `timeout` bounds each call.
    public init(configuration: AWSConfiguration, http: HTTPClient, now: @escaping @Sendable () -> Int64, timeout: TimeAmount = .seconds(30)) {
        self.configuration = configuration
        self.http = http
        self.now = now
        self.timeout = timeout
    }

    /// An AWS JSON 1.1 call: `POST /` with `X-Amz-Target: <targetPrefix>.<operation>`.
    public func jsonCall(_ service: AWSService, targetPrefix: String, operation: String, body: [UInt8]) async throws(AWSError) -> [UInt8] {
        try await send(service, operation: operation, method: "POST", path: "/", query: "",
                       headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "\(targetPrefix).\(operation)")], body: body)
    }

    /// A REST-JSON call; `path` and `query` already percent-encoded.
    public func restCall(_ service: AWSService, operation: String, method: String, path: String, query: String = "", body: [UInt8] = []) async throws(AWSError) -> [UInt8] {
        try await send(service, operation: operation, method: method, path: path, query: query,
                       headers: body.isEmpty ? [] : [("Content-Type", "application/json")], body: body)
    }

    func send(_ service: AWSService, operation: String, method: String, path: String, query: String,
              headers: [(String, String)], body: [UInt8]) async throws(AWSError) -> [UInt8] {
        let base = configuration.endpoint(for: service)
        guard let url = URL(string: base), let host = url.host, let scheme = url.scheme else {
            throw .transport(service: service.rawValue, operation: operation, url: base, problem: "the endpoint is not a URL")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostHeader = url.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        let basePath = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        let fullPath = basePath + path
        var signed: [(name: String, value: String)] = [("Host", hostHeader)]
        signed += headers.map { (name: $0.0, value: $0.1) }
        let signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: service.rawValue)
        let signature = signer.sign(SigV4Signer.Request(method: method, path: fullPath, query: query, headers: signed, body: body), at: now())

        let target = "\(scheme)://\(hostHeader)\(fullPath)" + (query.isEmpty ? "" : "?\(query)")
        var request = HTTPClientRequest(url: target)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in signed + signature.headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "sluice")
        if !body.isEmpty || method == "POST" || method == "PUT" { request.body = .bytes(ByteBuffer(bytes: body)) }

        let status: Int
        let answer: [UInt8]
        let errorTypeHeader: String?
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            errorTypeHeader = response.headers.first(name: "x-amzn-ErrorType")
            answer = Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        } catch {
            throw .transport(service: service.rawValue, operation: operation, url: target, problem: "\(error)")
        }
        guard (200..<300).contains(status) else {
            let (code, message) = Self.errorDetails(body: answer, errorTypeHeader: errorTypeHeader)
            throw .service(service: service.rawValue, operation: operation, status: status, code: code ?? "HTTP\(status)", message: message)
        }
        return answer
    }

    /// The error code and message from any of the forms AWS answers in: the `x-amzn-ErrorType` header,
    /// JSON `__type`/`code`/`Type` and `message`/`Message`, or XML `<Code>` and `<Message>`.
    static func errorDetails(body: [UInt8], errorTypeHeader: String?) -> (String?, String) {
        var code = errorTypeHeader.map { String($0.split(separator: ":").first ?? "") }
        var message = ""
        if let object = try? ErrorBody.members(body) {
            if code == nil || code == "" {
                code = (object["__type"] ?? object["code"] ?? object["Code"] ?? object["Type"]).map { String($0.split(separator: "#").last ?? "") }
            }
            message = object["message"] ?? object["Message"] ?? object["errorMessage"] ?? ""
        } else {
            let text = String(decoding: body, as: UTF8.self)
            if code == nil || code == "" { code = Self.element("Code", in: text) }
            message = Self.element("Message", in: text) ?? ""
        }
        return (code.flatMap { $0.isEmpty ? nil : $0 }, message)
    }

    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }
}

/// The string members of an AWS error body (small, off the hot path: JSONDecoder is fine here).
enum ErrorBody {
    struct StringMembers: Decodable {
        var values: [String: String] = [:]
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if let value = try? container.decode(String.self, forKey: key) { values[key.stringValue] = value }
            }
        }
    }

    static func members(_ bytes: [UInt8]) throws -> [String: String] {
        try JSONDecoder().decode(StringMembers.self, from: Data(bytes)).values
    }
}
