import Foundation
import SluiceAWS
import SluicePipeline
import Testing

@Suite("Subscription planning and the default filter pattern")
struct SubscriptionPlannerTests {
    typealias Filter = CloudWatchLogsClient.SubscriptionFilter
    static let destination = "arn:aws:lambda:us-east-1:123456789012:function:sluice"
    static let request = SubscriptionRequest(destinationArn: destination, selector: .prefix("/aws/lambda/"))

    func filter(_ name: String, to destination: String = destination, pattern: String = SubscriptionDefaults.filterPattern) -> Filter {
        Filter(filterName: name, logGroupName: "g", filterPattern: pattern, destinationArn: destination)
    }

    @Test("subscribe: create, unchanged, update, covered by another filter, and the two-filter limit")
    func subscribeActions() {
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: []) == .create)
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: [filter("other", to: "arn:aws:kinesis:x")]) == .create)
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: [filter("sluice")]) == .unchanged)
        let stale = filter("sluice", pattern: "")
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: [stale]) == .update(previous: stale))
        let moved = filter("sluice", to: "arn:aws:lambda:us-east-1:123456789012:function:old")
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: [moved, filter("x", to: "arn:aws:kinesis:y")]) == .update(previous: moved))
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: [filter("legacy")]) == .coveredBy(filterName: "legacy"))
        let full = [filter("a", to: "arn:aws:kinesis:1"), filter("b", to: "arn:aws:firehose:2")]
        #expect(SubscriptionPlanner.subscribe(Self.request, existing: full) == .limitReached(existing: ["a", "b"]))
        #expect(SubscriptionPlanner.Action.limitReached(existing: []).isProblem)
    }

    @Test("unsubscribe removes only Sluice's filter to this destination")
    func unsubscribeActions() {
        #expect(SubscriptionPlanner.unsubscribe(Self.request, existing: [filter("sluice")]) == .delete)
        #expect(SubscriptionPlanner.unsubscribe(Self.request, existing: [filter("legacy")]) == .notSubscribed)
        #expect(SubscriptionPlanner.unsubscribe(Self.request, existing: [filter("sluice", to: "arn:aws:kinesis:z")]) == .foreign(destinationArn: "arn:aws:kinesis:z"))
    }

    @Test("requests are validated with every problem at once")
    func validation() {
        let bad = SubscriptionRequest(destinationArn: "arn:aws:kinesis:us-east-1:1:stream/s", selector: .pattern("(unclosed"), filterName: "a:b",
                                      filterPattern: String(repeating: "x", count: 1025))
        let problems = bad.validate()
        #expect(problems.count == 4, "\(problems)")
        #expect(problems.contains { $0.contains("--role-arn") })
        #expect(problems.contains { $0.contains("(unclosed") })
        #expect(SubscriptionRequest(destinationArn: "arn:aws:lambda:us-east-1:1:function", selector: .names(["g"])).validate().count == 1)
        #expect(Self.request.validate().isEmpty)
    }

    @Test("selectors: prefix, regular expression (search), exact names")
    func selectors() {
        #expect(LogGroupSelector.prefix("/aws/lambda/").selects("/aws/lambda/a"))
        #expect(!LogGroupSelector.prefix("/aws/lambda/").selects("/aws/ecs/a"))
        #expect(LogGroupSelector.pattern("orders|payments").selects("/aws/lambda/prod-orders"))
        #expect(!LogGroupSelector.pattern("^/aws/lambda/prod-[a-z]+$").selects("/aws/lambda/prod-orders-2"))
        #expect(LogGroupSelector.names(["a", "b"]).selects("b") && !LogGroupSelector.names(["a"]).selects("ab"))
    }

    /// Every line a telemetry or platform class gives, and every error line, must pass the default
    /// pattern, or CloudWatch Logs would never send it.
    @Test("the default filter pattern keeps every platform and telemetry line of the corpus, and error lines")
    func defaultPatternCoversCorpus() throws {
        #expect(SubscriptionDefaults.filterPattern.utf8.count <= 1024)
        let telemetry: Set<RecordClass> = Set(RecordClass.allCases).subtracting([.text, .otherJSON, .pythonTextLog, .nodeTextLog, .powertoolsLog,
                                                                                 .lambdaJSONAppLog, .otelPrettyStart, .otelPrettyEnd, .thundraEmptyArray])
        var messages: [String] = []
        for directory in [AWSTestPaths.corpus + "/lines", AWSTestPaths.corpus + "/platform"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".jsonl") {
                for line in try String(contentsOfFile: directory + "/" + file, encoding: .utf8).split(separator: "\n") {
                    let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    if let message = object["message"] as? String { messages.append(message) }
                }
            }
        }
        var checked = 0
        var missed: [String] = []
        for message in messages {
            let recordClass = MessageClassifier.classify(Array(message.utf8))
            let isError = [.pythonTextLog, .nodeTextLog, .powertoolsLog, .lambdaJSONAppLog].contains(recordClass)
                && (message.contains("ERROR") || message.contains("CRITICAL") || message.contains("FATAL"))
            guard telemetry.contains(recordClass) || isError else { continue }
            checked += 1
            if !SubscriptionDefaults.filterTerms.contains(where: { message.contains($0) }) { missed.append("\(recordClass.rawValue): \(message.prefix(120))") }
        }
        #expect(checked > 200, "only \(checked) telemetry lines found in the corpus")
        #expect(missed.isEmpty, "\(missed.count) lines the default pattern drops, e.g. \(missed.prefix(5))")
    }

    @Test("the template's default filter pattern is the CLI's")
    func templateAgrees() throws {
        let template = try String(contentsOfFile: AWSTestPaths.packageRoot + "/deploy/template.yaml", encoding: .utf8)
        let escaped = SubscriptionDefaults.filterPattern.replacingOccurrences(of: "'", with: "''")
        #expect(template.contains("Default: '\(escaped)'"), "deploy/template.yaml's FilterPattern default differs from SubscriptionDefaults.filterPattern")
    }
}
