import PropertyBased
import Testing
@testable import SluicePipeline

@Suite("payload decoder")
struct PayloadDecoderTests {
    typealias Document = SubscriptionPayloadEncoder.Document
    typealias Event = SubscriptionPayloadEncoder.Event

    static let pieces: [String] = ["START RequestId: ", "{\"m\":\"x\",\"v\":1}", "é", "🚀", "\t", "\n", "\r", "\"", "\\", "\u{01}", "\u{A0}", "plain text ", "[INFO]\t"]

    static func document(_ rng: inout SplitMix) -> Document {
        let count = 1 + Int(rng.next() % 40)
        let events = (0..<count).map { index -> Event in
            var message = ""
            for _ in 0..<(rng.next() % 12) { message += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let id: Event.ID = rng.next() % 4 == 0 ? .integer(Int64(index)) : .string(String(rng.next()) + String(index))
            let fields: [ExtractedField]? = rng.next() % 5 == 0 ? [ExtractedField(name: "@aws.account", value: "123456789012")] : nil
            return Event(id: id, timestamp: 1_795_305_600_000 + Int64(rng.next() % 100_000), message: Array(message.utf8), extractedFields: fields)
        }
        return Document(owner: String(rng.next() % 1_000_000_000_000), logGroup: "/aws/lambda/fn-\(rng.next() % 5)",
                        logStream: "2026/11/22/[$LATEST]\(rng.next())", subscriptionFilters: ["f\(rng.next() % 3)"],
                        policyLevel: rng.next() % 3 == 0 ? "ACCOUNT_LEVEL_POLICY" : nil, events: events)
    }

    /// The decoded message, turned back into the encoder's terms.
    static func reencode(_ message: DataMessage) -> Document {
        Document(
            owner: message.owner, logGroup: message.logGroup, logStream: message.logStream,
            subscriptionFilters: message.subscriptionFilters, policyLevel: message.policyLevel,
            events: message.events.map { event in
                let idText = message.id(of: event)
                return Event(id: .string(idText), timestamp: event.timestamp, message: Array(message.messageBytes(of: event)), extractedFields: event.extractedFields)
            })
    }

    static func normalisedIDs(_ document: Document) -> Document {
        var copy = document
        copy.events = document.events.map { event in
            var event = event
            if case .integer(let n) = event.id { event.id = .string(String(n)) }
            return event
        }
        return copy
    }

    @Test("decode inverts encode in every input form")
    func roundTrip() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let documents = (0..<(1 + Int(rng.next() % 3))).map { _ in Self.document(&rng) }
            let forms: [(InputForm, [UInt8])] = [
                (.lambdaEvent, SubscriptionPayloadEncoder.lambdaEvent(documents[0])),
                (.dataMessage, SubscriptionPayloadEncoder.concatenated(documents)),
                (.gzip, SubscriptionPayloadEncoder.gzipMembers(documents)),
                (.kinesisEvent, SubscriptionPayloadEncoder.kinesisEvent(documents)),
                (.firehoseEvent, SubscriptionPayloadEncoder.firehoseEvent(documents)),
            ]
            for (form, bytes) in forms {
                let batch = PayloadDecoder().decode(bytes, source: "generated")
                let expected = form == .lambdaEvent ? [documents[0]] : documents
                #expect(batch.rejections.isEmpty, "\(form): \(batch.rejections)")
                #expect(batch.forms == [form: expected.count])
                #expect(batch.messages.map(Self.reencode) == expected.map(Self.normalisedIDs), "\(form)")
            }
        }
    }

    /// Messages are unescaped in place sixteen bytes at a time (on x86_64 the first special byte found
    /// through one mask): an escaped, control or non-ASCII character in every position of the first blocks,
    /// after a first escape and without one, comes out as it went in.
    @Test("a special character in every position of a message's blocks decodes as it was written")
    func specialCharacterInEveryLane() {
        var events: [Event] = []
        for special in ["\"", "\\", "\n", "\u{01}", "é", "🚀", "\u{A0}"] {
            for position in 0..<40 {
                for lead in ["", "\"", "é"] {
                    let text = lead + String(repeating: "a", count: position) + special + String(repeating: "b", count: 40 - position)
                    events.append(Event(id: .string(String(events.count)), timestamp: 1_795_305_600_000, message: Array(text.utf8)))
                }
            }
        }
        let document = Document(owner: "123456789012", logGroup: "/aws/lambda/fn", logStream: "2026/11/22/[$LATEST]0",
                                subscriptionFilters: ["f"], policyLevel: nil, events: events)
        let batch = PayloadDecoder().decode(SubscriptionPayloadEncoder.concatenated([document]), source: "lanes")
        #expect(batch.rejections.isEmpty)
        #expect(batch.messages.map(Self.reencode) == [Self.normalisedIDs(document)])
    }

    @Test("an event seen before in the same stream is dropped and counted; other streams are not affected")
    func deduplication() throws {
        var rng = SplitMix(seed: 11)
        var document = Self.document(&rng)
        document.events = (0..<6).map { Event(id: .string("id-\($0)"), timestamp: 1, message: Array("m\($0)".utf8)) }
        let first = try #require(PayloadDecoder().decode(SubscriptionPayloadEncoder.json(document), source: "a").messages.first)
        var overlapping = document
        overlapping.events = Array(document.events[3...]) + [Event(id: .string("id-9"), timestamp: 2, message: Array("new".utf8))]
        let second = try #require(PayloadDecoder().decode(SubscriptionPayloadEncoder.json(overlapping), source: "b").messages.first)
        var other = document
        other.logStream += "-other"
        let third = try #require(PayloadDecoder().decode(SubscriptionPayloadEncoder.json(other), source: "c").messages.first)
        var deduplicator = EventDeduplicator()
        #expect(deduplicator.filter(first).events.count == 6)
        let filtered = deduplicator.filter(second)
        #expect(filtered.events.map { filtered.id(of: $0) } == ["id-9"])
        #expect(deduplicator.filter(third).events.count == 6)
        #expect(deduplicator.filter(first).events.isEmpty)
        #expect(deduplicator.duplicates == 3 + 6)
    }

    @Test("a CONTROL_MESSAGE is counted and skipped")
    func controlMessage() {
        let batch = PayloadDecoder().decode(SubscriptionPayloadEncoder.lambdaEvent(.control(timestamp: 1)), source: "control")
        #expect(batch.controlMessages == 1)
        #expect(batch.messages.isEmpty)
        #expect(batch.rejections.isEmpty)
    }

    @Test("fields in any order, unknown fields and whitespace are tolerated")
    func tolerant() throws {
        let text = """
            {"logEvents": [ {"message": "hi\\n", "extra": {"a": [1, 2]}, "timestamp": 5, "id": "eventId1"} ],
             "future": null, "subscriptionFilters": [], "logStream": "s", "logGroup": "g", "owner": "1",
             "messageType": "DATA_MESSAGE"}
            """
        let batch = PayloadDecoder().decode(Array(text.utf8), source: "t")
        #expect(batch.rejections.isEmpty)
        let message = try #require(batch.messages.first)
        #expect(message.message(of: message.events[0]) == "hi\n")
        #expect(message.id(of: message.events[0]) == "eventId1")
        #expect(message.events[0].timestamp == 5)
    }

    @Test("the bounds reject with the limit and the place named")
    func bounds() {
        var rng = SplitMix(seed: 7)
        var document = Self.document(&rng)
        document.events = (0..<5).map { Event(id: .string("\($0)"), timestamp: 1, message: Array(String(repeating: "x", count: 10 * ($0 + 1)).utf8)) }
        let json = SubscriptionPayloadEncoder.json(document)
        var configuration = IntakeConfiguration()
        configuration.maxEventsPerPayload = 4
        #expect(PayloadDecoder(configuration: configuration).decode(json, source: "b").rejections.first?.error == .tooManyEvents(count: 5, limit: 4))
        configuration = IntakeConfiguration()
        configuration.maxMessageBytes = 25
        #expect(PayloadDecoder(configuration: configuration).decode(json, source: "b").rejections.first?.error == .messageTooLong(path: "logEvents[2].message", length: 30, limit: 25))
        #expect(IntakeConfiguration(maxDecompressedBytes: 10, maxEventsPerPayload: 0, maxMessageBytes: 0, maxJSONDepth: 1).validate().count == 4)
        let (fromEnvironment, problems) = IntakeConfiguration.fromEnvironment(["SLUICE_MAX_EVENTS": "12", "SLUICE_MAX_JSON_DEPTH": "deep"])
        #expect(fromEnvironment.maxEventsPerPayload == 12)
        #expect(problems == ["SLUICE_MAX_JSON_DEPTH=deep is not a whole number"])
    }

    @Test("the decompression bound applies to each gzip member (each Firehose record) on its own")
    func perMemberBound() {
        var rng = SplitMix(seed: 3)
        let documents = (0..<3).map { _ in
            var document = Self.document(&rng)
            document.events = (0..<40).map { Event(id: .string("\($0)"), timestamp: 1, message: Array(repeating: UInt8(ascii: "x"), count: 1000)) }
            return document
        }
        let size = SubscriptionPayloadEncoder.json(documents[0]).count
        let configuration = IntakeConfiguration(maxDecompressedBytes: size + 100)
        let batch = PayloadDecoder(configuration: configuration).decode(SubscriptionPayloadEncoder.gzipMembers(documents), source: "s3")
        #expect(batch.rejections.isEmpty)
        #expect(batch.messages.count == 3)
        // One gzip member holding all three is one payload over the bound.
        let single = GzipEncoder.compress(SubscriptionPayloadEncoder.concatenated(documents))
        let refused = PayloadDecoder(configuration: configuration).decode(single, source: "s3")
        #expect(refused.rejections.map(\.error.kind) == ["decompressed_too_large"])
        #expect(refused.messages.isEmpty)
    }

    @Test("recognising never traps: random bytes and mutated payloads end in messages or rejections")
    func neverTraps() async {
        var rng = SplitMix(seed: 99)
        let base = SubscriptionPayloadEncoder.kinesisEvent([Self.document(&rng), Self.document(&rng)])
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var bytes = base
            for _ in 0..<(1 + rng.next() % 6) {
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            let batch = PayloadDecoder().decode(bytes, source: "fuzz")
            #expect(batch.payloadsRead >= 1)
        }
    }

    /// The complete log streams of the shared corpus, with the independent reference's counts.
    @Test("every corpus stream decodes to the payload, event, group and stream counts of its expected.json")
    func corpusStreams() throws {
        let root = TestPaths.corpus + "/streams"
        let sets = try TestPaths.list(root, suffix: "").filter { !$0.hasSuffix(".md") }
        #expect(sets.count == 16)
        for set in sets {
            let expected = try JSONValue.parse(try TestPaths.read("\(root)/\(set)/expected.json"))
            var summary = ReplaySummary()
            for file in try TestPaths.list("\(root)/\(set)", suffix: ".json") where file != "expected.json" {
                summary.add(PayloadDecoder().decode(try TestPaths.read("\(root)/\(set)/\(file)"), source: file))
            }
            #expect(Int64(summary.inputs) == expected["input_files"]?.int64Value, "\(set)")
            #expect(Int64(summary.dataMessages) == expected["payloads"]?["DATA_MESSAGE"]?.int64Value, "\(set)")
            #expect(Int64(summary.controlMessages) == expected["payloads"]?["CONTROL_MESSAGE"]?.int64Value, "\(set)")
            #expect(summary.rejected == 0, "\(set): \(summary.rejections)")
            #expect(Int64(summary.events) == expected["log_events"]?.int64Value, "\(set)")
            #expect(Int64(summary.logGroups.count) == expected["log_groups"]?.int64Value, "\(set)")
            #expect(Int64(summary.logGroups.values.reduce(0) { $0 + $1.streams.count }) == expected["log_streams"]?.int64Value, "\(set)")
        }
    }

    @Test("each decoded corpus payload matches its decoded/ twin event by event")
    func corpusDecodedTwins() throws {
        let root = TestPaths.corpus + "/streams"
        var compared = 0
        for set in try TestPaths.list(root, suffix: "").filter({ !$0.hasSuffix(".md") }) {
            for file in try TestPaths.list("\(root)/\(set)", suffix: ".json") where file != "expected.json" {
                let batch = PayloadDecoder().decode(try TestPaths.read("\(root)/\(set)/\(file)"), source: file)
                let twin = try JSONValue.parse(try TestPaths.read("\(root)/\(set)/decoded/\(file)"))
                let message = try #require(batch.messages.first)
                let events = twin["logEvents"]?.arrayValue ?? []
                #expect(message.events.count == events.count)
                for (event, reference) in zip(message.events, events) {
                    #expect(message.message(of: event) == reference["message"]?.stringValue)
                    #expect(event.timestamp == reference["timestamp"]?.int64Value)
                    #expect(message.id(of: event) == reference["id"]?.stringValue)
                }
                #expect(message.logStream == twin["logStream"]?.stringValue)
                compared += 1
            }
        }
        #expect(compared > 90)
    }
}
