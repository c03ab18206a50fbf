import Foundation
import SluicePipeline
import Testing

extension EndToEnd {
    /// `sluice replay` end to end: the real executable over `Fixtures/`, the corpus and generated inputs.
    @Suite("sluice replay, end to end")
    struct ReplayEndToEndTests {
        static func expectations(_ name: String) throws -> [JSONMember] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/expected/\(name).json")))
            return try JSONValue.parse(bytes).objectValue ?? []
        }

        /// Compares a replay summary with a fixture expectation (written by the generator from its inputs).
        static func check(_ summary: JSONValue, against expected: JSONValue, _ path: String) {
            for key in ["read", "data_messages", "control_messages", "rejected"] {
                #expect(summary["payloads"]?[key] == expected["payloads"]?[key], "\(path): payloads.\(key)")
            }
            #expect(summary["payloads"]?["by_form"] == expected["payloads"]?["by_form"], "\(path): by_form")
            #expect(summary["events"]?["total"] == expected["events"], "\(path): events")
            #expect(summary["inputs"]?["bytes_decoded"] == expected["bytes_decoded"], "\(path): bytes decoded")
            #expect(summary["events"]?["invalid_utf8_replaced"] == expected["invalid_utf8_replaced"], "\(path): invalid UTF-8")
            let groups = (summary["log_groups"]?.arrayValue ?? []).map { group in
                [group["log_group"], group["owner"], group["events"], group["streams"]]
            }
            let expectedGroups = (expected["log_groups"]?.arrayValue ?? []).map { group in
                [group["log_group"], group["owner"], group["events"], group["streams"]]
            }
            #expect(groups == expectedGroups, "\(path): log groups")
            let rejections = summary["rejections"]?.arrayValue ?? []
            let expectedRejections = expected["rejections"]?.arrayValue ?? []
            #expect(rejections.map { $0["kind"] } == expectedRejections.map { $0["kind"] }, "\(path): rejection kinds")
            for (rejection, wanted) in zip(rejections, expectedRejections) {
                let error = rejection["error"]?.stringValue ?? ""
                let mention = wanted["mentions"]?.stringValue ?? "<none>"
                #expect(error.contains(mention), "\(path): \"\(error)\" should mention \"\(mention)\"")
                #expect(rejection["source"]?.stringValue?.hasPrefix("Fixtures/" + path) == true, "\(path): source")
            }
        }

        @Test("every good fixture, in every input form, gives the counts it was generated with")
        func goodFixtures() throws {
            let cases = try Self.expectations("payloads")
            #expect(cases.count > 80)
            for item in cases {
                let result = try CLI.run(["replay", "--format", "json", "Fixtures/" + item.key])
                #expect(result.status == 0, "\(item.key): \(result.stderr)")
                Self.check(try result.json(), against: item.value, item.key)
            }
        }

        @Test("every bad-input fixture is its own typed error, counted, naming what and where")
        func badFixtures() throws {
            let cases = try Self.expectations("bad")
            #expect(cases.count >= 20)
            for item in cases {
                let arguments = (item.value["arguments"]?.arrayValue ?? []).compactMap(\.stringValue)
                let result = try CLI.run(["replay", "--format", "json", "Fixtures/" + item.key] + arguments)
                let rejected = item.value["payloads"]?["rejected"]?.int64Value ?? 0
                #expect(result.status == (rejected > 0 ? 1 : 0), "\(item.key): exit status \(result.status)")
                if rejected > 0 {
                    #expect(result.stderr.contains("rejected"), "\(item.key): stderr says so")
                }
                Self.check(try result.json(), against: item.value, item.key)
            }
        }

        @Test("replaying the whole payloads folder reads every file and adds up")
        func wholeFolder() throws {
            let cases = try Self.expectations("payloads")
            let result = try CLI.run(["replay", "--format", "json", "Fixtures/payloads"])
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try result.json()
            #expect(summary["inputs"]?["files"]?.int64Value == Int64(cases.count))
            let events = cases.reduce(Int64(0)) { $0 + ($1.value["events"]?.int64Value ?? 0) }
            #expect(summary["events"]?["total"]?.int64Value == events)
            #expect(summary["payloads"]?["rejected"]?.int64Value == 0)
            #expect(summary["schema"]?.stringValue == "sluice.replay/v1")
            // Every producer's events come in several forms: each event counts once in the figures.
            let unique = try Self.uniqueEvents(CLI.fixtures + "/payloads/lambda-event")
            #expect(summary["events"]?["duplicates_ignored"]?.int64Value == events - unique - Self.specialDistinct)
            let once = try CLI.run(["replay", "--format", "json", "Fixtures/payloads/lambda-event"])
            #expect(try once.json()["functions"] == summary["functions"])
        }

