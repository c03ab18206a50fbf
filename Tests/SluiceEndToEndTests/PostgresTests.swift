import Foundation
import Logging
import SluicePipeline
import SluiceStore
import SluiceTelemetry
import Testing

extension EndToEnd {
    /// The PostgreSQL store against a real PostgreSQL 15 that each test starts (initdb and pg_ctl as user
    /// postgres, on a free loopback port) and stops.
    @Suite("PostgreSQL store", .serialized)
    final class PostgresTests {
        let server: PostgresServer

        init() throws {
            server = try PostgresServer()
        }

        var location: StoreLocation {
            get throws { try StoreLocation(parsing: server.url) }
        }

        @Test("writes are idempotent, every item reads back as written, and the figures match a local replay")
        func storeRoundTrip() async throws {
            let batch = try ExporterTests.batch("/payloads")
            let expected = try ServeTests.expectedFunctions([CLI.fixtures + "/payloads"])
            let location = try self.location
            try await location.withStore(logger: Logger(label: "test")) { store in
                let first = try await store.write(batch)
                #expect(first.stored == batch.itemCount && first.duplicates == 0)
                let second = try await store.write(batch)
                #expect(second.stored == 0 && second.duplicates == batch.itemCount)
                #expect(try await store.invocations(sinceMs: nil).sorted { $0.key < $1.key } == batch.invocations.sorted { $0.key < $1.key })
                #expect(try await store.environments(sinceMs: nil).count == batch.environments.count)
                let traceID = try #require(batch.spans.first?.span.traceID)
                #expect(try await store.spans(traceID: traceID).sorted { $0.span.spanID < $1.span.spanID }
                        == batch.spans.filter { $0.span.traceID == traceID }.sorted { $0.span.spanID < $1.span.spanID })
                let name = try #require(batch.metrics.first?.name)
                #expect(try await store.metricPoints(name: name, sinceMs: nil).count == batch.metrics.filter { $0.name == name }.count)
                let slowest = try await store.traces(sinceMs: nil, failedOnly: false, limit: 3)
                #expect(slowest.count == 3 && slowest[0].durationNanos >= slowest[1].durationNanos)
                let failed = try await store.traces(sinceMs: nil, failedOnly: true, limit: 100)
                #expect(!failed.isEmpty && failed.allSatisfy { $0.errorSpans > 0 })
            }
            // The CLI reads the same store.
            let query = try CLI.run(["query", "functions", "--store", server.url, "--format", "json"])
            #expect(query.status == 0, "\(query.stderr)")
            #expect(ServeTests.same(try #require(try query.json()["functions"]), expected))
        }

        @Test("replay writes to PostgreSQL; retention deletes what is old; a newer schema is refused")
        func replayRetentionSchema() async throws {
            let replay = try CLI.run(["replay", CLI.fixtures + "/payloads/data-message", "--store", server.url, "--format", "json", "--no-progress"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect((try replay.json()["delivery"]?["stored"]?.int64Value ?? 0) > 100)
            let location = try self.location
            try await location.withStore(logger: Logger(label: "test")) { store in
                let all = try await store.invocations(sinceMs: nil)
                let cutoff = all.map(\.endMs).sorted()[all.count / 2]
                #expect(try await store.deleteOlder(thanMs: cutoff) > 0)
                let left = try await store.invocations(sinceMs: nil)
                #expect(!left.isEmpty && left.allSatisfy { $0.endMs >= cutoff })
            }
            try PostgresServer.asPostgres(PostgresServer.binaries + "/psql", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "-d", "sluice",
                                                                               "-c", "INSERT INTO sluice_schema (version) VALUES (99)"])
            let refused = try CLI.run(["query", "functions", "--store", server.url, "--format", "json"])
            #expect(refused.status == 1 && refused.stderr.contains("schema version 99"), "\(refused.stderr)")
        }

        @Test("serve on PostgreSQL: several replays at once, nothing lost or doubled")
        func serveConcurrent() async throws {
            let folder = try Servers.scratch("serve-postgres")
            let (serve, port) = try Servers.serve(["--store", server.url], folder: folder)
            defer { serve.stop() }
            try await ServeTests.concurrentReplays(port: port, folder: folder)
            #expect(!serve.log.contains("error"), "\(serve.log)")
        }

        @Test("an unreachable PostgreSQL is a clear error, not a hang")
        func unreachable() throws {
            let port = try Servers.freePort()
            let result = try CLI.run(["query", "functions", "--store", "postgres://postgres@127.0.0.1:\(port)/sluice", "--format", "json"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot open the store postgres://postgres@127.0.0.1:\(port)/sluice"), "\(result.stderr)")
        }
    }
}
