import Hummingbird
import SluicePipeline
import SluiceStore
import SluiceTelemetry

extension SluiceServer {
    /// `/api/...`: the answers `sluice query` prints, as JSON.
    func addQueryRoutes(to router: Router<BasicRequestContext>) {
        let query = TelemetryQuery(store: store)
        router.get("/api/functions") { request, _ in
            let since = try self.since(request)
            return Self.json(QueryDocument.functions(try await self.read { () async throws(StoreError) in try await query.functions(sinceMs: since) }) + "\n")
        }
        router.get("/api/traces/{id}") { request, context in
            let id = try context.parameters.require("id")
            guard id.utf8.count == 32, OTLPIdentifiers.bytes(hex: id) != nil else {
                throw HTTPError(.badRequest, message: "'\(id)' is not a trace id: 32 hex digits")
            }
            guard let (trace, logs) = try await self.read({ () async throws(StoreError) in try await query.trace(id: id) }) else {
                throw HTTPError(.notFound, message: "no trace \(id) in the store")
            }
            return Self.json(QueryDocument.trace(trace, logs: logs) + "\n")
        }
        router.get("/api/traces") { request, _ in
            let since = try self.since(request)
            let errors = request.uri.queryParameters["errors"].map { $0 == "true" || $0 == "1" } ?? false
            var limit = 10
            if let text = request.uri.queryParameters["slowest"] {
                guard let value = Int(String(text)), value >= 1 else { throw HTTPError(.badRequest, message: "slowest=\(text) is not a number of at least 1") }
                limit = value
            }
            let traces = try await self.read { () async throws(StoreError) in try await query.traces(sinceMs: since, failedOnly: errors, limit: limit) }
            return Self.json(QueryDocument.traces(traces) + "\n")
        }
        router.get("/api/service-map") { request, _ in
            let since = try self.since(request)
            return Self.json(QueryDocument.serviceMap(try await self.read { () async throws(StoreError) in try await query.serviceMap(sinceMs: since) }) + "\n")
        }
        router.get("/api/metrics/{name}") { request, context in
            let name = try context.parameters.require("name")
            let since = try self.since(request)
            var window: Int64 = 60_000
            if let text = request.uri.queryParameters["window_seconds"] {
                // Bounded: `seconds * 1000` past Int64 trapped, and one request stopped the server.
                guard let seconds = Int64(String(text)), (1...AggregationConfiguration.maxWindowSeconds).contains(seconds) else {
                    throw HTTPError(.badRequest, message: "window_seconds=\(text) is not a whole number from 1 to \(AggregationConfiguration.maxWindowSeconds)")
                }
                window = AggregationConfiguration.windowMilliseconds(seconds: seconds)
            }
            let series = try await self.read { () async throws(StoreError) in try await query.metric(name: name, sinceMs: since, windowMs: window) }
            return Self.json(QueryDocument.metric(name: name, series: series) + "\n")
        }
    }

    /// `?since=1h` as a start time in milliseconds; nil when absent.
    func since(_ request: Request) throws -> Int64? {
        guard let text = request.uri.queryParameters["since"] else { return nil }
        guard let ms = DurationText.milliseconds(String(text)) else {
            throw HTTPError(.badRequest, message: "since=\(text) is not a duration such as 30d, 12h, 15m or 90s")
        }
        return now() - ms
    }

    func read<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do { return try await body() } catch {
            throw HTTPError(.serviceUnavailable, message: "the store cannot be read now: \(error)")
        }
    }
}
