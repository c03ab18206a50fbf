import CZlib
import SluicePipeline

extension FixtureGenerator {
    typealias Emit = (String, [UInt8]) throws -> Void

    static func lambdaEvent(data: String) -> [UInt8] {
        Array(#"{"awslogs":{"data":""#.utf8) + Array(data.utf8) + Array(#""}}"#.utf8)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        String(decoding: Base64Encoder.encode(bytes), as: UTF8.self)
    }

    /// Payloads that exercise the corners of the accepted forms.
    func special(sample: Document, emit: Emit, into good: inout [FixtureExpectation]) throws {
        let control = Document.control(timestamp: Self.baseTimestamp)
        var e = FixtureExpectation(path: "payloads/special/control-message.json")
        e.add(control, form: "lambda_event")
        try emit(e.path, SubscriptionPayloadEncoder.lambdaEvent(control))
        good.append(e)

        var integerIDs = sample
        integerIDs.events = sample.events.prefix(5).enumerated().map { index, event in
            Event(id: .integer(Int64(index)), timestamp: event.timestamp, message: event.message)
        }
        e = FixtureExpectation(path: "payloads/special/integer-event-ids.json")
        e.add(integerIDs, form: "data_message")
        try emit(e.path, SubscriptionPayloadEncoder.json(integerIDs))
        good.append(e)

        var account = sample
        account.policyLevel = "ACCOUNT_LEVEL_POLICY"
        account.events = sample.events.prefix(4).map { event in
            var event = event
            event.extractedFields = [ExtractedField(name: "@aws.account", value: Self.owner), ExtractedField(name: "@aws.region", value: "us-east-1")]
            return event
        }
        e = FixtureExpectation(path: "payloads/special/account-level-policy.json")
        e.add(account, form: "lambda_event")
        try emit(e.path, SubscriptionPayloadEncoder.lambdaEvent(account))
        good.append(e)

        // Some serialisers write "/" as "\/" inside JSON strings, base64 included.
        let escaped = SubscriptionPayloadEncoder.encodedData(sample).replacingOccurrences(of: "/", with: "\\/")
        e = FixtureExpectation(path: "payloads/special/escaped-slashes.json")
        e.add(sample, form: "lambda_event")
        try emit(e.path, Self.lambdaEvent(data: escaped))
        good.append(e)

        e = FixtureExpectation(path: "payloads/special/gzipped-lambda-event.json.gz")
        e.add(sample, form: "lambda_event")
        try emit(e.path, GzipEncoder.compress(SubscriptionPayloadEncoder.lambdaEvent(sample)))
        good.append(e)
    }

    /// One fixture per bad-input case, each with the error kind and the place its message must name.
    func badCases(sample: Document, emit: Emit, into bad: inout [FixtureExpectation]) throws {
        func single(_ name: String, _ bytes: [UInt8], kind: String, mentions: String, form: String, arguments: [String] = []) throws {
            var e = FixtureExpectation(path: "bad/\(name)")
            e.arguments = arguments
            e.reject(kind, mentioning: mentions, form: form)
            try emit(e.path, bytes)
            bad.append(e)
        }
        let json = SubscriptionPayloadEncoder.json(sample)
        let gzip = GzipEncoder.compress(json)
        let data = Self.base64(gzip)

        var broken = Array(data.utf8)
        broken[10] = UInt8(ascii: "*")
        try single("invalid-base64.json", Self.lambdaEvent(data: String(decoding: broken, as: UTF8.self)),
                   kind: "invalid_base64", mentions: "awslogs.data: invalid base64: '*' at character 10", form: "lambda_event")
        let oddLength = String(data.dropLast(data.count % 4 == 0 ? 3 : 0).prefix((data.count / 4) * 4 - 3))
        try single("invalid-base64-length.json", Self.lambdaEvent(data: oddLength),
                   kind: "invalid_base64_length", mentions: "awslogs.data", form: "lambda_event")
        try single("not-gzip.json", Self.lambdaEvent(data: Self.base64(json)),
                   kind: "not_gzip", mentions: "starts 7b 22 6d 65", form: "lambda_event")
        try single("truncated-gzip.json", Self.lambdaEvent(data: Self.base64(Array(gzip.prefix(gzip.count / 2)))),
                   kind: "truncated_gzip", mentions: "awslogs.data: gzip stream is truncated", form: "lambda_event")
        var damaged = gzip
        for i in 12..<24 { damaged[i] ^= 0xA5 }
        try single("corrupt-gzip.json", Self.lambdaEvent(data: Self.base64(damaged)),
                   kind: "corrupt_gzip", mentions: "awslogs.data: gzip stream is corrupt", form: "lambda_event")
        let invalidJSON = Array(#"{"messageType":"DATA_MESSAGE",,"owner":"1"}"#.utf8)
        try single("invalid-json.json", Self.lambdaEvent(data: Self.base64(GzipEncoder.compress(invalidJSON))),
                   kind: "invalid_json", mentions: "awslogs.data (after base64 and gunzip): unexpected ',' at byte 30", form: "lambda_event")
        try single("truncated-json.json", Array(json.prefix(json.count - 40)),
                   kind: "invalid_json", mentions: "truncated document", form: "data_message")

        var text = String(decoding: json, as: UTF8.self)
        let secondTimestamp = #""timestamp":\#(sample.events[1].timestamp),"#
        text = text.replacingFirst(secondTimestamp, with: #""timestamp":"later","#)
        try single("wrong-type.json", Array(text.utf8), kind: "wrong_type",
                   mentions: "logEvents[1].timestamp: expected an integer (epoch milliseconds), found a string", form: "data_message")
        // A time no record can hold (its nanoseconds past an Int64's half): the payload is rejected, naming it.
        text = String(decoding: json, as: UTF8.self).replacingFirst(secondTimestamp, with: #""timestamp":99999999999999,"#)
        try single("timestamp-out-of-range.json", Array(text.utf8), kind: "value_out_of_range",
                   mentions: "logEvents[1].timestamp: 99999999999999 is out of range; expected epoch milliseconds from 0", form: "data_message")
        text = String(decoding: json, as: UTF8.self).replacingFirst(#""logGroup":"\#(sample.logGroup)","#, with: "")
        try single("missing-field.json", Array(text.utf8), kind: "missing_field", mentions: "logGroup: required field is missing", form: "data_message")
        var empty = sample
        empty.events = []
        try single("empty-log-events.json", SubscriptionPayloadEncoder.json(empty), kind: "empty_log_events", mentions: "logEvents", form: "data_message")
        var unknown = sample
        unknown.messageType = "TEST_MESSAGE"
        try single("unknown-message-type.json", SubscriptionPayloadEncoder.json(unknown), kind: "unknown_message_type", mentions: "TEST_MESSAGE", form: "data_message")
        try single("unrecognized-document.json", Array(#"{"hello":"world","records_count":3}"#.utf8),
                   kind: "unrecognized_document", mentions: "\"hello\", \"records_count\"", form: "unrecognized")
        try single("not-json.txt", Array("hello, world\n".utf8), kind: "unrecognized_input", mentions: "'h' at byte 0", form: "unrecognized")
        var e = FixtureExpectation(path: "bad/empty.json")
        e.rejectedKinds = ["empty_input"]
        e.errorMentions = ["the input is empty"]
        try emit(e.path, [])
        bad.append(e)
        try single("wrong-type-awslogs.json", Array(#"{"awslogs":"H4sI"}"#.utf8), kind: "wrong_type",
                   mentions: "awslogs: expected an object, found a string", form: "lambda_event")

        // Counted, not rejected: invalid UTF-8 inside messages is replaced and the payload kept.
        var invalidUTF8 = sample
        invalidUTF8.events = Array(sample.events.prefix(3))
        invalidUTF8.events[0].message = Array("caf".utf8) + [0xFF] + Array(" au lait\n".utf8)
        invalidUTF8.events[2].message = [0xC3, 0x28] + Array(" truncated sequence\n".utf8)
        e = FixtureExpectation(path: "bad/invalid-utf8.json")
        e.add(invalidUTF8, form: "lambda_event")
        e.invalidUTF8Replaced = 2
        try emit(e.path, SubscriptionPayloadEncoder.lambdaEvent(invalidUTF8))
        bad.append(e)

        // Bounds, lowered on the command line so small files show them.
        try single("too-many-events.json", json, kind: "too_many_events", mentions: "more than 3 events", form: "data_message", arguments: ["--max-events", "3"])
        let longIndex = sample.events.firstIndex(where: { $0.message.count > 16 }) ?? 0
        try single("message-too-long.json", json, kind: "message_too_long", mentions: "logEvents[\(longIndex)].message: message of \(sample.events[longIndex].message.count) bytes",
                   form: "data_message", arguments: ["--max-message-bytes", "16"])
        let nested = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        let deep = Array(#"{"messageType":"DATA_MESSAGE","x":\#(nested),"owner":"1"}"#.utf8)
        try single("deep-nesting.json", deep, kind: "invalid_json", mentions: "nest deeper than the limit of 8", form: "data_message", arguments: ["--max-json-depth", "8"])
        try single("gzip-bomb.json", Self.lambdaEvent(data: Self.base64(Self.gzipOfZeros(count: 1 << 30 + 1 << 20))),
                   kind: "decompressed_too_large", mentions: "inflates past the limit of 16777216 bytes", form: "lambda_event")

        // One bad payload among good ones: only it is lost.
        let second = Document(owner: sample.owner, logGroup: sample.logGroup, logStream: sample.logStream + "-b",
                              subscriptionFilters: sample.subscriptionFilters, events: Array(sample.events.prefix(2)))
        var w = JSONWriter()
        w.beginObject(); w.key("Records"); w.beginArray()
        for recordData in [SubscriptionPayloadEncoder.encodedData(sample), "not*base64", SubscriptionPayloadEncoder.encodedData(second)] {
            w.beginObject(); w.key("kinesis"); w.beginObject(); w.key("data"); w.string(recordData); w.endObject(); w.endObject()
        }
        w.endArray(); w.endObject()
        e = FixtureExpectation(path: "bad/kinesis-one-bad-record.json")
        e.add(sample, form: "kinesis_event")
        e.reject("invalid_base64", mentioning: "Records[1].kinesis.data: invalid base64: '*' at character 3", form: "kinesis_event")
        e.add(second, form: "kinesis_event")
        try emit(e.path, w.bytes)
        bad.append(e)

        w = JSONWriter()
        w.beginObject(); w.key("records"); w.beginArray()
        w.beginObject(); w.key("recordId"); w.string("1"); w.key("data"); w.string(SubscriptionPayloadEncoder.encodedData(sample)); w.endObject()
        w.beginObject(); w.key("recordId"); w.string("2"); w.endObject()
        w.endArray(); w.endObject()
        e = FixtureExpectation(path: "bad/firehose-missing-data.json")
        e.add(sample, form: "firehose_event")
        e.reject("missing_field", mentioning: "records[1].data: required field is missing", form: "firehose_event")
        try emit(e.path, w.bytes)
        bad.append(e)

        e = FixtureExpectation(path: "bad/concatenated-one-bad.json")
        e.add(sample, form: "data_message")
        e.reject("invalid_json", mentioning: "unexpected '}'", form: "data_message")
        e.add(second, form: "data_message")
        try emit(e.path, json + Array(#"{"messageType":"DATA_MESSAGE","owner":}"#.utf8) + SubscriptionPayloadEncoder.json(second))
        bad.append(e)

        e = FixtureExpectation(path: "bad/gzip-trailing-garbage.json.gz")
        e.add(sample, form: "gzip")
        e.reject("corrupt_gzip", mentioning: "unexpected bytes after the end of the gzip stream", form: "gzip")
        try emit(e.path, gzip + Array("garbage".utf8))
        bad.append(e)
    }

    /// A gzip member of `count` zero bytes, compressed as hard as deflate can (about 1000:1): a bomb.
    static func gzipOfZeros(count: Int) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var remaining = count
        zeros.withUnsafeBufferPointer { input in
            while true {
                let n = min(remaining, input.count)
                remaining -= n
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(n)
                let flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH
                var status: Int32 = Z_OK
                repeat {
                    status = chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        return deflate(&stream, flush)
                    }
                    out.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                } while stream.avail_out == 0
                if remaining == 0 || status == Z_STREAM_END { break }
            }
        }
        return out
    }

    /// The typical mixed payloads the benchmark measures: lines of every producer in turn, platform lines
    /// included, lines over 4 KB (Datadog's cold-start traces) left out so that the mix averages about
    /// 500 bytes an event: 500 events of about 250 KB, and about 1 MB.
    func benchmarks(producers: [(name: String, lines: [CorpusLine])], emit: Emit) throws {
        for (name, target, eventLimit) in [("mixed-250k", 250_000, 500), ("mixed-1m", 1_000_000, Int.max)] {
            var events: [Event] = []
            var size = 200
            var cursor = [Int](repeating: 0, count: producers.count)
            var turn = 0
            while size < target && events.count < eventLimit {
                let p = turn % producers.count
                turn += 1
                let lines = producers[p].lines.filter { $0.message.utf8.count <= 4096 }
                guard !lines.isEmpty else { continue }
                let line = lines[cursor[p] % lines.count]
                cursor[p] += 1
                let timestamp = Self.baseTimestamp + Int64(events.count)
                let message = Array(line.message.utf8)
                events.append(Event(id: .string(Self.eventID(timestamp: timestamp, sequence: events.count)), timestamp: timestamp, message: message))
                // What the message takes inside the DATA_MESSAGE, escapes included, plus id and timestamp.
                size += message.reduce(0) { $0 + ($1 == 0x22 || $1 == 0x5C || $1 < 0x20 ? 2 : 1) } + 90
            }
            let document = Document(owner: Self.owner, logGroup: "/aws/lambda/benchmark-mixed", logStream: "2026/11/22/[$LATEST]\(Self.hex32(of: name))",
                                    subscriptionFilters: ["sluice-benchmark"], events: events)
            try emit("benchmark/\(name).json", SubscriptionPayloadEncoder.lambdaEvent(document))
        }
    }
}

extension String {
    /// This string with the first occurrence of `target` replaced (FoundationEssentials has no such API).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
