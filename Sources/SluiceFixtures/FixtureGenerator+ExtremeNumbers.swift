import SluicePipeline

extension FixtureGenerator {
    /// What replaces every number of a JSON line: past what any time, duration or size holds, and a
    /// negative duration. A Datadog metric with `"e": 1e300` trapped converting it to milliseconds and
    /// lost the batch; so did eight other fields (see ``RecordBounds``).
    static let extremeNumbers = ["1e300", "-1e300", "9223372036854775807", "-9223372036854775808", "-1"]
    /// What replaces every run of digits of a text line.
    static let extremeDigits = ["99999999999999999999999", "0"]

    /// `bad/extreme-numbers.json.gz`: the first corpus line of each shape (JSON lines by the
    /// paths of their keys, New Relic's by those of the payload inside; text lines by their start without
    /// digits), once for each extreme, every number of it replaced. Accepted, not rejected: every line must
    /// still be read, and every time a record keeps must stay within ``RecordBounds``.
    func extremeNumbers(producers: [(name: String, lines: [CorpusLine])], emit: Emit, into expectations: inout [FixtureExpectation]) throws {
        var seen: Set<String> = []
        var messages: [[UInt8]] = []
        for producer in producers {
            for line in producer.lines {
                let text = Array(line.message.utf8)
                if let value = try? JSONValue.parse(text) {
                    let payload = Self.newRelicPayload(value)
                    guard seen.insert("json " + Self.keyPaths(payload ?? value).sorted().joined(separator: " ")).inserted else { continue }
                    for number in Self.extremeNumbers {
                        var w = JSONWriter()
                        if let payload {
                            // The payload inside, its numbers replaced, compressed and encoded again.
                            var inner = JSONWriter()
                            inner.value(Self.replacingNumbers(payload, with: number))
                            w.value(.array([value[0] ?? .null, value[1] ?? .null, .string(Self.base64(GzipEncoder.compress(inner.bytes)))]))
                        } else {
                            w.value(Self.replacingNumbers(value, with: number))
                        }
                        messages.append(w.bytes)
                    }
                } else {
                    let digitless = line.message.filter { !$0.isASCII || !$0.isNumber }
                    guard seen.insert("text " + String(digitless.prefix(14))).inserted else { continue }
                    for digits in Self.extremeDigits { messages.append(Self.replacingDigitRuns(text, with: Array(digits.utf8))) }
                }
            }
        }
        let events = messages.enumerated().map { index, message in
            Event(id: .string(Self.eventID(timestamp: Self.baseTimestamp + Int64(index), sequence: index)), timestamp: Self.baseTimestamp + Int64(index), message: message)
        }
        let document = Document(owner: Self.owner, logGroup: "/aws/lambda/extreme-numbers-fixture",
                                logStream: "2026/11/22/[$LATEST]\(Self.hex32(of: "extreme-numbers"))", subscriptionFilters: ["sluice-fixtures"], events: events)
        var e = FixtureExpectation(path: "bad/extreme-numbers.json.gz")
        e.add(document, form: "gzip")
        try emit(e.path, GzipEncoder.compress(SubscriptionPayloadEncoder.json(document), level: 9))
        expectations.append(e)
    }

    /// The JSON inside a New Relic line `[1, "NR_LAMBDA_MONITORING", "<base64 gzip JSON>"]`.
    static func newRelicPayload(_ value: JSONValue) -> JSONValue? {
        guard value[1]?.stringValue == "NR_LAMBDA_MONITORING", let encoded = value[2]?.stringValue,
              let compressed = try? Base64Decoder.decode(Array(encoded.utf8), field: "fixture") else { return nil }
        let inflated = compressed.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: 1 << 24, field: "fixture") }
        guard inflated.error == nil else { return nil }
        return try? JSONValue.parse(inflated.buffer.bytes)
    }

    /// Every path of a key in `value` (`/data/metric_data`, array elements as `[]`).
    static func keyPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
        switch value {
        case .object(let members):
            return members.reduce(into: []) { paths, member in
                let path = prefix + "/" + member.key
                paths.insert(path)
                paths.formUnion(keyPaths(member.value, prefix: path))
            }
        case .array(let elements):
            return elements.reduce(into: []) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        default:
            return []
        }
    }

    static func replacingNumbers(_ value: JSONValue, with number: String) -> JSONValue {
        switch value {
        case .number: .number(JSONNumber(text: number))
        case .object(let members): .object(members.map { JSONMember($0.key, replacingNumbers($0.value, with: number)) })
        case .array(let elements): .array(elements.map { replacingNumbers($0, with: number) })
        default: value
        }
    }

    static func replacingDigitRuns(_ text: [UInt8], with digits: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var inRun = false
        for byte in text {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isDigit && !inRun { out += digits }
            if !isDigit { out.append(byte) }
            inRun = isDigit
        }
        return out
    }
}
