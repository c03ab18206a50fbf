import Foundation
import PropertyBased
import Testing
@testable import SluicePipeline

/// The detection table against its reference, `tools/detect.py`, run by the tests themselves.
@Suite("recognition")
struct RecognitionTests {
    /// Classes `detect.py` gives `messages`, one per message, in order.
    static func referenceClasses(_ messages: [String]) throws -> [String] {
        let scratch = NSTemporaryDirectory() + "sluice-detect-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var writer = JSONWriter()
        writer.beginArray()
        for message in messages { writer.string(message) }
        writer.endArray()
        try Data(writer.bytes).write(to: URL(fileURLWithPath: scratch + "/in.json"))
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import detect
            for m in json.load(open(sys.argv[2], encoding="utf-8")):
                print(detect.classify(m))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, TestPaths.corpus + "/../tools", scratch + "/in.json"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("detect.py failed with status \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The recognizer's path: classification that keeps the parsed tape.
    static func classifyParsing(_ message: String) -> String {
        Array(message.utf8).withUnsafeBufferPointer { bytes in
            var parsed: JSONTape?
            return MessageClassifier.classify(bytes, parsed: &parsed, maxDepth: 512).rawValue
        }
    }

    static func corpusMessages() throws -> [String] {
        var messages: [String] = []
        for directory in ["lines", "platform"] {
            for file in try TestPaths.list(TestPaths.corpus + "/" + directory, suffix: ".jsonl") {
                for line in try TestPaths.read(TestPaths.corpus + "/\(directory)/" + file).split(separator: UInt8(ascii: "\n")) {
                    if let message = try JSONValue.parse(line)["message"]?.stringValue { messages.append(message) }
                }
            }
        }
        return messages
    }

    @Test("every corpus line lands in the class detect.py gives it")
    func corpusConformance() throws {
        let messages = try Self.corpusMessages()
        let reference = try Self.referenceClasses(messages)
        #expect(reference.count == messages.count)
        var classes: Set<String> = []
        for (message, expected) in zip(messages, reference) {
            let ours = MessageClassifier.classify(Array(message.utf8)).rawValue
            #expect(ours == expected, "\(message.prefix(120))")
            #expect(Self.classifyParsing(message) == expected, "tape: \(message.prefix(120))")
            classes.insert(ours)
        }
        #expect(messages.count > 2_300)
        #expect(classes.count >= 20)
    }

    static let fragments: [String] = [
        "START RequestId: ", "REPORT RequestId: ", "RequestId: 8f5c0a1e-0000-4000-8000-000000000000 Error: ", "Runtime exited with error: ",
        "2020-06-09T15:02:26.150Z 8f5c0a1e-0000-4000-8000-000000000000 ", "Task timed out after 3.00 seconds", "[1,\"NR_LAMBDA_MONITORING\",",
        "{", "}", "[", "]", "\"type\":\"platform.start\"", "\"time\":1", "\"record\":{}", "\"dataModelVersion\":\"2.0\"", "\"type\":\"Span\"",
        "\"traces\":[]", "\"m\":1", "\"v\":2", "\"e\":3", "\"t\":[]", "\"_aws\":{\"CloudWatchMetrics\":[],\"Timestamp\":1}", "\"level\":\"INFO\"",
        "\"location\":\"x:1\"", "\"message\":\"m\"", "\"timestamp\":\"t\"", "\"service\":\"s\"", "\"requestId\":\"r\"", "\"resourceSpans\":[]",
        "\"name\":\"n\"", "\"context\":{\"trace_id\":\"0x1\"}", "\"body\":\"b\"", "\"severity_number\":9", "\"resource_metrics\":[]", ",", ":",
        "\n", "\t", " ", "[INFO]\t2026-11-22T01:30:00.078Z\t", "[ERROR] ", "2026-11-22T01:30:00.078Z\tabc-123\tINFO\t", "é", "\\", "\"", "x", "1",
        "[{\"type\":\"Log\",\"dataModelVersion\":\"2.0\"}]", "[]", "[1,2]", "\u{0B}", "\u{1F}",
    ]

    static func generated(_ seed: UInt64, count: Int) -> [String] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in
            var message = ""
            for _ in 0..<(1 + rng.next() % 8) { message += fragments[Int(rng.next() % UInt64(fragments.count))] }
            return message
        }
    }

