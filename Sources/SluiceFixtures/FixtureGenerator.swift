import CZlib
import SluicePipeline

/// Generates `Fixtures/` from the shared corpus: payloads of every producer in every input form, one
/// fixture per bad-input case, benchmark payloads, and the expected outcome of each.
///
/// Deterministic: the same corpus gives the same bytes (fixed clock, ids derived from content, gzip
/// without timestamps), so regenerating shows only real changes in `git diff`.
public struct FixtureGenerator {
    public var corpus: String
    public var output: String

    static let owner = "123456789012"
    /// 2026-11-22T00:00:00Z, the day the corpus was captured.
    static let baseTimestamp: Int64 = 1_795_305_600_000

    public init(corpus: String, output: String) {
        self.corpus = corpus
        self.output = output
    }

    typealias Document = SubscriptionPayloadEncoder.Document
    typealias Event = SubscriptionPayloadEncoder.Event

    /// Writes every fixture; returns the number of files written.
    public func run() throws -> Int {
        var written = 0
        var good: [FixtureExpectation] = []
        var bad: [FixtureExpectation] = []

        func emit(_ relative: String, _ bytes: [UInt8]) throws {
            try FileSystem.write(bytes, to: output + "/" + relative)
            written += 1
        }

        // Producers: every lines/*.jsonl, plus the platform line collections.
        var producers: [(name: String, lines: [CorpusLine])] = []
        for file in try FileSystem.listFiles(corpus + "/lines", suffix: ".jsonl") {
            let name = String(file.dropLast(".jsonl".count))
            producers.append((name, try CorpusLine.load(corpus + "/lines/" + file, producer: name)))
        }
        for (file, name) in [("platform_text.jsonl", "platform-text"), ("platform_json.jsonl", "platform-json")] {
            producers.append((name, try CorpusLine.load(corpus + "/platform/" + file, producer: name)))
        }

        for producer in producers {
            let documents = Self.documents(for: producer.name, lines: producer.lines)
            for (index, document) in documents.enumerated() {
                let path = "payloads/lambda-event/\(producer.name)/sandbox-\(index + 1).json"
                try emit(path, SubscriptionPayloadEncoder.lambdaEvent(document))
                var e = FixtureExpectation(path: path)
                e.add(document, form: "lambda_event")
                good.append(e)
            }
            var single = FixtureExpectation(path: "payloads/data-message/\(producer.name).json")
            single.add(documents[0], form: "data_message")
            try emit(single.path, SubscriptionPayloadEncoder.json(documents[0]))
            good.append(single)

            var plain = FixtureExpectation(path: "payloads/firehose-s3/\(producer.name).json")
            var gzipped = FixtureExpectation(path: "payloads/firehose-s3/\(producer.name).json.gz")
            var kinesis = FixtureExpectation(path: "payloads/kinesis/\(producer.name).json")
            var firehose = FixtureExpectation(path: "payloads/firehose/\(producer.name).json")
            let control = Document.control(timestamp: Self.baseTimestamp)
            for document in documents {
                plain.add(document, form: "data_message")
                gzipped.add(document, form: "gzip")
                kinesis.add(document, form: "kinesis_event")
                firehose.add(document, form: "firehose_event")
            }
            kinesis.add(control, form: "kinesis_event")
            try emit(plain.path, SubscriptionPayloadEncoder.concatenated(documents))
            try emit(gzipped.path, SubscriptionPayloadEncoder.gzipMembers(documents))
            try emit(kinesis.path, SubscriptionPayloadEncoder.kinesisEvent(documents + [control]))
            try emit(firehose.path, SubscriptionPayloadEncoder.firehoseEvent(documents))
            good += [plain, gzipped, kinesis, firehose]
        }

        let sample = Self.documents(for: producers[0].name, lines: producers[0].lines)[0]
        try special(sample: sample, emit: emit, into: &good)
        try badCases(sample: sample, emit: emit, into: &bad)
        try extremeNumbers(producers: producers, emit: emit, into: &bad)
        try endBeforeStart(producers: producers, emit: emit, into: &bad)
        try benchmarks(producers: producers, emit: emit)

        try emit("expected/payloads.json", Self.expectationsDocument(good))
        try emit("expected/bad.json", Self.expectationsDocument(bad))
        return written
    }

    static func expectationsDocument(_ expectations: [FixtureExpectation]) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        for expectation in expectations { expectation.write(to: &w) }
        w.endObject()
        var bytes = w.bytes
        bytes.append(0x0A)
        return bytes
    }

    // MARK: - Documents from corpus lines

    /// One DATA_MESSAGE per sandbox (= log stream), events in capture order with CloudWatch-shaped ids.
    static func documents(for producer: String, lines: [CorpusLine]) -> [Document] {
        var bySandbox: [Int: [CorpusLine]] = [:]
        for line in lines { bySandbox[line.sandbox, default: []].append(line) }
        var documents: [Document] = []
        for sandbox in bySandbox.keys.sorted() {
            let sandboxLines = bySandbox[sandbox] ?? []
            var events: [Event] = []
            var last = baseTimestamp
            for (index, line) in sandboxLines.enumerated() {
                // Timestamps follow the capture's offsets but never go backwards within a stream.
                let timestamp = max(last, baseTimestamp + (line.offsetMilliseconds ?? Int64(index)))
                last = timestamp
                events.append(Event(id: .string(eventID(timestamp: timestamp, sequence: index)), timestamp: timestamp, message: Array(line.message.utf8)))
            }
            documents.append(Document(
                owner: owner, logGroup: "/aws/lambda/\(producer)-fixture",
                logStream: "2026/11/22/[$LATEST]\(hex32(of: "\(producer)/\(sandbox)"))",
                subscriptionFilters: ["sluice-fixtures"], events: events))
        }
        return documents
    }

    /// 56 decimal digits: the 13-digit timestamp, then a 43-digit sequence (as `make_payload.py` makes them).
    static func eventID(timestamp: Int64, sequence: Int) -> String {
        let ts = String(timestamp)
        let seq = String(sequence)
        return String(repeating: "0", count: max(0, 13 - ts.count)) + ts + String(repeating: "0", count: 43 - seq.count) + seq
    }

    /// 32 hex digits derived from `text` (FNV-1a, twice), to make stable log stream names.
    static func hex32(of text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 ^ (b >> 29)
        }
        let digits = Array("0123456789abcdef")
        var out = ""
        for word in [a, b] {
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((word >> UInt64(shift)) & 0xF)]) }
        }
        return out
    }
}