        @Test("a bad payload among good ones costs only itself")
        func mixedBatch() throws {
            let result = try CLI.run(["replay", "--format", "json", "Fixtures/bad/not-gzip.json", "Fixtures/payloads/lambda-event/thundra", "Fixtures/bad/empty.json"])
            #expect(result.status == 1)
            let summary = try result.json()
            #expect(summary["payloads"]?["rejected"]?.int64Value == 2)
            #expect(summary["payloads"]?["data_messages"]?.int64Value == 4)
            #expect(result.stderr.contains("2 of 6 payloads rejected"))
        }

        @Test("standard input: with '-' and when piped without paths")
        func standardInput() throws {
            let payload = try Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/payloads/kinesis/thundra.json"))
            for arguments in [["replay", "--format", "json", "-"], ["replay", "--format", "json"]] {
                let result = try CLI.run(arguments, stdin: payload)
                #expect(result.status == 0, "\(result.stderr)")
                let summary = try result.json()
                #expect(summary["payloads"]?["data_messages"]?.int64Value == 4)
                #expect(summary["payloads"]?["control_messages"]?.int64Value == 1)
                #expect(summary["rejections"]?.arrayValue?.isEmpty == true)
            }
        }

        @Test("the public payloads of other repositories, read in place")
        func publicPayloads() throws {
            let folder = CLI.corpus + "/public-payloads"
            let result = try CLI.run(["replay", "--format", "json", folder])
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try result.json()
            #expect(summary["inputs"]?["files"]?.int64Value == 7)
            #expect(summary["payloads"]?["data_messages"]?.int64Value == 7)
            let groups = summary["log_groups"]?.arrayValue ?? []
            let byName = Dictionary(groups.map { ($0["log_group"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            // The AWS documentation sample, once as a Lambda event in each of two repositories and once decoded.
            #expect(byName["testLogGroup"]?["events"]?.int64Value == 6)
            #expect(byName["testLogGroup"]?["owner"]?.stringValue == "123456789123")
            #expect(byName["/aws/lambda/hello-dog-node-dev-hello12x"]?["events"]?.int64Value == 19)
            #expect(byName["/aws/lambda/testing-datadog"]?["events"]?.int64Value == 1)
            #expect(byName["/aws/lambda/storms-cloudwatch-event"]?["events"]?.int64Value == 4 + (try Self.eventCount(folder + "/datadog-serverless-functions__snapshots_cloudwatch_log_coldstart.decoded.json")))
        }

        static func eventCount(_ path: String) throws -> Int64 {
            let value = try JSONValue.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
            return Int64(value["logEvents"]?.arrayValue?.count ?? -1)
        }

        @Test("the corpus streams through the CLI match their expected.json counts")
        func corpusStreams() throws {
            let root = CLI.corpus + "/streams"
            let sets = try FileManager.default.contentsOfDirectory(atPath: root).filter { !$0.hasSuffix(".md") }.sorted()
            #expect(sets.count == 16)
            for set in sets {
                let files = try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(set)").filter { $0.hasSuffix(".json") && $0 != "expected.json" }.sorted()
                let result = try CLI.run(["replay", "--format", "json"] + files.map { "\(root)/\(set)/\($0)" })
                #expect(result.status == 0, "\(set): \(result.stderr)")
                let summary = try result.json()
                let expected = try JSONValue.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: "\(root)/\(set)/expected.json"))))
                #expect(summary["payloads"]?["data_messages"] == expected["payloads"]?["DATA_MESSAGE"], "\(set)")
                #expect(summary["events"]?["total"] == expected["log_events"], "\(set)")
                #expect(summary["events"]?["duplicates_ignored"] == expected["duplicate_events_ignored"], "\(set)")
                #expect(Int64(summary["log_groups"]?.arrayValue?.count ?? -1) == expected["log_groups"]?.int64Value, "\(set)")
                #expect(summary["log_groups"]?[0]?["streams"] == expected["log_streams"], "\(set)")
                #expect(summary["records"]?["by_class"] == Self.sortedObject(expected["record_classes"]), "\(set): record classes")
                for kind in ["span", "log", "metrics"] {
                    #expect((summary["records"]?["otel_pretty"]?[kind]?.int64Value ?? -1) == (expected["otel_pretty_records"]?[kind]?.int64Value ?? 0), "\(set): \(kind)")
                }
                for function in summary["functions"]?.arrayValue ?? [] {
                    guard let group = function["log_group"]?.stringValue, let reference = expected["functions"]?[group] else {
                        Issue.record("\(set): unexpected function \(function)")
                        continue
                    }
                    for key in ["invocations", "cold_starts", "errors", "timeouts", "out_of_memory", "log_streams"] {
                        #expect(function[key]?.int64Value == reference[key]?.int64Value, "\(set): \(key)")
                    }
                    #expect(function["duration_ms"]?["count"] == reference["duration_ms"]?["count"], "\(set)")
                    #expect(abs((function["duration_ms"]?["sum"]?.doubleValue ?? -1) - (reference["duration_ms"]?["sum"]?.doubleValue ?? -2)) < 1e-6, "\(set)")
                }
                #expect(summary["functions"]?.arrayValue?.count == expected["functions"]?.objectValue?.count, "\(set)")
            }
        }

