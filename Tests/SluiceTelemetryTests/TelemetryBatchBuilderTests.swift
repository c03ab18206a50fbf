import SluicePipeline
import SluiceTelemetry
import Testing

@Suite("batch builder")
struct TelemetryBatchBuilderTests {
    /// The environments a batch must hold, worked out record by record: every stream with a report, a
    /// platform event, a log record or an agent invocation, from its earliest to its latest such record,
    /// in the order the streams first appear.
    static func expectedEnvironments(_ messages: [RecognizedMessage]) -> [(stream: String, first: Int64, last: Int64)] {
        var out: [(stream: String, first: Int64, last: Int64)] = []
        for message in messages {
            for record in message.records {
                let time: Int64
                switch record {
                case .report(let r): time = r.timestamp
                case .platform(let e): time = e.timestamp
                case .log(let l): time = l.timestamp
                case .invocation(let a): time = a.startTimestamp
                case .span, .metric, .trace: continue
                }
                let stream = message.stream.logGroup + " " + message.stream.logStream
                if let index = out.firstIndex(where: { $0.stream == stream }) {
                    out[index].first = min(out[index].first, time)
                    out[index].last = max(out[index].last, time)
                } else {
                    out.append((stream, time, time))
                }
            }
        }
        return out
    }

    @Test("environments span each stream's first to last counted record, in the order streams appear",
          arguments: ["fixtures"] + Pipeline.streamSets)
    func environments(_ set: String) throws {
        let folder = set == "fixtures" ? Pipeline.fixtures + "/payloads" : Pipeline.corpus + "/streams/" + set
        let messages = try Pipeline.recognize(try Pipeline.payloadFiles(folder))
        let batch = Pipeline.batch(messages)
        let expected = Self.expectedEnvironments(messages)
        #expect(!expected.isEmpty)
        let got = batch.environments.map { (stream: $0.logGroup + " " + $0.logStream, first: $0.firstMs, last: $0.lastMs) }
        #expect(got.map(\.stream) == expected.map(\.stream))
        #expect(got.map(\.first) == expected.map(\.first))
        #expect(got.map(\.last) == expected.map(\.last))
        // Some stream must have a span of time, or first and last could be swapped unseen.
        #expect(expected.contains { $0.first < $0.last })
    }
}
