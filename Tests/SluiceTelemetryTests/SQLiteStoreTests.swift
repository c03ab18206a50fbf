import Foundation
import PropertyBased
import SluicePipeline
import SluiceStore
import SluiceTelemetry
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    /// A fresh database file in its own folder, removed afterwards.
    static func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let folder = NSTemporaryDirectory() + "sluice-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/sluice.db"
        return try await body(try SQLiteStore(path: path), path)
    }

    @Test("stored invocations give the aggregator's per-function figures, for every corpus stream set", arguments: Pipeline.streamSets)
    func functionsMatchAggregator(_ set: String) async throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/" + set))
        try await Self.withStore { store, _ in
            let result = try await store.write(Pipeline.batch(messages))
            #expect(result.stored > 0 && result.duplicates == 0)
            let queried = try await TelemetryQuery(store: store).functions(sinceMs: nil)
            #expect(sameFigures(Pipeline.aggregatorFunctions(messages), queried) == [])
        }
    }

    @Test("a batch written again stores nothing twice, and every item comes back as it went in")
    func idempotentWrites() async throws {
        let batch = Pipeline.batch(try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads")))
        try await Self.withStore { store, _ in
            let first = try await store.write(batch)
            #expect(first == StoreWriteResult(stored: batch.itemCount, duplicates: 0))
            let second = try await store.write(batch)
            #expect(second == StoreWriteResult(stored: 0, duplicates: batch.itemCount))
            var back = TelemetryBatch()
            back.environments = try await store.environments(sinceMs: nil)
            back.invocations = try await store.invocations(sinceMs: nil)
            for traceID in Set(batch.spans.map(\.span.traceID)) { back.spans += try await store.spans(traceID: traceID) }
            for name in Set(batch.metrics.map(\.name)) { back.metrics += try await store.metricPoints(name: name, sinceMs: nil) }
            back.logs = batch.logs  // logs are read by trace below
            #expect(differences(batch, back) == [])
            let withTrace = batch.logs.filter { $0.traceID != nil }
            let traceID = try #require(withTrace.first?.traceID)
            let logs = try await store.logs(traceID: traceID, requestIDs: [])
            #expect(Set(logs.map(\.key)) == Set(withTrace.filter { $0.traceID == traceID }.map(\.key)))
        }
    }

    @Test("writing a batch in parts, in any order and with repeats, stores what writing it whole stores")
    func partsEqualWhole() async throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads/data-message"))
        let whole = Pipeline.batch(messages)
        let expected = Pipeline.aggregatorFunctions(messages)
        await propertyCheck(count: 12, input: Gen.int(in: 1...8), Gen.uint64()) { parts, seed in
            var random = SplitMix(seed: seed)
            var pieces = Array(repeating: TelemetryBatch(), count: parts)
            func scatter<T>(_ items: [T], _ path: WritableKeyPath<TelemetryBatch, [T]>) {
                for item in items { pieces[Int.random(in: 0..<parts, using: &random)][keyPath: path].append(item) }
            }
            scatter(whole.environments, \.environments)
            scatter(whole.invocations, \.invocations)
            scatter(whole.spans, \.spans)
            scatter(whole.logs, \.logs)
            scatter(whole.metrics, \.metrics)
            let order = (pieces + [pieces[Int.random(in: 0..<parts, using: &random)]]).shuffled(using: &random)
            do {
                try await Self.withStore { store, _ in
                    var total = StoreWriteResult()
                    for piece in order { total.add(try await store.write(piece)) }
                    #expect(total.stored == whole.itemCount)
                    #expect(sameFigures(expected, try await TelemetryQuery(store: store).functions(sinceMs: nil)) == [])
                }
            } catch {
                Issue.record("store failed: \(error)")
            }
        }
    }

    @Test("retention deletes what is older than the cutoff and keeps the rest")
    func retention() async throws {
        let batch = Pipeline.batch(try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads/data-message")))
        let times = batch.invocations.map(\.endMs).sorted()
        let cutoff = try #require(times.dropFirst(times.count / 2).first)
        try await Self.withStore { store, _ in
            _ = try await store.write(batch)
            let deleted = try await store.deleteOlder(thanMs: cutoff)
            #expect(deleted > 0)
            let left = try await store.invocations(sinceMs: nil)
            #expect(!left.isEmpty && left.allSatisfy { $0.endMs >= cutoff })
            #expect(left.count == batch.invocations.filter { $0.endMs >= cutoff }.count)
        }
    }

    @Test("opening again keeps the data; a newer schema is refused with a message saying so")
    func schemaVersions() async throws {
        let batch = Pipeline.batch(try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads/data-message")))
        try await Self.withStore { store, path in
            _ = try await store.write(batch)
            let again = try SQLiteStore(path: path)
            #expect(try await again.invocations(sinceMs: nil).count == batch.invocations.count)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [path, "PRAGMA user_version = 99"]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(throws: StoreError.schemaTooNew(location: "sqlite:\(path)", found: 99, supported: 1)) { try SQLiteStore(path: path) }
        }
    }

    @Test("store locations: sqlite paths and PostgreSQL URLs; anything else is refused with the forms it takes")
    func locations() throws {
        #expect(try StoreLocation(parsing: "sqlite:./sluice.db") == .sqlite(path: "./sluice.db"))
        #expect(try StoreLocation(parsing: "/tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        guard case .postgres(let pg) = try StoreLocation(parsing: "postgres://sluice:secret@127.0.0.1:55432/telemetry") else {
            Issue.record("not read as PostgreSQL")
            return
        }
        #expect((pg.user, pg.password, pg.host, pg.port, pg.database) == ("sluice", "secret", "127.0.0.1", 55432, "telemetry"))
        #expect(!pg.description.contains("secret"))
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "postgres://u@h:99999/db") }
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "mysql://u@h/db") }
        #expect(throws: StoreError.self) { try StoreLocation(parsing: "sqlite:") }
        let error = StoreError.invalidLocation("mysql://u@h/db", reason: "unknown scheme")
        #expect(error.description.contains("sqlite:PATH") && error.description.contains("postgres://"))
    }

    @Test("an unwritable place is a clear error, not a crash")
    func unwritable() {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/sluice-cannot-be-here/x.db") }
    }
}

/// SplitMix64, for shuffling reproducibly from a property test's seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