        /// Events of `payloads/special/` that are new: the five integer-id events (moto style) repeat
        /// messages under other ids; every other special event repeats an event of `lambda-event/`.
        static let specialDistinct: Int64 = 5

        static func uniqueEvents(_ folder: String) throws -> Int64 {
            let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
            var total: Int64 = 0
            for file in files {
                let result = try CLI.run(["replay", "--format", "json", folder + "/" + file])
                total += try result.json()["events"]?["total"]?.int64Value ?? 0
            }
            return total
        }

        static func sortedObject(_ value: JSONValue?) -> JSONValue? {
            guard let members = value?.objectValue else { return value }
            return .object(members.sorted { $0.key < $1.key })
        }

        @Test("50,000 small events in one file are all read")
        func manySmallEvents() throws {
            let events = (0..<50_000).map { index in
                SubscriptionPayloadEncoder.Event(id: .string(String(index)), timestamp: 1_795_305_600_000 + Int64(index), message: Array("event \(index) ok\n".utf8))
            }
            let document = SubscriptionPayloadEncoder.Document(owner: "123456789012", logGroup: "/aws/lambda/many", logStream: "s", events: events)
            let path = NSTemporaryDirectory() + "sluice-50k-\(getpid()).json"
            try Data(SubscriptionPayloadEncoder.lambdaEvent(document)).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try CLI.run(["replay", "--format", "json", path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try result.json()["events"]?["total"]?.int64Value == 50_000)
        }

        @Test("the table names groups, totals and each rejection")
        func table() throws {
            let result = try CLI.run(["replay", "--format", "table", "Fixtures/payloads/kinesis/newrelic.json", "Fixtures/bad/wrong-type.json"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("/aws/lambda/newrelic-fixture"))
            #expect(result.stdout.contains("Payloads   read 5   data 3   control 1   rejected 1"))
            #expect(result.stdout.contains("wrong_type: logEvents[1].timestamp: expected an integer (epoch milliseconds), found a string"))
        }

        @Test("a progress bar on a terminal, none otherwise")
        func progressBar() throws {
            // util-linux `script` gives the command a terminal.
            let command = "\(CLI.executable) replay --format json Fixtures/payloads/lambda-event"
            let onTerminal = try CLI.run(external: "/usr/bin/script", ["-qec", command, "/dev/null"])
            #expect(onTerminal.status == 0)
            let inputs = try FileManager.default.subpathsOfDirectory(atPath: CLI.fixtures + "/payloads/lambda-event").filter { $0.hasSuffix(".json") }.count
            #expect(onTerminal.stdout.contains("[##############################] \(inputs)/\(inputs) inputs"))
            let piped = try CLI.run(["replay", "--format", "json", "Fixtures/payloads/lambda-event"])
            #expect(!piped.stderr.contains("[#"))
            #expect(piped.stderr.isEmpty)
        }

        @Test("configuration problems are all reported at once, before any work")
        func configuration() throws {
            let result = try CLI.run(["replay", "--max-json-depth", "2", "--max-events", "0", "--architecture", "sparc", "--sample-fraction", "2", "Fixtures/payloads"],
                                     environment: ["SLUICE_MAX_MESSAGE_BYTES": "lots", "SLUICE_WINDOW_SECONDS": "0"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--architecture sparc is not one of x86_64, arm64"))
            #expect(result.stderr.contains("the aggregation window must be at least 1 second"))
            #expect(result.stderr.contains("the sample fraction must be between 0 and 1 (got 2.0)"))
            #expect(result.stderr.contains("SLUICE_MAX_MESSAGE_BYTES=lots is not a whole number"))
            #expect(result.stderr.contains("max events per payload must be at least 1"))
            #expect(result.stderr.contains("max JSON depth must be at least 4"))
            #expect(result.stdout.isEmpty)
            // Windows whose milliseconds pass Int64 trapped in the multiplication.
            let huge = try CLI.run(["replay", "--window-seconds", "9223372036854775807", "Fixtures/payloads"], environment: ["SLUICE_WINDOW_SECONDS": "-9223372036854775807"])
            #expect(huge.status == 64)
            #expect(huge.stderr.contains("the aggregation window must be at most 4611686018 seconds"), "\(huge.stderr)")
            let hugeEnvironment = try CLI.run(["replay", "Fixtures/payloads"], environment: ["SLUICE_WINDOW_SECONDS": "9223372036854775807"])
            #expect(hugeEnvironment.status == 64 && hugeEnvironment.stderr.contains("at most 4611686018 seconds"), "\(hugeEnvironment.stderr)")
            let query = try CLI.run(["query", "metric", "ItemsInCart", "--window-seconds", "9223372036854775807", "--store", "sqlite:/nonexistent/never.db"])
            #expect(query.status == 64 && query.stderr.contains("--window-seconds must be from 1 to 4611686018"), "\(query.stderr)")
            // Stored values of ±1e300 in a table: written as Swift writes them (converted to Int, they trapped).
            let folder = try Servers.scratch("extreme-table")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let stored = try CLI.run(["replay", "--format", "json", "--store", "sqlite:\(folder)/sluice.db", "Fixtures/bad/extreme-numbers.json.gz"])
            #expect(stored.status == 0, "\(stored.stderr)")
            let table = try CLI.run(["query", "metric", "ItemsInCart", "--format", "table", "--store", "sqlite:\(folder)/sluice.db"])
            #expect(table.status == 0 && table.stdout.contains("min -1e+300  max 1e+300"), "\(table.stdout)\(table.stderr)")
            let lowered = try CLI.run(["replay", "--format", "json", "Fixtures/bad/too-many-events.json"], environment: ["SLUICE_MAX_EVENTS": "3"])
            #expect(try lowered.json()["rejections"]?[0]?["kind"]?.stringValue == "too_many_events")
        }

        @Test("arm64 prices make the same invocations cheaper")
        func architecturePrices() throws {
            let paths = try FileManager.default.contentsOfDirectory(atPath: CLI.corpus + "/streams/thundra-text").filter { $0.hasSuffix(".json") && $0 != "expected.json" }.sorted()
                .map { CLI.corpus + "/streams/thundra-text/" + $0 }
            let x86 = try CLI.run(["replay", "--format", "json"] + paths)
            let arm = try CLI.run(["replay", "--format", "json", "--architecture", "arm64", "--window-seconds", "300"] + paths)
            let costX86 = try x86.json()["functions"]?[0]?["estimated_cost_usd"]?.doubleValue ?? 0
            let costArm = try arm.json()["functions"]?[0]?["estimated_cost_usd"]?.doubleValue ?? 0
            #expect(costX86 > 0 && costArm > 0 && costArm < costX86)
            #expect(try arm.json()["functions"]?[0]?["invocations"] == x86.json()["functions"]?[0]?["invocations"])
        }

        @Test("a missing path is reported as unreadable and the rest is still read")
        func missingPath() throws {
            let result = try CLI.run(["replay", "--format", "json", "Fixtures/does-not-exist.json", "Fixtures/payloads/data-message/thundra.json"])
            #expect(result.status == 1)
            let summary = try result.json()
            #expect(summary["rejections"]?[0]?["kind"]?.stringValue == "unreadable_input")
            #expect(summary["rejections"]?[0]?["error"]?.stringValue?.contains("No such file or directory") == true)
            #expect(summary["payloads"]?["data_messages"]?.int64Value == 1)
        }

        @Test("the fixture generator reproduces the committed Fixtures/ byte for byte")
        func fixturesAreReproducible() throws {
            let output = NSTemporaryDirectory() + "sluice-fixtures-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let result = try CLI.run(["fixtures", "--corpus", CLI.corpus, "--output", output])
            #expect(result.status == 0, "\(result.stderr)")
            let committed = FileManager.default.enumerator(atPath: CLI.fixtures)?.compactMap { $0 as? String }.filter { !$0.hasSuffix(".md") } ?? []
            var compared = 0
            for file in committed {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: CLI.fixtures + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let a = FileManager.default.contents(atPath: CLI.fixtures + "/" + file)
                let b = FileManager.default.contents(atPath: output + "/" + file)
                #expect(a == b, "\(file) differs from a fresh generation")
                compared += 1
            }
            #expect(compared > 100)
        }
    }
}
