import Foundation
import Testing

/// `deploy/template.yaml` checked by the tools CI installs: cfn-lint and `sam validate --lint`.
@Suite("deploy/template.yaml", .serialized)
struct DeployTemplateTests {
    static var template: String { AWSTestPaths.packageRoot + "/deploy/template.yaml" }

    /// Runs a program to its end; output goes to a file so a long report cannot block it.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let folder = NSTemporaryDirectory() + "sluice-deploy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard FileManager.default.createFile(atPath: folder + "/out", contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["SAM_CLI_TELEMETRY"] = "0"
        process.environment = environment
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        return (process.terminationStatus, (try? String(contentsOfFile: folder + "/out", encoding: .utf8)) ?? "")
    }

    @Test("cfn-lint passes")
    func cfnLint() throws {
        let (status, output) = try Self.run(["cfn-lint", Self.template])
        #expect(status == 0, "\(output)")
    }

    @Test("sam validate --lint passes")
    func samValidate() throws {
        let (status, output) = try Self.run(["sam", "validate", "--lint", "--template-file", Self.template, "--region", "us-east-1"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("is a valid SAM Template"), "\(output)")
    }

    /// The linters must be able to fail: the same template pointing at a resource that does not exist is refused.
    @Test("a broken copy of the template is refused by both")
    func brokenTemplateFails() throws {
        let broken = NSTemporaryDirectory() + "sluice-broken-\(UUID().uuidString).yaml"
        let text = try String(contentsOfFile: Self.template, encoding: .utf8)
        #expect(text.contains("!GetAtt FailureQueue.Arn"))
        try text.replacingOccurrences(of: "!GetAtt FailureQueue.Arn", with: "!GetAtt FailureQueues.Arn")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let (lint, lintOutput) = try Self.run(["cfn-lint", broken])
        #expect(lint != 0 && lintOutput.contains("FailureQueues"), "\(lintOutput)")
        let (sam, _) = try Self.run(["sam", "validate", "--lint", "--template-file", broken, "--region", "us-east-1"])
        #expect(sam != 0)
    }

    @Test("the template sets what the consumer reads, with the defaults the issue asks for")
    func contents() throws {
        let text = try String(contentsOfFile: Self.template, encoding: .utf8)
        for expected in ["Runtime: provided.al2023", "Default: arm64", "Default: 128", "RetentionInDays: !Ref LogRetentionDays",
                         "Principal: logs.amazonaws.com", "Type: SQS", "OTEL_EXPORTER_OTLP_ENDPOINT: !Ref CollectorEndpoint",
                         "SLUICE_COLLECTOR_SECRET:", "SLUICE_AUTO_SUBSCRIBE_PREFIX:", "SLUICE_FILTER_PATTERN: !Ref FilterPattern",
                         "eventName: [CreateLogGroup]", "Type: AWS::Logs::SubscriptionFilter", "CodeUri: build/sluice-lambda.zip"] {
            #expect(text.contains(expected), "template lacks \(expected)")
        }
    }
}
