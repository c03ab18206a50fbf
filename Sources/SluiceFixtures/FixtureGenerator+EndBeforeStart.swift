import SluicePipeline

extension FixtureGenerator {
    /// The members holding a span's (or a trace's) start and end, as the producers write them: OTLP/JSON,
    /// Thundra, and OpenTelemetry's console exporter.
    static let spanTimes: [(start: String, end: String)] = [
        ("startTimeUnixNano", "endTimeUnixNano"), ("startTimestamp", "finishTimestamp"), ("start_time", "end_time"),
    ]

    /// `bad/end-before-start.json`: the first corpus line of each shape whose spans carry a start and an end,
    /// and two pretty-printed console spans of each producer, the two times swapped, as a clock stepping back
    /// between them writes them. A span ending before it starts was kept with a negative duration by a local
    /// replay and refused by `serve` (OTLP has no negative duration), so the two stored different things.
    func endBeforeStart(producers: [(name: String, lines: [CorpusLine])], emit: Emit, into expectations: inout [FixtureExpectation]) throws {
        var seen: Set<String> = []
        var messages: [[UInt8]] = []
        for producer in producers {
            /// The lines of the pretty-printed record being read (`{\n` … `}\n`, one event each).
            var record: [String]?
            var pretty = 0
            for line in producer.lines {
                if line.message == "{\n" {
                    record = [line.message]
                } else if var lines = record {
                    lines.append(line.message)
                    record = line.message == "}\n" ? nil : lines
                    if line.message == "}\n", pretty < 2, let swapped = Self.swappingTimes(inLines: lines) {
                        messages += swapped.map { Array($0.utf8) }
                        pretty += 1
                    }
                } else if let value = try? JSONValue.parse(Array(line.message.utf8)) {
                    let (swapped, count) = Self.swappingTimes(value)
                    // One line per beginning (its digits left out): Thundra's Composite lines differ in every key path.
                    let shape = producer.name + " " + String(line.message.filter { !$0.isNumber }.prefix(48))
                    guard count > 0, seen.insert(shape).inserted else { continue }
                    var w = JSONWriter()
                    w.value(swapped)
                    messages.append(w.bytes)
                }
            }
        }
        let events = messages.enumerated().map { index, message in
            Event(id: .string(Self.eventID(timestamp: Self.baseTimestamp + Int64(index), sequence: index)), timestamp: Self.baseTimestamp + Int64(index), message: message)
        }
        let document = Document(owner: Self.owner, logGroup: "/aws/lambda/end-before-start-fixture",
                                logStream: "2026/11/22/[$LATEST]\(Self.hex32(of: "end-before-start"))", subscriptionFilters: ["sluice-fixtures"], events: events)
        var e = FixtureExpectation(path: "bad/end-before-start.json")
        e.add(document, form: "data_message")
        try emit(e.path, SubscriptionPayloadEncoder.json(document))
        expectations.append(e)
    }

    /// `value` with the start and end of every object holding both swapped, and how many were.
    static func swappingTimes(_ value: JSONValue) -> (JSONValue, Int) {
        switch value {
        case .object(var members):
            var count = 0
            for index in members.indices {
                let (swapped, n) = swappingTimes(members[index].value)
                members[index].value = swapped
                count += n
            }
            for pair in spanTimes {
                guard let start = members.lastIndex(where: { $0.key == pair.start }), let end = members.lastIndex(where: { $0.key == pair.end }),
                      members[start].value != members[end].value else { continue }
                (members[start].value, members[end].value) = (members[end].value, members[start].value)
                count += 1
            }
            return (.object(members), count)
        case .array(var elements):
            var count = 0
            for index in elements.indices {
                let (swapped, n) = swappingTimes(elements[index])
                elements[index] = swapped
                count += n
            }
            return (.array(elements), count)
        default:
            return (value, 0)
        }
    }

    /// The lines of a pretty-printed record with its `"start_time": "…"` and `"end_time": "…"` values
    /// swapped; nil when it has not both, or they are equal.
    static func swappingTimes(inLines lines: [String]) -> [String]? {
        /// The line writing `key` and the range of its string value in it.
        func value(of key: String) -> (line: Int, range: Range<String.Index>)? {
            for (index, line) in lines.enumerated() {
                let text = line.drop { $0 == " " }
                guard text.hasPrefix("\"\(key)\": \"") else { continue }
                let rest = text.dropFirst(key.count + 5)
                guard let close = rest.firstIndex(of: "\"") else { return nil }
                return (index, rest.startIndex..<close)
            }
            return nil
        }
        guard let start = value(of: "start_time"), let end = value(of: "end_time"), start.line != end.line,
              lines[start.line][start.range] != lines[end.line][end.range] else { return nil }
        var out = lines
        out[start.line].replaceSubrange(start.range, with: lines[end.line][end.range])
        out[end.line].replaceSubrange(end.range, with: lines[start.line][start.range])
        return out
    }
}
