import SluiceExporter
import SluiceTelemetry
import Testing

extension EndToEnd {
    @Suite("exporter configuration and retry policy")
    struct ExporterConfigurationTests {
        @Test("OpenTelemetry's variables: base endpoint plus signal paths, per-signal URLs, headers, timeout, compression")
        func environment() {
            let (configuration, problems) = OTLPExporterConfiguration.fromEnvironment([
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/",
                "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://logs:9000/ingest",
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20abc, x-tenant = blue",
                "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
                "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            ])
            #expect(problems.isEmpty)
            #expect(configuration.url(for: .traces) == "http://collector:4318/v1/traces")
            #expect(configuration.url(for: .logs) == "http://logs:9000/ingest")
            #expect(configuration.headers == [HTTPHeaderField(name: "Authorization", value: "Bearer abc"), HTTPHeaderField(name: "x-tenant", value: "blue")])
            #expect(configuration.timeout == .milliseconds(2500))
            #expect(configuration.compression == .none)
            #expect(configuration.validate().isEmpty)
        }

        @Test("every problem is reported at once, naming the variable")
        func problems() {
            let (configuration, problems) = OTLPExporterConfiguration.fromEnvironment([
                "OTEL_EXPORTER_OTLP_HEADERS": "novalue", "OTEL_EXPORTER_OTLP_TIMEOUT": "soon", "OTEL_EXPORTER_OTLP_COMPRESSION": "zstd",
                "SLUICE_EXPORT_DEADLINE": "never",
            ])
            #expect(problems.count == 4)
            // The protocol, checked where the endpoints come from the environment (the Lambda consumer).
            let protocols = OTLPExporterConfiguration.protocolProblems([
                "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/protobuf",
            ])
            #expect(protocols.count == 2 && protocols.contains { $0.hasPrefix("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported") && $0.contains("4318") }
                    && protocols.contains { $0.hasPrefix("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/json") }, "\(protocols)")
            #expect(OTLPExporterConfiguration.protocolProblems(["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]).isEmpty)
            #expect(problems.contains { $0.hasPrefix("OTEL_EXPORTER_OTLP_HEADERS") } && problems.contains { $0.hasPrefix("SLUICE_EXPORT_DEADLINE") })
            #expect(configuration.validate().contains { $0.contains("no collector endpoint") })
            var bad = OTLPExporterConfiguration(endpoint: "ftp://x")
            bad.maxBatchItems = 0
            #expect(bad.validate().count == 4)
        }

        @Test("429 and 5xx retry, other 4xx are permanent; backoff doubles to its cap, with jitter, never under Retry-After")
        func retryPolicy() {
            #expect(RetryPolicy.outcome(status: 200) == .delivered)
            #expect([429, 500, 502, 503, 504].allSatisfy { RetryPolicy.outcome(status: $0) == .retry })
            #expect([400, 401, 403, 404, 413].allSatisfy { RetryPolicy.outcome(status: $0) == .permanent })
            let policy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))
            #expect(policy.delay(attempt: 1, jitter: 1, retryAfter: nil) == .milliseconds(100))
            #expect(policy.delay(attempt: 3, jitter: 1, retryAfter: nil) == .milliseconds(400))
            #expect(policy.delay(attempt: 30, jitter: 1, retryAfter: nil) == .seconds(1))
            #expect(policy.delay(attempt: 3, jitter: 0.5, retryAfter: nil) == .milliseconds(200))
            #expect(policy.delay(attempt: 1, jitter: 0, retryAfter: .seconds(7)) == .seconds(7))
            #expect(RetryPolicy.retryAfter("3") == .seconds(3))
            #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        }
    }
}
