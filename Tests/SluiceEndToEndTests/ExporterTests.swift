import AsyncHTTPClient
import Foundation
import Logging
import SluiceExporter
import SluicePipeline
import SluiceTelemetry
import Testing

extension EndToEnd {
    /// The OTLP/HTTP exporter against a receiver built on PyPI's opentelemetry-proto, started by each test.
    @Suite("OTLP exporter", .serialized)
    struct ExporterTests {
        static func batch(_ directory: String = "/payloads/data-message") throws -> TelemetryBatch {
            let root = CLI.fixtures + directory
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { throw ServerError("cannot list \(root)") }
            let files = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted().map { root + "/" + $0 }
            var deduplicator = EventDeduplicator()
            var recognizer = Recognizer()
            var builder = TelemetryBatchBuilder()
            for file in files {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
                for message in PayloadDecoder().decode(bytes, source: file).messages {
                    let unique = deduplicator.filter(message)
                    if !unique.events.isEmpty { builder.add(recognizer.recognize(unique)) }
                }
            }
            for message in recognizer.finish() { builder.add(message) }
            var batch = builder.takeBatch()
            batch.spans = builder.takeSpans(keeping: nil)
            return batch
        }

        static func exporter(port: Int, deadline: Duration = .seconds(20), timeout: Duration = .seconds(5), maxItems: Int = 2048,
                             headers: [HTTPHeaderField] = []) -> OTLPHTTPExporter {
            var configuration = OTLPExporterConfiguration(endpoint: "http://127.0.0.1:\(port)")
            configuration.deadline = deadline
            configuration.timeout = timeout
            configuration.initialBackoff = .milliseconds(50)
            configuration.maxBackoff = .milliseconds(400)
            configuration.maxBatchItems = maxItems
            configuration.headers = headers
            return OTLPHTTPExporter(configuration: configuration, client: HTTPClient.shared, logger: Logger(label: "test"))
        }

