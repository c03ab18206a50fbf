import SluiceTelemetry

extension OTLPExporterConfiguration {
    /// Reads OpenTelemetry's exporter variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `..._TRACES_ENDPOINT` and the
    /// other signals, `..._HEADERS`, `..._TIMEOUT` in milliseconds, `..._COMPRESSION`) and
    /// `SLUICE_EXPORT_DEADLINE` (a duration such as `60s`); returns the result and every value that could
    /// not be read.
    public static func fromEnvironment(_ environment: [String: String], base: OTLPExporterConfiguration = OTLPExporterConfiguration()) -> (OTLPExporterConfiguration, [String]) {
        var configuration = base
        var problems: [String] = []
        if let endpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !endpoint.isEmpty { configuration.endpoint = endpoint }
        for signal in OTLPSignal.allCases {
            if let url = environment["OTEL_EXPORTER_OTLP_\(signal.rawValue.uppercased())_ENDPOINT"], !url.isEmpty {
                configuration.signalEndpoints[signal] = url
            }
        }
        if let text = environment["OTEL_EXPORTER_OTLP_HEADERS"], !text.isEmpty {
            switch parseHeaders(text) {
            case .success(let headers): configuration.headers = headers
            case .failure(let problem): problems.append("OTEL_EXPORTER_OTLP_HEADERS: \(problem.message)")
            }
        }
        if let text = environment["OTEL_EXPORTER_OTLP_TIMEOUT"] {
            if let ms = Int64(text), ms > 0 { configuration.timeout = .milliseconds(ms) } else {
                problems.append("OTEL_EXPORTER_OTLP_TIMEOUT=\(text) is not a positive number of milliseconds")
            }
        }
        if let text = environment["OTEL_EXPORTER_OTLP_COMPRESSION"] {
            if let value = Compression(rawValue: text) { configuration.compression = value } else {
                problems.append("OTEL_EXPORTER_OTLP_COMPRESSION=\(text) is not one of gzip, none")
            }
        }
        if let text = environment["SLUICE_EXPORT_DEADLINE"] {
            if let ms = DurationText.milliseconds(text) { configuration.deadline = .milliseconds(ms) } else {
                problems.append("SLUICE_EXPORT_DEADLINE=\(text) is not a duration such as 60s or 5m")
            }
        }
        return (configuration, problems)
    }

    /// `OTEL_EXPORTER_OTLP_PROTOCOL` and its per-signal forms set to anything but `http/protobuf`, the only
    /// protocol Sluice sends, for a configuration whose endpoints come from the environment: written for an
    /// SDK that speaks gRPC or JSON, those variables point at a port that does not take what Sluice sends,
    /// and every export would fail with a less telling error. (`replay --to` names its URL itself.)
    public static func protocolProblems(_ environment: [String: String]) -> [String] {
        (["OTEL_EXPORTER_OTLP_PROTOCOL"] + OTLPSignal.allCases.map { "OTEL_EXPORTER_OTLP_\($0.rawValue.uppercased())_PROTOCOL" }).compactMap { name in
            guard let text = environment[name], !text.isEmpty, text != "http/protobuf" else { return nil }
            return "\(name)=\(text) is not supported: Sluice sends OTLP over HTTP as protobuf (http/protobuf), to the collector's "
                + "OTLP/HTTP port (4318 by default, not gRPC's 4317)"
        }
    }

    public struct HeaderProblem: Error, Sendable, Equatable {
        public var message: String
    }

    /// `name=value,name=value`, values percent-decoded (W3C Baggage's format, as OpenTelemetry specifies).
    public static func parseHeaders(_ text: String) -> Result<[HTTPHeaderField], HeaderProblem> {
        var headers: [HTTPHeaderField] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = entry.firstIndex(of: "=") else {
                return .failure(HeaderProblem(message: "'\(entry)' is not name=value"))
            }
            let name = entry[..<equals].trimmingSpaces
            guard !name.isEmpty else { return .failure(HeaderProblem(message: "'\(entry)' has no header name")) }
            guard let value = percentDecoded(entry[entry.index(after: equals)...].trimmingSpaces) else {
                return .failure(HeaderProblem(message: "the value of \(name) has a bad %-escape"))
            }
            headers.append(HTTPHeaderField(name: String(name), value: value))
        }
        return .success(headers)
    }

    /// `Name: value`, as `--header` takes it.
    public static func parseHeaderFlag(_ text: String) -> HTTPHeaderField? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingSpaces
        guard !name.isEmpty else { return nil }
        return HTTPHeaderField(name: String(name), value: String(text[text.index(after: colon)...].trimmingSpaces))
    }

    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
