import Foundation
import SluiceAWS
import SluicePipeline
import Testing

extension EndToEnd {
    /// The Lambda consumer under the real AWS Lambda Runtime Interface Emulator (PyPI aws-sam-cli's
    /// `samcli/local/rapid/aws-lambda-rie-x86_64`), started by each test with the built `sluice` as the
    /// function's bootstrap, on loopback addresses.
    @Suite("Lambda consumer", .serialized)
    struct LambdaTests {
        static func emulatorPath() throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import samcli, os; print(os.path.dirname(samcli.__file__))"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) + "/local/rapid/aws-lambda-rie-x86_64"
            guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
                throw ServerError("the Runtime Interface Emulator is missing: pip install aws-sam-cli (.ci/run does)")
            }
            return path
        }

        /// The emulator running `sluice` as the function; returns it and the invoke URL.
        static func emulator(folder: String, environment: [String: String], executable: String = CLI.executable) throws -> (RunningProcess, String) {
            let port = try Servers.freePort()
            let api = try Servers.freePort()
            let process = try RunningProcess(try emulatorPath(), ["--runtime-interface-emulator-address", "127.0.0.1:\(port)",
                                                                  "--runtime-api-address", "127.0.0.1:\(api)", "--log-level", "info", executable],
                                             environment: environment, logPath: folder + "/rie-\(UUID().uuidString).log")
            let url = "http://127.0.0.1:\(port)/2015-03-31/functions/function/invocations"
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if (try? Servers.connects(port: port)) == true { return (process, url) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ServerError("the emulator did not listen:\n\(process.log)")
        }

        static func payload(_ name: String) throws -> [UInt8] {
            let directory = CLI.fixtures + "/payloads/lambda-event/" + name
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).sorted().first)
            return try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
        }

        @Test("fixture payloads are forwarded to the collector, a corrupt one is answered with success, figures go out as EMF")
        func forwards() async throws {
            let folder = try Servers.scratch("lambda")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let (rie, url) = try Self.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                                                                            "AWS_LAMBDA_FUNCTION_TIMEOUT": "10", "AWS_LAMBDA_FUNCTION_NAME": "sluice-test"])
            defer { rie.stop(signal: SIGKILL) }
            var forwarded: Int64 = 0
            for name in ["thundra", "datadog-lambda", "platform-text"] {
                let answer = try await HTTP.request("POST", url, body: try Self.payload(name))
                let document = try JSONValue.parse(answer.body)
                #expect(answer.status == 200 && document["status"]?.stringValue == "forwarded", "\(answer.text)")
                forwarded += document["forwarded"]?.int64Value ?? 0
            }
            let received = try await ExporterTests.received(port)
            #expect(received.allSatisfy { $0["byte_exact"]?.boolValue == true })
            #expect(received.reduce(Int64(0)) { $0 + ($1["items"]?.int64Value ?? 0) } >= forwarded && forwarded > 100)

            let corrupt = try await HTTP.request("POST", url, body: Array(#"{"awslogs":{"data":"%%%%"}}"#.utf8))
            let refusal = try JSONValue.parse(corrupt.body)
            #expect(corrupt.status == 200 && refusal["status"]?.stringValue == "rejected", "\(corrupt.text)")
            #expect(refusal["rejections"]?[0]?["kind"]?.stringValue == "invalid_base64")
            let emf = rie.log.split(separator: "\n").filter { $0.contains("\"_aws\"") }
            #expect(emf.count == 4, "\(rie.log)")
            let last = try JSONValue.parse(Array(try #require(emf.last).utf8))
            #expect(last["FunctionName"]?.stringValue == "sluice-test" && last["Rejected"]?.int64Value == 1)
            #expect(last["_aws"]?["CloudWatchMetrics"]?[0]?["Namespace"]?.stringValue == "Sluice")
            #expect(rie.log.contains("payload rejected") && rie.log.contains("invalid_base64"))
        }

        @Test("a collector still unreachable fails the invocation before its deadline, so Lambda retries the event")
        func collectorDown() async throws {
            let folder = try Servers.scratch("lambda")
            let port = try Servers.freePort()
            let (rie, url) = try Self.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                                                                            "AWS_LAMBDA_FUNCTION_TIMEOUT": "3"])
            defer { rie.stop(signal: SIGKILL) }
            let clock = ContinuousClock()
            let started = clock.now
            let answer = try await HTTP.request("POST", url, body: try Self.payload("thundra"))
            let elapsed = started.duration(to: clock.now)
            let document = try JSONValue.parse(answer.body)
            #expect(document["errorType"]?.stringValue == "Sluice.CollectorUnreachable", "\(answer.text)")
            #expect(document["errorMessage"]?.stringValue?.contains("127.0.0.1:\(port)") == true)
            // Our own error type means the consumer answered before the 3 s timeout; a kill would read
            // "Sandbox.Timedout". The wall time also holds the bootstrap's start, so it is only bounded loosely.
            #expect(elapsed < .seconds(10))
            #expect(!rie.log.contains("Task timed out"))
        }

        @Test("without a collector configured, init fails with a message saying what to set")
        func initError() async throws {
            let folder = try Servers.scratch("lambda")
            let (rie, url) = try Self.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": ""])
            defer { rie.stop(signal: SIGKILL) }
            let answer = try await HTTP.request("POST", url, body: try Self.payload("thundra"))
            let document = try JSONValue.parse(answer.body)
            #expect(document["errorType"]?.stringValue == "Sluice.InvalidConfiguration", "\(answer.text)")
            #expect(document["errorMessage"]?.stringValue?.contains("OTEL_EXPORTER_OTLP_ENDPOINT") == true)
        }

        @Test("a Runtime API address that is not host:port fails init, reported with the other problems")
        func badRuntimeAddress() throws {
            // No emulator: the loop starts from the variable alone (the init error cannot be posted anywhere).
            let result = try CLI.run([], environment: ["AWS_LAMBDA_RUNTIME_API": "localhost-9001", "OTEL_EXPORTER_OTLP_ENDPOINT": "",
                                                      "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("AWS_LAMBDA_RUNTIME_API is \"localhost-9001\": expected host:port"), "\(result.stderr)")
            #expect(result.stderr.contains("OTEL_EXPORTER_OTLP_ENDPOINT"), "\(result.stderr)")
            // An SDK's gRPC setting is named too, rather than every export failing against the wrong port.
            #expect(result.stderr.contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported"), "\(result.stderr)")
        }
    }

    /// The consumer's AWS calls under the emulator, against moto_server with signature checking on.
    @Suite("Lambda consumer with AWS: collector secret and auto-subscription", .serialized)
    struct LambdaAWSTests {
        @Test("the collector's headers are read at init from a Secrets Manager secret or an SSM parameter")
        func collectorSecret() async throws {
            let moto = try MotoServer()
            let folder = try Servers.scratch("lambda-aws")
            for arn in [moto.secretArn, moto.parameterArn] {
                let (receiver, port) = try Servers.receiver(folder: folder)
                defer { receiver.stop(signal: SIGKILL) }
                let (rie, url) = try LambdaTests.emulator(folder: folder, environment: moto.awsEnvironment.merging(
                    ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)", "SLUICE_COLLECTOR_SECRET": arn]) { $1 })
                defer { rie.stop(signal: SIGKILL) }
                let answer = try await HTTP.request("POST", url, body: try LambdaTests.payload("thundra"))
                #expect(try JSONValue.parse(answer.body)["status"]?.stringValue == "forwarded", "\(arn): \(answer.text)\n\(rie.log)")
                let received = try await ExporterTests.received(port)
                #expect(!received.isEmpty)
                for request in received {
                    for (name, value) in MotoServer.collectorHeaders {
                        #expect(request["headers"]?[name]?.stringValue == value, "\(arn): header \(name)")
                    }
                }
                #expect(!rie.log.contains("moto-token"), "the secret reached the log")
            }
        }

        @Test("a secret that cannot be read fails init, naming the secret and AWS's answer")
        func unreadableSecret() async throws {
            let moto = try MotoServer()
            let folder = try Servers.scratch("lambda-aws")
            let missing = moto.secretArn.replacingOccurrences(of: "sluice/collector", with: "sluice/absent")
            let (rie, url) = try LambdaTests.emulator(folder: folder, environment: moto.awsEnvironment.merging(
                ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "SLUICE_COLLECTOR_SECRET": missing]) { $1 })
            defer { rie.stop(signal: SIGKILL) }
            let answer = try await HTTP.request("POST", url, body: try LambdaTests.payload("thundra"))
            let document = try JSONValue.parse(answer.body)
            #expect(document["errorType"]?.stringValue == "Sluice.CollectorSecretUnavailable", "\(answer.text)")
            #expect(document["errorMessage"]?.stringValue?.contains("ResourceNotFoundException") == true, "\(answer.text)")
            #expect(document["errorMessage"]?.stringValue?.contains(missing) == true)
        }

        static func createLogGroupEvent(_ name: String) -> [UInt8] {
            Array("""
                {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"AWS API Call via CloudTrail","source":"aws.logs",\
                "account":"123456789012","time":"2026-11-22T08:00:00Z","region":"us-east-1","resources":[],\
                "detail":{"eventVersion":"1.08","eventSource":"logs.amazonaws.com","eventName":"CreateLogGroup","awsRegion":"us-east-1",\
                "requestParameters":{"logGroupName":"\(name)"},"responseElements":null}}
                """.utf8)
        }

        @Test("a CloudTrail CreateLogGroup event from EventBridge subscribes the new group when it has the prefix")
        func autoSubscribe() async throws {
            let moto = try MotoServer()
            let folder = try Servers.scratch("lambda-aws")
            let (rie, url) = try LambdaTests.emulator(folder: folder, environment: moto.awsEnvironment.merging(
                ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "SLUICE_AUTO_SUBSCRIBE_PREFIX": "/aws/lambda/", "AWS_LAMBDA_FUNCTION_NAME": "sluice"]) { $1 })
            defer { rie.stop(signal: SIGKILL) }
            let created = try await HTTP.request("POST", url, body: Self.createLogGroupEvent("/aws/lambda/orders"))
            let document = try JSONValue.parse(created.body)
            #expect(document["status"]?.stringValue == "subscribed", "\(created.text)\n\(rie.log)")
            // The destination is the ARN the function was invoked by (the emulator's account).
            let destination = try #require(document["destinationArn"]?.stringValue)
            #expect(destination.hasSuffix(":function:sluice"))
            #expect(try moto.state().filters["/aws/lambda/orders"] == ["sluice|\(SubscriptionDefaults.filterPattern)|\(destination)"])

            let again = try await HTTP.request("POST", url, body: Self.createLogGroupEvent("/aws/lambda/orders"))
            #expect(try JSONValue.parse(again.body)["status"]?.stringValue == "unchanged", "\(again.text)")
            let other = try await HTTP.request("POST", url, body: Self.createLogGroupEvent("/aws/ecs/web"))
            #expect(try JSONValue.parse(other.body)["status"]?.stringValue == "ignored", "\(other.text)")
            #expect(try moto.state().filters["/aws/ecs/web"] == [])
            let full = try await HTTP.request("POST", url, body: Self.createLogGroupEvent("/aws/lambda/full"))
            #expect(try JSONValue.parse(full.body)["status"]?.stringValue == "skipped", "\(full.text)")

            let missing = try await HTTP.request("POST", url, body: Self.createLogGroupEvent("/aws/lambda/never-created"))
            let failure = try JSONValue.parse(missing.body)
            #expect(failure["errorType"]?.stringValue == "Sluice.SubscribeFailed", "\(missing.text)")
            #expect(failure["errorMessage"]?.stringValue?.contains("/aws/lambda/never-created does not exist") == true)
        }
    }
}
