import SluiceOTLP
import SluicePipeline
import SluiceTelemetry
import Testing

@Suite("OTLP requests")
struct OTLPBatcherTests {
    /// The derived `faas.*` metrics of every metrics request, and how many requests carry them.
    static func derived(_ requests: [OTLPBatcher.Request]) throws -> (metrics: [Opentelemetry_Proto_Metrics_V1_Metric], carriers: Int) {
        var metrics: [Opentelemetry_Proto_Metrics_V1_Metric] = []
        var carriers = 0
        for request in requests where request.signal == .metrics {
            let decoded = try OTLPMetricsRequest(serializedBytes: request.body)
            let found = decoded.resourceMetrics.flatMap(\.scopeMetrics).filter { $0.scope.name == "sluice.faas" }.flatMap(\.metrics)
            if !found.isEmpty { carriers += 1 }
            metrics += found
        }
        return (metrics, carriers)
    }

    static func total(_ name: String, in metrics: [Opentelemetry_Proto_Metrics_V1_Metric]) -> Int64 {
        metrics.filter { $0.name == name }.flatMap(\.sum.dataPoints).reduce(0) { $0 + $1.asInt }
    }

    @Test("the derived faas.* window metrics leave once per batch, with the first metrics request, however it is cut",
          arguments: [(2048, 4 << 20), (7, 4 << 20), (2048, 2048), (1, 1)])
    func derivedOnce(maxItems: Int, maxBytes: Int) throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/aws-embedded-metrics-text"))
        let batch = Pipeline.batch(messages)
        let functions = Pipeline.aggregatorFunctions(messages)
        try #require(!batch.invocations.isEmpty && batch.metrics.count > 7)
        let batcher = OTLPBatcher(maxItems: maxItems, maxBytes: maxBytes, encoder: OTLPEncoder(windowMilliseconds: 86_400_000 * 365))
        let requests = batcher.requests(batch)
        let (derived, carriers) = try Self.derived(requests)
        #expect(carriers == 1)
        let firstMetrics = try #require(requests.first { $0.signal == .metrics })
        #expect(try Self.derived([firstMetrics]).carriers == 1)
        #expect(Self.total("faas.invocations", in: derived) == Int64(functions.reduce(0) { $0 + $1.invocations }))
        #expect(Self.total("faas.errors", in: derived) == Int64(functions.reduce(0) { $0 + $1.errors }))
        // The metric points are the items, in order, whatever else the bodies hold.
        let points = requests.filter { $0.signal == .metrics }.flatMap(\.items.metrics)
        #expect(points == batch.metrics)
        #expect(requests.filter { $0.signal == .metrics }.allSatisfy { $0.items.metrics.count <= maxItems })
    }

    @Test("a batch with invocations and no metric points still sends their window metrics, in a request of no items")
    func derivedWithoutPoints() throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/plain-python-text"))
        let batch = Pipeline.batch(messages)
        try #require(!batch.invocations.isEmpty && batch.metrics.isEmpty)
        let requests = OTLPBatcher().requests(batch)
        let metricsRequests = requests.filter { $0.signal == .metrics }
        #expect(metricsRequests.count == 1 && metricsRequests.allSatisfy { $0.itemCount == 0 })
        let (derived, carriers) = try Self.derived(requests)
        #expect(carriers == 1)
        let invocations = Pipeline.aggregatorFunctions(messages).reduce(0) { $0 + $1.invocations }
        #expect(invocations > 0 && Self.total("faas.invocations", in: derived) == Int64(invocations))
        // The function's resource says whose it is, as its logs' does.
        let owner = try #require(batch.invocations.first?.owner)
        let resources = try metricsRequests.flatMap { try OTLPMetricsRequest(serializedBytes: $0.body).resourceMetrics }
        #expect(!owner.isEmpty && !resources.isEmpty
                && resources.allSatisfy { $0.resource.attributes.contains { $0.key == "cloud.account.id" && $0.value.stringValue == owner } })
        // Every item is in exactly one request.
        #expect(requests.reduce(0) { $0 + $1.itemCount } == batch.itemCount)
    }

    @Test("without invocations there are no derived metrics, and no metrics request without points")
    func nothingDerived() throws {
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(Pipeline.corpus + "/streams/aws-embedded-metrics-text"))
        var batch = Pipeline.batch(messages)
        batch.invocations = []
        #expect(try Self.derived(OTLPBatcher().requests(batch)).carriers == 0)
        batch.metrics = []
        #expect(!OTLPBatcher().requests(batch).contains { $0.signal == .metrics })
    }
}