        static func script(_ port: Int, _ actions: [String]) async throws {
            let body = Array(#"{"script":[\#(actions.map { "\"\($0)\"" }.joined(separator: ","))]}"#.utf8)
            let answer = try await HTTP.request("POST", "http://127.0.0.1:\(port)/control", body: body)
            #expect(answer.status == 200)
        }

        static func received(_ port: Int) async throws -> [JSONValue] {
            let answer = try await HTTP.request("GET", "http://127.0.0.1:\(port)/received")
            return try JSONValue.parse(answer.body).arrayValue ?? []
        }

        @Test("every request parses with the official classes and re-serialises to the same bytes; gzip, headers, bounded batches")
        func byteForByte() async throws {
            let folder = try Servers.scratch("exporter")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let batch = try Self.batch()
            // Generous limits: the receiver parses every request in Python, slowly on a busy machine.
            let report = await Self.exporter(port: port, deadline: .seconds(120), timeout: .seconds(30), maxItems: 50,
                                             headers: [HTTPHeaderField(name: "Authorization", value: "Bearer abc")]).export(batch)
            #expect(report.delivered && report.accepted == batch.itemCount && report.retries == 0, "\(report)")
            let requests = try await Self.received(port)
            #expect(requests.count == report.attempts && requests.count > 10)
            for request in requests {
                #expect(request["byte_exact"]?.boolValue == true, "\(request["path"]?.stringValue ?? "?"): \(request["parse_error"]?.stringValue ?? "bytes differ")")
                #expect(request["headers"]?["content-encoding"]?.stringValue == "gzip")
                #expect(request["headers"]?["content-type"]?.stringValue == "application/x-protobuf")
                #expect(request["headers"]?["authorization"]?.stringValue == "Bearer abc")
            }
            // Spans and logs arrive as sent, in order and bounded; metric requests also carry the derived faas.* points.
            let spans = requests.filter { $0["path"]?.stringValue == "/v1/traces" }.compactMap { $0["items"]?.int64Value }
            #expect(spans.reduce(0, +) == Int64(batch.spans.count) && spans.allSatisfy { $0 <= 50 })
            let logs = requests.filter { $0["path"]?.stringValue == "/v1/logs" }.compactMap { $0["items"]?.int64Value }
            #expect(logs.reduce(0, +) == Int64(batch.environments.count + batch.invocations.count + batch.logs.count))
            // One metrics request (the first) carries the derived window metrics; the rest of the points are the batch's.
            let metricRequests = requests.filter { $0["path"]?.stringValue == "/v1/metrics" }
            let derived = metricRequests.map { request in
                (request["message"]?["resourceMetrics"]?.arrayValue ?? []).flatMap { $0["scopeMetrics"]?.arrayValue ?? [] }
                    .filter { $0["scope"]?["name"]?.stringValue == "sluice.faas" }.flatMap { $0["metrics"]?.arrayValue ?? [] }
            }
            #expect(derived.first?.isEmpty == false && derived.dropFirst().allSatisfy(\.isEmpty))
            let derivedPoints = derived.joined().reduce(0) { count, metric in
                count + ["sum", "gauge", "exponentialHistogram"].reduce(0) { $0 + (metric[$1]?["dataPoints"]?.arrayValue?.count ?? 0) }
            }
            let points = metricRequests.compactMap { $0["items"]?.int64Value }.reduce(0, +)
            #expect(points == Int64(batch.metrics.count + derivedPoints))
            // int64 values are strings in protobuf's JSON mapping.
            let invoked = derived.joined().filter { $0["name"]?.stringValue == "faas.invocations" }
                .flatMap { $0["sum"]?["dataPoints"]?.arrayValue ?? [] }.compactMap { $0["asInt"]?.stringValue.flatMap { Int64($0) } }
            let counted = FunctionRollup.summaries(environments: batch.environments, invocations: batch.invocations).reduce(0) { $0 + $1.invocations }
            #expect(counted > 0 && invoked.reduce(0, +) == Int64(counted))
            let resource = requests.first { $0["path"]?.stringValue == "/v1/traces" }?["message"]?["resourceSpans"]?[0]?["resource"]?["attributes"]?.arrayValue ?? []
            let keys = Set(resource.compactMap { $0["key"]?.stringValue })
            #expect(keys.isSuperset(of: ["cloud.provider", "cloud.platform", "faas.name", "aws.log.group.names"]))
        }

        @Test("503, 429 with Retry-After, a reset connection and a slow answer are retried until the collector takes it")
        func retries() async throws {
            let folder = try Servers.scratch("exporter")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            try await Self.script(port, ["503", "429:1", "reset", "slow:3"])
            var batch = try Self.batch()
            batch = TelemetryBatch(spans: batch.spans)
            let clock = ContinuousClock()
            let started = clock.now
            let report = await Self.exporter(port: port, timeout: .seconds(1)).export(batch)
            let elapsed = started.duration(to: clock.now)
            #expect(report.delivered && report.accepted == batch.itemCount, "\(report)")
            #expect(report.retries == 4 && report.attempts == 5)
            #expect(elapsed >= .seconds(1), "Retry-After: 1 was honoured")
            let actions = try await Self.received(port).compactMap { $0["action"]?.stringValue }
            #expect(actions == ["503", "429:1", "reset", "slow:3", "ok"])
        }

        @Test("a collector that refuses connections is retried; once it listens, the export completes")
        func refusedThenRecovers() async throws {
            let folder = try Servers.scratch("exporter")
            let port = try Servers.freePort()
            let batch = TelemetryBatch(spans: try Self.batch().spans)
            let nobody = await Self.exporter(port: port, deadline: .seconds(1)).export(batch)
            #expect(nobody.failed == batch.itemCount && nobody.accepted == 0)
            guard case .deadlineExceeded(_, let url, _, let last)? = nobody.errors.first else { Issue.record("\(nobody.errors)"); return }
            #expect(url == "http://127.0.0.1:\(port)/v1/traces" && !last.isEmpty)

            let clock = ContinuousClock()
            let started = clock.now
            async let report = Self.exporter(port: port, deadline: .seconds(20)).export(batch)
            try await Task.sleep(for: .milliseconds(1500))
            let (receiver, _) = try Servers.receiver(port: port, folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let result = await report
            #expect(result.delivered && result.accepted == batch.itemCount, "\(result)")
            #expect(started.duration(to: clock.now) >= .milliseconds(1500))
            // Delivered once: however the connection was retried, the receiver saw one request.
            #expect(try await Self.received(port).count == 1)
        }

        @Test("a permanent 4xx is not retried; partial_success is counted as rejected; the deadline ends the retries with the collector's last answer")
        func failures() async throws {
            let folder = try Servers.scratch("exporter")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let spans = TelemetryBatch(spans: try Self.batch().spans)

            try await Self.script(port, ["400"])
            let refused = await Self.exporter(port: port).export(spans)
            #expect(refused.rejected == spans.itemCount && refused.retries == 0)
            guard case .rejected(_, _, 400, let body)? = refused.errors.first else { Issue.record("\(refused.errors)"); return }
            #expect(body.contains("refused for the test"))

            try await Self.script(port, ["partial:3"])
            let partial = await Self.exporter(port: port).export(spans)
            #expect(partial.rejected == 3 && partial.accepted == spans.itemCount - 3)
            #expect(partial.errors == [.partiallyRejected(signal: "traces", rejected: 3, message: "some items refused for the test")])

            try await Self.script(port, Array(repeating: "503", count: 200))
            let late = await Self.exporter(port: port, deadline: .milliseconds(800)).export(spans)
            #expect(late.failed == spans.itemCount && late.accepted == 0 && late.retries >= 1)
            guard case .deadlineExceeded(let signal, _, let attempts, let last)? = late.errors.first else { Issue.record("\(late.errors)"); return }
            #expect(signal == "traces" && attempts >= 2 && last == "HTTP 503", "\(late.errors)")
            #expect(late.errors[0].description.contains("after \(attempts) attempts"))

            // The deadline running out while the collector is still answering is not the collector's problem:
            // the last answer it gave is what the report names.
            try await Self.script(port, ["503", "slow:4"])
            let cut = await Self.exporter(port: port, deadline: .milliseconds(1500)).export(spans)
            guard case .deadlineExceeded(_, _, let cutAttempts, let cutLast)? = cut.errors.first else { Issue.record("\(cut.errors)"); return }
            #expect(cutAttempts == 2 && cutLast == "HTTP 503", "\(cut.errors)")
        }
    }
}
