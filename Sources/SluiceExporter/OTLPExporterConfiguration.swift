import SluiceTelemetry

/// Where and how the OTLP/HTTP exporter sends: OpenTelemetry's `OTEL_EXPORTER_OTLP_*` variables, with flags
/// over them, validated once with every problem reported together.
public struct OTLPExporterConfiguration: Sendable, Equatable {
    public enum Compression: String, Sendable, CaseIterable {
        case gzip, none
    }

    /// The base URL; each signal's path (`/v1/traces`, ...) is appended.
    public var endpoint: String?
    /// A full URL for one signal, used as given (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, ...).
    public var signalEndpoints: [OTLPSignal: String] = [:]
    /// Sent with every request (authentication, tenancy).
    public var headers: [HTTPHeaderField] = []
    /// Longest wait for one request's answer.
    public var timeout: Duration = .seconds(10)
    public var compression: Compression = .gzip
    /// Most items and bytes in one request.
    public var maxBatchItems = 2048
    public var maxBatchBytes = 4 << 20
    /// Longest time one export may take, retries included; after it, what is left fails.
    public var deadline: Duration = .seconds(60)
    /// First wait before a retry; each retry doubles it, up to `maxBackoff`, with full jitter.
    public var initialBackoff: Duration = .milliseconds(500)
    public var maxBackoff: Duration = .seconds(10)

    public init(endpoint: String? = nil) {
        self.endpoint = endpoint
    }

    /// The URL `signal` is posted to; nil when no endpoint is configured.
    public func url(for signal: OTLPSignal) -> String? {
        if let explicit = signalEndpoints[signal] { return explicit }
        guard var base = endpoint else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base + signal.path
    }

    /// Every problem with these settings; empty when usable.
    public func validate() -> [String] {
        var problems: [String] = []
        if endpoint == nil && signalEndpoints.count < OTLPSignal.allCases.count {
            problems.append("no collector endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT or pass --to URL")
        }
        for signal in OTLPSignal.allCases {
            guard let url = url(for: signal) else { continue }
            if let problem = Self.problem(url: url) { problems.append("the \(signal.rawValue) endpoint \(url) \(problem)") }
        }
        for header in headers where header.name.isEmpty || header.name.contains(where: { $0 == " " || $0 == ":" }) {
            problems.append("header name '\(header.name)' is not a valid HTTP header name")
        }
        if timeout <= .zero { problems.append("the timeout must be positive") }
        if deadline <= .zero { problems.append("the export deadline must be positive") }
        if maxBatchItems < 1 { problems.append("the batch must hold at least one item (got \(maxBatchItems))") }
        if maxBatchBytes < 1024 { problems.append("the batch byte limit must be at least 1024 (got \(maxBatchBytes))") }
        if initialBackoff <= .zero || maxBackoff < initialBackoff { problems.append("the backoff must be positive, and its maximum at least its start") }
        return problems
    }

    static func problem(url: String) -> String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return "is not an http:// or https:// URL" }
        let rest = url.drop(while: { $0 != "/" }).dropFirst(2)
        let host = rest.prefix(while: { $0 != "/" && $0 != "?" })
        if host.isEmpty || host.hasPrefix(":") { return "has no host" }
        return nil
    }

    /// The endpoint without credentials, for messages.
    public var displayTarget: String {
        let url = endpoint ?? signalEndpoints[.traces] ?? "(none)"
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
    }
}

/// One HTTP header, name and value.
public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
