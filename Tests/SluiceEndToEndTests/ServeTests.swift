import Foundation
import SluicePipeline
import Testing

extension EndToEnd {
    /// `sluice serve` as users run it: started by the test on a free loopback port, fed by `sluice replay --to`
    /// and by HTTP requests, asked through its query API.
    @Suite("serve", .serialized)
    struct ServeTests {
        static let token = "test-token-0123456789"
        static var auth: [(String, String)] { [("Authorization", "Bearer \(token)")] }

        /// The functions `replay --no-store --format json` computes for `paths`.
        static func expectedFunctions(_ paths: [String]) throws -> JSONValue {
            let result = try CLI.run(["replay"] + paths + ["--no-store", "--format", "json", "--no-progress"])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try result.json()["functions"])
        }

        static func apiFunctions(_ port: Int) async throws -> JSONValue {
            let answer = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/functions", headers: auth)
            #expect(answer.status == 200, "\(answer.text)")
            return try #require(try JSONValue.parse(answer.body)["functions"])
        }

        /// Per-function figures agree: counts exactly, sums within 1e-9 relative (the store adds in another order).
        static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case (.number(let x), .number(let y)):
                let (p, q) = (x.doubleValue, y.doubleValue)
                return p == q || abs(p - q) <= 1e-9 * max(1, abs(p))
            case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
            case (.object(let x), .object(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && same($0.value, $1.value) }
            default: return a == b
            }
        }

        @Test("replay --to serve stores what a local replay computes; a second replay stores nothing twice; the query API answers")
        func replayIntoServe() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db", "--token", Self.token], folder: folder)
            defer { serve.stop() }
            let fixtures = CLI.fixtures + "/payloads"
            for round in 1...2 {
                let result = try CLI.run(["replay", fixtures, "--to", "http://127.0.0.1:\(port)", "--header", "Authorization: Bearer \(Self.token)",
                                          "--format", "json", "--no-progress", "--sample-fraction", "1"])
                #expect(result.status == 0, "round \(round): \(result.stderr)")
                let delivery = try #require(try result.json()["delivery"])
                #expect(delivery["failed"]?.int64Value == 0 && (delivery["stored"]?.int64Value ?? 0) > 1000)
            }
            #expect(Self.same(try await Self.apiFunctions(port), try Self.expectedFunctions([fixtures])))

            let traces = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/traces?errors=true&slowest=50", headers: Self.auth).body)
            let failed = try #require(traces["traces"]?.arrayValue)
            #expect(!failed.isEmpty && failed.allSatisfy { ($0["error_spans"]?.int64Value ?? 0) > 0 })
            let id = try #require(failed.first?["trace_id"]?.stringValue)
            let trace = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/traces/\(id)", headers: Self.auth).body)
            let spans = try #require(trace["spans"]?.arrayValue)
            #expect(spans.count == Int(trace["trace"]?["spans"]?.int64Value ?? -1) && spans.count == Int(failed.first?["spans"]?.int64Value ?? -2))
            let logs = trace["logs"]?.arrayValue ?? []
            #expect(logs.count > 0, "a failed trace keeps its log records")
            let map = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/service-map", headers: Self.auth).body)
            let edges = map["service_map"]?.arrayValue ?? []
            #expect(edges.count > 0)
            let metric = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/metrics/ItemsInCart", headers: Self.auth).body)
            #expect((metric["series"]?.arrayValue ?? []).contains { $0["source"]?.stringValue == "emf" })

            let missing = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/traces/\(String(repeating: "0", count: 32))", headers: Self.auth)
            #expect(missing.status == 404)
            let badSince = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/functions?since=soon", headers: Self.auth)
            #expect(badSince.status == 400 && badSince.text.contains("since=soon"))
            // A window whose milliseconds pass Int64 trapped, and stopped the server.
            let hugeWindow = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/metrics/ItemsInCart?window_seconds=9223372036854775807", headers: Self.auth)
            #expect(hugeWindow.status == 400 && hugeWindow.text.contains("window_seconds=9223372036854775807 is not a whole number from 1 to 4611686018"))
            // So did a `since` further back than a time in nanoseconds holds.
            let longAgo = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/service-map?since=9223372036854775807ms", headers: Self.auth)
            #expect(longAgo.status == 400 && longAgo.text.contains("since=9223372036854775807ms is not a duration"))
            #expect(try await HTTP.request("GET", "http://127.0.0.1:\(port)/healthz").status == 200)
        }

        @Test("authentication: no token and a wrong token are refused with a message; /healthz stays open")
        func authentication() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db"], folder: folder, environment: ["SLUICE_TOKEN": Self.token])
            defer { serve.stop() }
            #expect(try await HTTP.request("GET", "http://127.0.0.1:\(port)/healthz").status == 200)
            let none = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: [], headers: [("Content-Type", "application/x-protobuf")])
            #expect(none.status == 401 && none.text.contains("Authorization"))
            let wrong = try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/functions", headers: [("Authorization", "Bearer nope-nope-nope")])
            #expect(wrong.status == 401 && wrong.text.contains("not the one"))
            let replay = try CLI.run(["replay", CLI.fixtures + "/payloads/data-message/thundra.json", "--to", "http://127.0.0.1:\(port)",
                                      "--format", "json", "--no-progress"], environment: ["SLUICE_EXPORT_DEADLINE": "5s"])
            #expect(replay.status == 1)
            #expect(replay.stderr.contains("HTTP 401"), "\(replay.stderr)")
        }

        @Test("OTLP/JSON with hex ids, gzip or not; bad bodies get 4xx naming what is wrong")
        func otlpJSON() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db", "--max-body-bytes", "65536"], folder: folder)
            defer { serve.stop() }
            let traceID = "5b8efff798038103d269b633813fc60c"
            let document = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
                 "scopeSpans":[{"scope":{"name":"manual"},"spans":[
                  {"traceId":"\(traceID)","spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,
                   "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000","status":{"code":2,"message":"boom"}},
                  {"traceId":"\(traceID)","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174","name":"SELECT","kind":3,
                   "startTimeUnixNano":"1544712660100000000","endTimeUnixNano":"1544712660300000000",
                   "attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}}]}]}]}]}
                """
            let plain = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: Array(document.utf8), headers: [("Content-Type", "application/json")])
            #expect(plain.status == 200 && plain.text.hasPrefix("{"), "\(plain.text)")
            let gzipped = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: GzipEncoder.compress(Array(document.utf8)),
                                                 headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
            #expect(gzipped.status == 200)
            let trace = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/traces/\(traceID)").body)
            let spans = try #require(trace["spans"]?.arrayValue)
            #expect(spans.count == 2, "sent twice, stored once")
            #expect(spans.map { $0["name"]?.stringValue } == ["GET /cart", "SELECT"])
            #expect(spans[1]["parent_span_id"]?.stringValue == "eee19b7ec3c1b174")
            #expect(trace["trace"]?["function"]?.stringValue == "checkout" && trace["trace"]?["error"]?.boolValue == true)
            let map = try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/service-map").body)
            #expect(map["service_map"]?[0]?["to"]?.stringValue == "postgresql")

            let notJSON = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/logs", body: Array("{\"resourceLogs\":[".utf8), headers: [("Content-Type", "application/json")])
            #expect(notJSON.status == 400 && notJSON.text.contains("logs") && notJSON.text.contains("JSON"))
            let garbage = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/metrics", body: [0xFF, 0xFF, 0xFF], headers: [("Content-Type", "application/x-protobuf")])
            #expect(garbage.status == 400 && garbage.text.contains("protobuf"))
            let text = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: Array("hi".utf8), headers: [("Content-Type", "text/plain")])
            #expect(text.status == 415 && text.text.contains("x-protobuf") && text.text.contains("text"))
            let big = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: Array(repeating: 0x20, count: 200_000), headers: [("Content-Type", "application/json")])
            #expect(big.status == 413 && big.text.contains("65536"))
            let badID = document.replacingOccurrences(of: "eee19b7ec3c1b175", with: "eee1")
            let partial = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/traces", body: Array(badID.utf8), headers: [("Content-Type", "application/json")])
            let answer = try JSONValue.parse(partial.body)
            #expect(partial.status == 200 && answer["partialSuccess"]?["rejectedSpans"]?.stringValue == "1", "\(partial.text)")
            #expect(answer["partialSuccess"]?["errorMessage"]?.stringValue?.contains("span id has 2 bytes") == true)
        }

        @Test("raw CloudWatch payloads and the Firehose HTTP endpoint protocol, with its access key")
        func cloudWatchAndFirehose() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db", "--firehose-access-key", "firehose-key-123"], folder: folder)
            defer { serve.stop() }
            let event = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/payloads/data-message/platform-text.json")))
            let posted = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/cloudwatch-logs", body: event)
            let summary = try JSONValue.parse(posted.body)
            #expect(posted.status == 200 && (summary["events"]?.int64Value ?? 0) > 0 && (summary["stored"]?.int64Value ?? 0) > 0, "\(posted.text)")
            let bad = try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/cloudwatch-logs", body: Array(#"{"awslogs":{"data":"%%%"}}"#.utf8))
            #expect(bad.status == 400 && bad.text.contains("invalid_base64") && bad.text.contains("awslogs.data"))

            // What Firehose posts: its records are the gzip DATA_MESSAGEs CloudWatch Logs gave it.
            let firehoseEvent = try JSONValue.parse(try [UInt8](Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/payloads/firehose/thundra.json"))))
            let records = try #require(firehoseEvent["records"]?.arrayValue).compactMap { $0["data"]?.stringValue }
            let body = #"{"requestId":"ed4acda5-034f-9f42-bba1-f29aea6d7d8f","timestamp":1795305600000,"records":["# + records.map { #"{"data":"\#($0)"}"# }.joined(separator: ",") + "]}"
            func deliver(key: String) async throws -> HTTP.Answer {
                try await HTTP.request("POST", "http://127.0.0.1:\(port)/v1/firehose", body: Array(body.utf8), headers: [
                    ("Content-Type", "application/json"), ("X-Amz-Firehose-Request-Id", "ed4acda5-034f-9f42-bba1-f29aea6d7d8f"),
                    ("X-Amz-Firehose-Access-Key", key), ("X-Amz-Firehose-Protocol-Version", "1.0")])
            }
            let refused = try await deliver(key: "wrong-key-0000")
            let refusal = try JSONValue.parse(refused.body)["errorMessage"]?.stringValue ?? ""
            #expect(refused.status == 401 && refusal.contains("Access-Key"))
            let accepted = try await deliver(key: "firehose-key-123")
            let answer = try JSONValue.parse(accepted.body)
            #expect(accepted.status == 200 && answer["requestId"]?.stringValue == "ed4acda5-034f-9f42-bba1-f29aea6d7d8f" && answer["timestamp"]?.int64Value != nil)
            #expect(answer["errorMessage"] == nil)
            let functions = try #require(try JSONValue.parse(try await HTTP.request("GET", "http://127.0.0.1:\(port)/api/functions").body)["functions"]?.arrayValue)
            let names = Set(functions.compactMap { $0["function"]?.stringValue })
            #expect(names.isSuperset(of: ["platform-text-fixture", "thundra-fixture"]))
        }

        @Test("a collector that is down fails the replay clearly; once it is up, replaying again stores every record exactly once")
        func recoveryExactlyOnce() async throws {
            let folder = try Servers.scratch("serve")
            let port = try Servers.freePort()
            let fixtures = CLI.fixtures + "/payloads/data-message"
            let down = try CLI.run(["replay", fixtures, "--to", "http://127.0.0.1:\(port)", "--format", "json", "--no-progress"],
                                   environment: ["SLUICE_EXPORT_DEADLINE": "2s"])
            #expect(down.status == 1)
            #expect(down.stderr.contains("not delivered") && down.stderr.contains("attempts"), "\(down.stderr)")
            let (serve, _) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db", "--listen", "127.0.0.1:\(port)"], folder: folder)
            defer { serve.stop() }
            for _ in 1...2 {
                let up = try CLI.run(["replay", fixtures, "--to", "http://127.0.0.1:\(port)", "--format", "json", "--no-progress", "--sample-fraction", "1"])
                #expect(up.status == 0, "\(up.stderr)")
            }
            // The same payloads replayed straight into a store of their own: the reference.
            let direct = try CLI.run(["replay", fixtures, "--store", "sqlite:\(folder)/direct.db", "--format", "json", "--no-progress", "--sample-fraction", "1"])
            #expect(direct.status == 0)
            for table in ["environments", "invocations", "spans", "logs", "metric_points"] {
                #expect(try Self.count(table, "\(folder)/sluice.db") == Self.count(table, "\(folder)/direct.db"), "\(table)")
            }
            #expect(Self.same(try await Self.apiFunctions(port), try Self.expectedFunctions([fixtures])))
        }

        static func count(_ table: String, _ database: String) throws -> Int {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [database, "SELECT COUNT(*) FROM \(table)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        @Test("several replays into one serve at once: nothing lost, nothing doubled, no locking failures")
        func concurrentReplays() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db"], folder: folder)
            defer { serve.stop() }
            try await Self.concurrentReplays(port: port, folder: folder)
            #expect(!serve.log.contains("locked"), "\(serve.log)")
        }

        /// Four replays at once, overlapping (two of the same forms), then compared with one local replay.
        static func concurrentReplays(port: Int, folder: String) async throws {
            let forms = ["data-message", "lambda-event", "kinesis", "data-message"]
            var processes: [RunningProcess] = []
            for (index, form) in forms.enumerated() {
                processes.append(try RunningProcess(CLI.executable, ["replay", CLI.fixtures + "/payloads/" + form, "--to", "http://127.0.0.1:\(port)",
                                                                     "--format", "json", "--no-progress", "--sample-fraction", "1"],
                                                    logPath: folder + "/replay-\(index).log"))
            }
            for process in processes {
                let status = await process.exit(within: 180)
                #expect(status == 0, "\(process.log)")
            }
            #expect(same(try await apiFunctions(port), try expectedFunctions(forms.dropLast().map { CLI.fixtures + "/payloads/" + $0 })))
        }

        @Test("SIGTERM: the request in flight is answered and written before serve exits")
        func gracefulShutdown() async throws {
            let folder = try Servers.scratch("serve")
            let (serve, port) = try Servers.serve(["--store", "sqlite:\(folder)/sluice.db"], folder: folder)
            let payload = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/benchmark/mixed-1m.json")))
            async let answer = HTTP.request("POST", "http://127.0.0.1:\(port)/v1/cloudwatch-logs", body: payload)
            try await Task.sleep(for: .milliseconds(100))
            kill(serve.process.processIdentifier, SIGTERM)
            let posted = try await answer
            #expect(posted.status == 200, "\(posted.text)")
            let stored = try JSONValue.parse(posted.body)["stored"]?.int64Value ?? 0
            #expect(stored > 1000)
            #expect(await serve.exit(within: 30) == 0, "\(serve.log)")
            #expect(try Self.count("logs", "\(folder)/sluice.db") + Self.count("invocations", "\(folder)/sluice.db") > 0)
        }
    }

    @Suite("retention")
    struct RetentionTests {
        @Test("replay --retention deletes what is older than the retention after writing, and keeps what is newer")
        func retention() throws {
            let folder = try Servers.scratch("retention")
            let fixtures = CLI.fixtures + "/payloads/data-message"
            // The fixtures' events are from 2026-11-22, 00:00 UTC on: a second ago they were already old.
            let short = try CLI.run(["replay", fixtures, "--store", "sqlite:\(folder)/short.db", "--retention", "1s", "--format", "json", "--no-progress"])
            #expect(short.status == 0, "\(short.stderr)")
            let long = try CLI.run(["replay", fixtures, "--store", "sqlite:\(folder)/long.db", "--format", "json", "--no-progress"],
                                   environment: ["SLUICE_RETENTION": "36500d"])
            #expect(long.status == 0, "\(long.stderr)")
            for table in ["invocations", "logs", "metric_points", "environments"] {
                #expect(try ServeTests.count(table, "\(folder)/short.db") == 0, "\(table)")
                #expect(try ServeTests.count(table, "\(folder)/long.db") > 0, "\(table)")
            }
            let bad = try CLI.run(["replay", fixtures, "--retention", "forever", "--store", "sqlite:\(folder)/x.db"])
            #expect(bad.status == 64 && bad.stderr.contains("retention 'forever'"))
        }
    }
}
