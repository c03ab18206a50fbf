import PropertyBased
import Synchronization
import Testing
@testable import SluicePipeline

/// Normalised records checked against the figures of the corpus streams' `expected.json`, computed by an
/// independent reference from the same payloads.
@Suite("normalisation")
struct NormalisationTests {
    struct FunctionFigures: CustomStringConvertible {
        var invocations = 0, coldStarts = 0
        var durationSum = 0.0, durationMin = Double.infinity, durationMax = 0.0
        var billedSum = 0.0, maxMemory = 0, initCount = 0, initSum = 0.0
        var errors: Set<String> = [], timeouts: Set<String> = [], outOfMemory: Set<String> = []
        var logs: [String: [String: Int]] = [:]
        var streams: Set<String> = []
        /// (namespace, metric, dimensions) → (count, sum)
        var emf: [String: (Int, Double)] = [:]
        var datadog: [String: (Int, Double)] = [:]
        /// producer → (spans, trace ids, error spans)
        var spans: [String: (Int, Set<String>, Int)] = [:]
        var reportIDs: Set<String> = []
        var agentInvocations: [AgentInvocation] = []
        var traceRecords: [TraceRecord] = []
        var description: String {
            "invocations \(invocations) cold \(coldStarts) duration \(durationSum)/\(durationMin)/\(durationMax) billed \(billedSum) memory \(maxMemory) init \(initCount)/\(initSum) errors \(errors.count) timeouts \(timeouts.count) oom \(outOfMemory.count)"
        }
    }