    @Test("generated and mutated messages: the same class as detect.py, and no trap")
    func differential() async throws {
        var messages: [String] = []
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            messages += Self.generated(seed, count: 100)
        }
        // Mutations of real lines: a byte removed, or a fragment inserted.
        var rng = SplitMix(seed: 2026)
        for message in try Self.corpusMessages().prefix(600) where !message.isEmpty {
            var scalars = Array(message.unicodeScalars)
            let at = Int(rng.next() % UInt64(scalars.count))
            if rng.next() % 2 == 0 { scalars.remove(at: at) } else { scalars.insert(contentsOf: Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))].unicodeScalars, at: at) }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            messages.append(text)
        }
        let reference = try Self.referenceClasses(messages)
        #expect(reference.count == messages.count)
        for (message, expected) in zip(messages, reference) {
            #expect(MessageClassifier.classify(Array(message.utf8)).rawValue == expected, "\(message.debugDescription.prefix(200))")
            #expect(Self.classifyParsing(message) == expected, "tape: \(message.debugDescription.prefix(200))")
        }
    }

    @Test("random bytes never trap the classifier or the recognizer")
    func randomBytes() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...200)) { bytes in
            let recordClass = MessageClassifier.classify(bytes)
            #expect(RecordClass.allCases.contains(recordClass))
        }
    }

    @Test("every corpus stream: record classes and reassembled pretty records as its expected.json")
    func corpusStreams() throws {
        let root = TestPaths.corpus + "/streams"
        for set in try TestPaths.list(root, suffix: "").filter({ !$0.hasSuffix(".md") }) {
            let expected = try JSONValue.parse(try TestPaths.read("\(root)/\(set)/expected.json"))
            var recognizer = Recognizer()
            for file in try TestPaths.list("\(root)/\(set)", suffix: ".json") where file != "expected.json" {
                for message in PayloadDecoder().decode(try TestPaths.read("\(root)/\(set)/\(file)"), source: file).messages {
                    recognizer.recognize(message)
                }
            }
            recognizer.finish()
            var classes: [String: Int64] = [:]
            for (recordClass, count) in recognizer.tally.byClass { classes[recordClass.rawValue] = Int64(count) }
            var reference: [String: Int64] = [:]
            for member in expected["record_classes"]?.objectValue ?? [] { reference[member.key] = member.value.int64Value }
            #expect(classes == reference, "\(set)")
            for kind in [PrettyRecordKind.span, .log, .metrics] {
                #expect(Int64(recognizer.tally.prettyRecords[kind] ?? 0) == (expected["otel_pretty_records"]?[kind.rawValue]?.int64Value ?? 0), "\(set): \(kind)")
            }
            #expect(recognizer.tally.prettyRecords[.unparsable] == nil, "\(set)")
        }
    }

    @Test("a pretty-printed record split across payloads is reassembled; an unfinished one is reported")
    func reassemblyAcrossPayloads() throws {
        let lines = ["{\n", "    \"name\": \"GET\",\n", "    \"context\": {\n", "        \"trace_id\": \"0x1\"\n", "    }\n", "}\n"]
        func message(_ texts: [String], stream: String) throws -> DataMessage {
            try #require(dataMessage(texts.enumerated().map { .init(id: .string("\(stream)\($0.offset)"), timestamp: 1, message: Array($0.element.utf8)) }, stream: stream))
        }
        var recognizer = Recognizer()
        recognizer.recognize(try message(Array(lines.prefix(3)), stream: "a"))
        recognizer.recognize(try message(["{\n", "    \"body\": \"x\",\n"], stream: "b"))
        recognizer.recognize(try message(Array(lines.suffix(3)), stream: "a"))
        recognizer.finish()
        #expect(recognizer.tally.prettyRecords == [.span: 1])
        #expect(recognizer.tally.prettyUnfinished == 1)
        #expect(recognizer.tally.byProducer[.openTelemetry] == 8)
    }
}