    static func figures(_ set: String) throws -> [String: FunctionFigures] {
        let root = TestPaths.corpus + "/streams/" + set
        var recognizer = Recognizer()
        var functions: [String: FunctionFigures] = [:]
        for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
            for message in PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file).messages {
                var f = functions[message.logGroup] ?? FunctionFigures()
                f.streams.insert(message.logStream)
                for record in recognizer.recognize(message).records {
                    switch record {
                    case .invocation(let agent):
                        f.agentInvocations.append(agent)
                    case .report(let r):
                        f.reportIDs.insert(r.requestID)
                        f.invocations += 1
                        f.durationSum += r.durationMs
                        f.durationMin = min(f.durationMin, r.durationMs)
                        f.durationMax = max(f.durationMax, r.durationMs)
                        f.billedSum += r.billedDurationMs ?? 0
                        f.maxMemory = max(f.maxMemory, r.maxMemoryUsedMB ?? 0)
                        if let initDuration = r.initDurationMs {
                            f.coldStarts += 1
                            f.initCount += 1
                            f.initSum += initDuration
                        }
                        if r.status == .error || r.status == .failure || r.status == .timeout { f.errors.insert(r.requestID) }
                        if r.status == .timeout { f.timeouts.insert(r.requestID) }
                        if r.errorType == "Runtime.OutOfMemory" { f.outOfMemory.insert(r.requestID) }
                    case .platform(let e):
                        switch e.kind {
                        case .timeout:
                            if let id = e.requestID { f.timeouts.insert(id); f.errors.insert(id) }
                        case .crash:
                            if let id = e.requestID { f.errors.insert(id) }
                        case .end(let status):
                            if let id = e.requestID, status == .error || status == .failure { f.errors.insert(id) }
                            if let id = e.requestID, status == .timeout { f.timeouts.insert(id); f.errors.insert(id) }
                        default: break
                        }
                    case .log(let log):
                        if log.isUnhandledError, let id = log.requestID { f.errors.insert(id) }
                        if log.source != .plainText && log.source != .nodeTextLog {
                            f.logs[log.source.rawValue, default: [:]][log.severity?.rawValue ?? "NONE", default: 0] += 1
                        }
                    case .metric(let m):
                        if m.producer == .embeddedMetricFormat {
                            let dims = m.dimensions.map { dimension -> String in
                                if case .string(let text) = dimension.value { return "\(dimension.key)=\(text)" }
                                return "\(dimension.key)=?"
                            }.joined(separator: ",")
                            let key = "\(m.namespace ?? "")|\(m.name)|\(dims)"
                            let old = f.emf[key] ?? (0, 0)
                            f.emf[key] = (old.0 + m.values.count, old.1 + m.values.reduce(0, +))
                        } else if m.producer == .datadog {
                            let old = f.datadog[m.name] ?? (0, 0)
                            f.datadog[m.name] = (old.0 + m.values.count, old.1 + m.values.reduce(0, +))
                        }
                    case .span(let span):
                        var entry = f.spans[span.producer.rawValue] ?? (0, [], 0)
                        entry.0 += 1
                        entry.1.insert(span.traceID)
                        if span.isError { entry.2 += 1 }
                        f.spans[span.producer.rawValue] = entry
                    case .trace(let trace):
                        f.traceRecords.append(trace)
                    }
                }
                functions[message.logGroup] = f
            }
        }
        return functions
    }

    static func close(_ a: Double, _ b: Double?) -> Bool {
        guard let b else { return false }
        return abs(a - b) <= 1e-6 * max(1, abs(b))
    }

    static let allSets = ["aws-embedded-metrics-json", "aws-embedded-metrics-text", "aws-lambda-powertools-json", "aws-lambda-powertools-text",
                          "datadog-lambda-json", "datadog-lambda-text", "newrelic-json", "newrelic-text", "opentelemetry-sdk-json",
                          "opentelemetry-sdk-text", "plain-python-json", "plain-python-text", "thundra-json", "thundra-text",
                          "thundra-legacy-json", "thundra-legacy-text"]

    @Test("EMF metrics, Datadog metrics and every producer's spans as expected.json", arguments: allSets)
    func metricsAndSpans(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        var emf: [String: (Int, Double)] = [:]
        var datadog: [String: (Int, Double)] = [:]
        var spans: [String: (Int, Set<String>, Int)] = [:]
        for f in try Self.figures(set).values {
            emf.merge(f.emf) { ($0.0 + $1.0, $0.1 + $1.1) }
            datadog.merge(f.datadog) { ($0.0 + $1.0, $0.1 + $1.1) }
            spans.merge(f.spans) { ($0.0 + $1.0, $0.1.union($1.1), $0.2 + $1.2) }
        }
        let emfReference = expected["emf_metrics"]?.arrayValue ?? []
        #expect(emf.count == emfReference.count, "\(set): EMF entries \(emf.keys.sorted())")
        for entry in emfReference {
            let dims = (entry["dimensions"]?.arrayValue ?? []).map { pair in "\(pair[0]?.stringValue ?? "")=\(pair[1]?.stringValue ?? "")" }.joined(separator: ",")
            let key = "\(entry["namespace"]?.stringValue ?? "")|\(entry["metric"]?.stringValue ?? "")|\(dims)"
            guard let ours = emf[key] else {
                Issue.record("\(set): no EMF entry \(key)")
                continue
            }
            #expect(Int64(ours.0) == entry["count"]?.int64Value, "\(set): \(key)")
            #expect(Self.close(ours.1, entry["sum"]?.doubleValue), "\(set): \(key)")
        }
        let ddReference = expected["datadog_metrics"]?.objectValue ?? []
        #expect(datadog.count == ddReference.count, "\(set): Datadog metrics")
        for member in ddReference {
            #expect(Int64(datadog[member.key]?.0 ?? -1) == member.value["count"]?.int64Value, "\(set): \(member.key)")
            #expect(Self.close(datadog[member.key]?.1 ?? .nan, member.value["sum"]?.doubleValue), "\(set): \(member.key)")
        }
        let spanReference = expected["spans"]?.objectValue ?? []
        #expect(spans.count == spanReference.count, "\(set): span producers \(spans.keys.sorted())")
        for member in spanReference {
            let ours = spans[member.key] ?? (0, [], 0)
            #expect(Int64(ours.0) == member.value["spans"]?.int64Value, "\(set): \(member.key) spans")
            #expect(Int64(ours.1.count) == member.value["trace_ids"]?.int64Value, "\(set): \(member.key) trace ids")
            #expect(Int64(ours.2) == member.value["error_spans"]?.int64Value, "\(set): \(member.key) error spans")
        }
    }

    @Test("invocations, durations, memory, cold starts, errors, timeouts and out-of-memory kills as expected.json",
          arguments: allSets)
    func functions(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        let ours = try Self.figures(set)
        let reference = expected["functions"]?.objectValue ?? []
        #expect(ours.count == reference.count)
        for member in reference {
            let e = member.value
            guard let f = ours[member.key] else {
                Issue.record("\(set): no figures for \(member.key)")
                continue
            }
            #expect(Int64(f.invocations) == e["invocations"]?.int64Value, "\(set) \(f)")
            #expect(Int64(f.coldStarts) == e["cold_starts"]?.int64Value, "\(set)")
            #expect(Int64(f.streams.count) == e["log_streams"]?.int64Value, "\(set)")
            #expect(Self.close(f.durationSum, e["duration_ms"]?["sum"]?.doubleValue), "\(set)")
            #expect(Self.close(f.durationMin, e["duration_ms"]?["min"]?.doubleValue), "\(set)")
            #expect(Self.close(f.durationMax, e["duration_ms"]?["max"]?.doubleValue), "\(set)")
            #expect(Self.close(f.billedSum, e["billed_duration_ms"]?["sum"]?.doubleValue), "\(set)")
            #expect(Int64(f.maxMemory) == e["max_memory_used_mb"]?["max"]?.int64Value, "\(set)")
            #expect(Int64(f.initCount) == e["init_duration_ms"]?["count"]?.int64Value, "\(set)")
            #expect(Self.close(f.initSum, e["init_duration_ms"]?["sum"]?.doubleValue), "\(set)")
            let ids = { (key: String) in Set((e["request_ids"]?[key]?.arrayValue ?? []).compactMap(\.stringValue)) }
            #expect(f.errors == ids("errors"), "\(set): errors")
            #expect(f.timeouts == ids("timeouts"), "\(set): timeouts")
            #expect(f.outOfMemory == ids("out_of_memory"), "\(set): out of memory")
            #expect(Int64(f.errors.count) == e["errors"]?.int64Value, "\(set)")
            // What the agents say agrees with the platform.
            for agent in f.agentInvocations {
                #expect(agent.requestID.map { f.reportIDs.contains($0) } == true, "\(set): \(agent.producer) invocation \(agent.requestID ?? "-")")
                if agent.failed { #expect(agent.requestID.map { ids("errors").contains($0) } == true, "\(set): failed \(agent.requestID ?? "-")") }
                if agent.timedOut { #expect(agent.requestID.map { ids("timeouts").contains($0) } == true, "\(set): timed out \(agent.requestID ?? "-")") }
            }
            if set.hasPrefix("thundra") || set.hasPrefix("newrelic") || set.hasPrefix("datadog") || set.hasPrefix("opentelemetry") {
                #expect(!f.agentInvocations.isEmpty, "\(set)")
            }
        }
    }

    @Test("log records of the runtimes, Lambda's JSON format and Powertools, by source and severity",
          arguments: allSets)
    func logs(_ set: String) throws {
        let expected = try JSONValue.parse(try TestPaths.read(TestPaths.corpus + "/streams/\(set)/expected.json"))
        var ours: [String: [String: Int]] = [:]
        for f in try Self.figures(set).values {
            for (source, severities) in f.logs {
                for (severity, n) in severities { ours[source, default: [:]][severity, default: 0] += n }
            }
        }
        for source in ["python.text_log", "python.unhandled_error", "lambda.json_applog", "powertools.log", "otel.log", "thundra.log", "newrelic.log"] {
            var reference: [String: Int] = [:]
            for member in expected["log_records"]?["by_source"]?[source]?.objectValue ?? [] {
                reference[member.key] = Int(member.value.int64Value ?? -1)
            }
            #expect((ours[source] ?? [:]) == reference, "\(set): \(source)")
        }
    }

    @Test("every plain-text line is one log record, and the lines of a pretty-printed record are none", arguments: allSets)
    func plainTextLines(_ set: String) throws {
        let root = TestPaths.corpus + "/streams/" + set
        var recognizer = Recognizer()
        for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
            for message in PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file).messages { recognizer.recognize(message) }
        }
        let finished = recognizer.finish()
        #expect(finished.isEmpty, "\(set): a traceback left open")
        let tally = recognizer.tally
        #expect(tally.logs(.plainText, nil) + tally.tracebackLines == (tally.byProducer[.application] ?? 0) - (tally.byClass[.otherJSON] ?? 0), "\(set)")
    }

    @Test("a traceback's exception line is told on the bytes as by Characters")
    func exceptionLineOnBytes() async {
        // Pieces that are letters, digits, separators, line ends (CR LF is one Character) and non-ASCII.
        let pieces = ["Key", "Error", "_", ".", "1", ":", " ", "'x'", "\n", "\r", "\r\n", "é", "e\u{301}", "Ω", ":\u{301}", "\t"]
        // Both answers must come often, or the comparison says little.
        let answers = Mutex((yes: 0, no: 0))
        let cases = ["KeyError: 'missing'", "module.Error", "ValueError", "ValueError\n", "ValueError\r\n", "  File \"x.py\"", "_Err:", "1Error:", ""]
        for text in cases { #expect(Recognizer.isExceptionLine(text) == Recognizer.isExceptionLineCharacters(text), "\(text.debugDescription)") }
        await propertyCheck(count: 800, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...7)) { picks in
            let text = picks.map { pieces[$0] }.joined()
            let expected = Recognizer.isExceptionLineCharacters(text)
            #expect(Recognizer.isExceptionLine(text) == expected, "\(text.debugDescription)")
            answers.withLock { if expected { $0.yes += 1 } else { $0.no += 1 } }
        }
        let counts = answers.withLock { $0 }
        #expect(counts.yes > 50 && counts.no > 50, "\(counts)")
    }

    @Test("a traceback printed line by line becomes one ERROR record naming the exception")
    func tracebacks() throws {
        let root = TestPaths.corpus + "/streams/plain-python-text"
        var recognizer = Recognizer()
        var tracebacks: [LogRecord] = []
        for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
            for message in PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file).messages {
                for case .log(let log) in recognizer.recognize(message).records where log.body.string.hasPrefix("Traceback (most recent call last):") {
                    tracebacks.append(log)
                }
            }
        }
        let complete = tracebacks.filter { $0.attributes.contains { $0.key == "exception.type" } }
        #expect(complete.count >= 3)
        // One was interrupted by another traceback on the other pipe: kept, without an exception named.
        #expect(tracebacks.count > complete.count)
        for log in complete {
            #expect(log.severity == .error)
            #expect(log.body.string.hasSuffix("KeyError: 'missing'"))
            #expect(log.attributes.contains(Attribute("exception.type", .string("KeyError"))))
            #expect(log.attributes.contains(Attribute("exception.message", .string("'missing'"))))
            #expect(log.requestID != nil)
        }
    }

    @Test("a traceback followed by indented lines without end is closed at 10,000 lines or 1 MiB; nothing is lost")
    func tracebackBounded() throws {
        for (lines, line) in [(10_050, "  frame\n"), (600, "  " + String(repeating: "x", count: 4000) + "\n")] {
            let texts = ["Traceback (most recent call last):\n"] + Array(repeating: line, count: lines)
            // In three payloads of one stream: the traceback stays open from one to the next.
            var recognizer = Recognizer()
            var records: [RecognizedRecord] = []
            for part in stride(from: 0, to: texts.count, by: 4000) {
                let events = texts[part..<min(part + 4000, texts.count)].enumerated().map { index, text in
                    SubscriptionPayloadEncoder.Event(id: .string("\(part + index)"), timestamp: 1, message: Array(text.utf8))
                }
                records += recognizer.recognize(try #require(dataMessage(events))).records
            }
            records += recognizer.finish().flatMap(\.records)
            let logs = records.compactMap { record -> LogRecord? in if case .log(let log) = record { log } else { nil } }
            let traceback = try #require(logs.first)
            #expect(traceback.severity == .error && traceback.body.string.hasPrefix("Traceback"))
            let kept = traceback.body.string.split(separator: "\n").count
            #expect(kept <= Recognizer.tracebackLimits.lines && traceback.body.string.utf8.count <= Recognizer.tracebackLimits.bytes)
            #expect(kept < texts.count, "the traceback was closed before its end")
            // Every line is in a record: the traceback's, or one of its own after it.
            #expect(kept + logs.count - 1 == texts.count)
        }
    }

    @Test("Thundra's API key never reaches a record")
    func apiKeyDropped() throws {
        for set in ["thundra-json", "thundra-text", "thundra-legacy-json", "thundra-legacy-text"] {
            let root = TestPaths.corpus + "/streams/" + set
            var recognizer = Recognizer()
            var checked = 0
            var keyInInput = false
            for file in try TestPaths.list(root, suffix: ".json") where file != "expected.json" {
                let batch = PayloadDecoder().decode(try TestPaths.read(root + "/" + file), source: file)
                keyInInput = keyInInput || batch.messages.contains { m in m.events.contains { m.message(of: $0).contains("00000000-1111-2222-3333-444444444444") } }
                for record in recognizer.recognize(batch.messages[0]).records {
                    checked += 1
                    let text = "\(record)"
                    #expect(!text.contains("apiKey") && !text.contains("00000000-1111-2222-3333-444444444444"), "\(set): \(text.prefix(200))")
                }
            }
            #expect(checked > 50)
            #expect(keyInInput, "\(set): the input holds the key, so the check means something")
        }
    }

    @Test("recognising random messages never traps and yields records of known kinds")
    func randomMessages() async {
        let pieces = ["{", "}", "[", "]", "\"type\":\"Composite\"", "\"dataModelVersion\":\"2.0\"", "\"data\":{\"allMonitoringData\":[{\"type\":\"Span\"}]}",
                      "\"traces\":[[{\"trace_id\":\"AB\"}]]", "\"_aws\":{\"CloudWatchMetrics\":[{\"Metrics\":[{\"Name\":\"x\"}]}],\"Timestamp\":1}", "\"x\":[1,2]",
                      "[1,\"NR_LAMBDA_MONITORING\",\"H4sI\"]", "REPORT RequestId: r\tDuration: 1 ms", "START RequestId: a", "END RequestId: a",
                      "[ERROR] E: m", "[INFO]\t2026-11-22T01:30:00.078Z\tr\t", "{\n", "}\n", ",", ":", "\"", "1", "é", "\n"]
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let events = (0..<(1 + Int(rng.next() % 20))).map { index -> SubscriptionPayloadEncoder.Event in
                var text = ""
                for _ in 0..<(rng.next() % 10) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
                return .init(id: .string("\(index)"), timestamp: 1, message: Array(text.utf8))
            }
            guard let message = dataMessage(events) else {
                Issue.record("the generated payload did not decode")
                return
            }
            var recognizer = Recognizer()
            recognizer.recognize(message)
            recognizer.finish()
            #expect(recognizer.tally.classCounts.reduce(0, +) == events.count)
        }
    }

    @Test("recognising mutated corpus lines never traps: every event is counted once")
    func mutatedCorpus() async throws {
        let corpus = try RecognitionTests.corpusMessages()
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let events = (0..<40).map { index -> SubscriptionPayloadEncoder.Event in
                var bytes = Array(corpus[Int(rng.next() % UInt64(corpus.count))].utf8)
                for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    }
                }
                return .init(id: .string("\(index)"), timestamp: 1, message: bytes)
            }
            guard let message = dataMessage(events) else {
                Issue.record("the generated payload did not decode")
                return
            }
            var recognizer = Recognizer()
            recognizer.recognize(message)
            recognizer.finish()
            #expect(recognizer.tally.classCounts.reduce(0, +) == 40)
            #expect(recognizer.tally.producerCounts.reduce(0, +) == 40)
        }
    }

    @Test("REPORT lines in every layout the corpus shows")
    func reportLayouts() throws {
        for line in try TestPaths.read(TestPaths.corpus + "/platform/platform_text.jsonl").split(separator: UInt8(ascii: "\n")) {
            let value = try JSONValue.parse(line)
            guard let message = value["message"]?.stringValue, message.hasPrefix("REPORT RequestId: ") else { continue }
            let report = try #require(PlatformRecognizer.report(message, timestamp: 0), "\(message)")
            #expect(report.durationMs > 0)
            #expect(report.billedDurationMs != nil, "\(message)")
            #expect(report.memorySizeMB == 128, "\(message)")
            #expect(report.maxMemoryUsedMB != nil, "\(message)")
            #expect((report.initDurationMs != nil) == message.contains("Init Duration"), "\(message)")
            if message.contains("XRAY TraceId: 1-"), !message.contains("xmpl") { #expect(report.traceID?.count == 32, "\(message)") }
        }
        let spaced = "REPORT RequestId: 8edab1f8-7d34-4a8e-a965-15ccbbb78d4c Duration: 0.81 ms  Billed Duration: 100 ms Memory Size: 128 MB Max Memory Used: 90 MB  Init Duration: 1234 ms"
        let report = try #require(PlatformRecognizer.report(spaced, timestamp: 0))
        #expect(report.durationMs == 0.81)
        #expect(report.billedDurationMs == 100)
        #expect(report.initDurationMs == 1234)
        #expect(report.maxMemoryUsedMB == 90)
    }

    @Test("a platform line's labelled fields: the last of a label, units kept, numbers as Double reads them")
    func labelledFields() {
        let line = "REPORT RequestId: r1\tDuration: 619.31 ms\tBilled Duration: 700 ms\tMemory Size: 128 MB\tInit Duration: 1.2.3 ms\tDuration: 5 ms"
        Array(line.utf8).withUnsafeBufferPointer { bytes in
            let fields = LabelledFields(bytes)
            #expect(fields.number("Duration") == 5, "the last of a label given twice")
            #expect(fields.number("Billed Duration") == 700)
            #expect(fields.string("Memory Size") == "128 MB")
            #expect(fields.number("Memory Size") == 128)
            #expect(fields.number("Init Duration") == nil, "not a number")
            #expect(fields.value("Max Memory Used") == nil)
        }
        for (text, expected) in [("619.31", 619.31), ("0.1", 0.1), ("-2.5", -2.5), ("12345678901234567890123", 12345678901234567890123.0), ("3.", 3.0)] {
            #expect(Array(text.utf8).withUnsafeBufferPointer(LabelledFields.number) == expected, "\(text)")
        }
        #expect(Array("-".utf8).withUnsafeBufferPointer(LabelledFields.number) == nil)
    }

    @Test("a level read on its bytes is the level read from its String")
    func levelsOnBytes() async {
        // Every spelling the byte path knows, near misses, other cases and a spelling with a combining mark.
        let pieces = ["INFO", "WARN", "WARNING", "ERROR", "DEBUG", "TRACE", "FATAL", "CRITICAL", "info", "Warn", "NOTICE", "ERR", "CRIT",
                      "E", "I", "\u{301}", "é", " ", ""]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let level = (0..<Int(1 + rng.next() % 2)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(Array(level.utf8).withUnsafeBufferPointer(Severity.init(levelBytes:)) == Severity(level: level), "\(level)")
        }
        for (level, severity) in [("INFO", Severity.info), ("WARN", .warn), ("WARNING", .warn), ("ERROR", .error), ("DEBUG", .debug),
                                  ("TRACE", .trace), ("FATAL", .fatal), ("CRITICAL", .fatal)] {
            #expect(Array(level.utf8).withUnsafeBufferPointer(Severity.init(levelBytes:)) == severity, "\(level)")
        }
    }

    @Test("timestamps and trace ids in the producers' forms")
    func conversions() {
        // The id readers take the bytes recognition has; the cases are written as text.
        func onBytes<R>(_ text: String, _ read: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            Array(text.utf8).withUnsafeBufferPointer(read)
        }
        #expect(Timestamps.epochMilliseconds(iso: "1970-01-01T00:00:00Z") == 0)
        #expect(Timestamps.epochMilliseconds(iso: "2026-11-22T01:30:00.078Z") == 1_795_311_000_078)
        #expect(Timestamps.epochMilliseconds(iso: "2026-11-22 01:31:26,048+0000") == 1_795_311_086_048)
        #expect(Timestamps.epochMilliseconds(iso: "2026-11-22T03:31:26.048+02:00") == 1_795_311_086_048)
        #expect(Timestamps.epochMilliseconds(iso: "not a time") == nil)
        #expect(onBytes("1-5e61292c-cc1229a4dfbeae1043928548", TraceIDs.fromXRay) == "5e61292ccc1229a4dfbeae1043928548")
        #expect(onBytes("Root=1-6352a70e-1e2c502e358361800241fd45;Parent=35465b3a9e2f7c6a;Sampled=1", TraceIDs.fromTraceHeader) == "6352a70e1e2c502e358361800241fd45")
        #expect(onBytes("1-5E61292C-CC1229A4DFBEAE1043928548", TraceIDs.fromXRay) == "5e61292ccc1229a4dfbeae1043928548")
        #expect(onBytes("1-5e61292c-cc1229a4dfbeae104392854", TraceIDs.fromXRay) == nil)
        #expect(onBytes("1-5e61292c-cc1229a4dfbeae104392854g", TraceIDs.fromXRay) == nil)
        #expect(onBytes("2-5e61292c-cc1229a4dfbeae1043928548", TraceIDs.fromXRay) == nil)
        #expect(onBytes("Parent=35465b3a9e2f7c6a;Root=1-6352a70e-1e2c502e358361800241fd45", TraceIDs.fromTraceHeader) == "6352a70e1e2c502e358361800241fd45")
        #expect(onBytes("Parent=35465b3a9e2f7c6a;Sampled=1", TraceIDs.fromTraceHeader) == nil)
        #expect(onBytes("Root=1-6352a70e;Sampled=1", TraceIDs.fromTraceHeader) == nil)
        #expect(onBytes("", TraceIDs.fromTraceHeader) == nil)
        #expect(onBytes("00AbCdEf09", DatadogIDs.lowercased) == "00abcdef09")
        #expect(onBytes("3172564172058669914", DatadogIDs.traceID) == "0000000000000000" + "2c07364e36b0335a")
        #expect(onBytes("14292093692483532556", DatadogIDs.spanID) == "c657b77d9514f70c")
        #expect(onBytes("0", DatadogIDs.traceID) == nil)
        #expect(onBytes("5E61292CCC1229A4DFBEAE1043928548", DatadogIDs.traceID) == "5e61292ccc1229a4dfbeae1043928548")
        #expect(onBytes(String(repeating: "0", count: 32), DatadogIDs.traceID) == nil)
        #expect(onBytes("18446744073709551615", DatadogIDs.traceID) == "0000000000000000ffffffffffffffff")
        #expect(onBytes("18446744073709551616", DatadogIDs.traceID) == nil)
        #expect(SpanKind(text: "SpanKind.SERVER") == .server && SpanKind(text: "SPAN_KIND_CLIENT") == .client)
        #expect(SpanKind(text: "producer") == .producer && SpanKind(text: "Consumer.") == .consumer)
        #expect(SpanKind(text: "SPAN_KIND_UNSPECIFIED") == .unspecified && SpanKind(text: "") == .internal && SpanKind(text: "web") == .internal)
        #expect(onBytes("1", DatadogIDs.spanID) == "0000000000000001")
        #expect(onBytes("12a", DatadogIDs.spanID) == nil && onBytes("", DatadogIDs.spanID) == nil && onBytes("0", DatadogIDs.spanID) == nil)
        #expect(Severity(level: "WARNING") == .warn && Severity(level: "CRITICAL") == .fatal && Severity(level: "info") == .info)
    }
}
