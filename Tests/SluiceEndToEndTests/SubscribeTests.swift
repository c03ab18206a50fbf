import Foundation
import SluiceAWS
import Testing

extension EndToEnd {
    /// `sluice subscribe` / `unsubscribe` through the real CLI against a real moto_server that checks every
    /// request's SigV4 signature.
    @Suite("subscribe and unsubscribe against moto_server with signature checking on", .serialized)
    struct SubscribeTests {
        static let lambdaGroups = (0..<55).map { String(format: "/aws/lambda/bulk-%02d", $0) } + ["/aws/lambda/orders", "/aws/lambda/payments"]

        /// The key in a shared credentials file under a profile, so the profile path is what the runs use.
        func environment(_ moto: MotoServer, secret: String? = nil, folder: String) throws -> [String: String] {
            let credentials = "[moto]\naws_access_key_id = \(moto.accessKeyID)\naws_secret_access_key = \(secret ?? moto.secretAccessKey)\n"
            try credentials.write(toFile: folder + "/credentials", atomically: true, encoding: .utf8)
            try "[profile moto]\nregion = us-east-1\n".write(toFile: folder + "/config", atomically: true, encoding: .utf8)
            return ["AWS_SHARED_CREDENTIALS_FILE": folder + "/credentials", "AWS_CONFIG_FILE": folder + "/config", "AWS_PROFILE": "moto",
                    "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": ""]
        }

        func sluice(_ command: String, _ moto: MotoServer, _ arguments: [String], environment: [String: String]) throws -> CLI.Result {
            try CLI.run([command, "--destination-arn", moto.destination, "--endpoint-url", moto.endpoint] + arguments, environment: environment)
        }

        func ours(_ moto: MotoServer, pattern: String = SubscriptionDefaults.filterPattern) -> String { "sluice|\(pattern)|\(moto.destination)" }

        @Test("subscribe by prefix: pages of groups, the two-filter limit, the permission, idempotent; unsubscribe reverses it")
        func subscribeAndUnsubscribe() async throws {
            let moto = try MotoServer()
            let env = try environment(moto, folder: moto.folder)
            let initial = try moto.state()
            #expect(initial.filters.count == 59)

            let plan = try sluice("subscribe", moto, ["--log-group-prefix", "/aws/lambda/", "--dry-run"], environment: env)
            #expect(plan.stdout.contains("Plan (dry run, nothing is changed)"), "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("would create /aws/lambda/bulk-54") && plan.stdout.contains("would add statement"))
            #expect(try moto.state() == initial, "a dry run changed something")

            let first = try sluice("subscribe", moto, ["--log-group-prefix", "/aws/lambda/"], environment: env)
            // The group at the limit makes the run fail, after every other group was done.
            #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("SKIPPED /aws/lambda/full: it already has 2 subscription filters (other-a, other-b)"))
            #expect(first.stdout.contains("58 log groups: 57 created, 0 updated, 0 unchanged, 1 at the filter limit"), "\(first.stdout)")
            let subscribed = try moto.state()
            for group in Self.lambdaGroups { #expect(subscribed.filters[group] == [ours(moto)], "\(group)") }
            #expect(subscribed.filters["/aws/lambda/full"] == initial.filters["/aws/lambda/full"])
            #expect(subscribed.filters["/aws/ecs/web"] == [])
            #expect(subscribed.statements == [SubscriptionRunner.statementID(region: "us-east-1")])

            let second = try sluice("subscribe", moto, ["--log-group-prefix", "/aws/lambda/"], environment: env)
            #expect(second.stdout.contains("58 log groups: 0 created, 0 updated, 57 unchanged, 1 at the filter limit"), "\(second.stdout)")
            #expect(!second.stdout.contains("permission"), "a run with nothing to subscribe touched the permission")
            #expect(try moto.state() == subscribed)

            let removed = try sluice("unsubscribe", moto, ["--log-group-prefix", "/aws/lambda/"], environment: env)
            #expect(removed.status == 0, "\(removed.stdout)\(removed.stderr)")
            #expect(removed.stdout.contains("58 log groups: 57 removed, 1 not subscribed, 0 left alone"), "\(removed.stdout)")
            #expect(removed.stdout.contains("is kept"))
            let after = try moto.state()
            #expect(after.filters == initial.filters, "unsubscribe did not restore the filters subscribe found")

            let again = try sluice("unsubscribe", moto, ["--log-group-prefix", "/aws/lambda/"], environment: env)
            #expect(again.stdout.contains("0 removed, 58 not subscribed"), "\(again.stdout)")
        }

        @Test("names and patterns select; a missing name, a changed pattern and a foreign filter are each reported")
        func selectorsAndUpdates() throws {
            let moto = try MotoServer()
            let env = try environment(moto, folder: moto.folder)
            let named = try sluice("subscribe", moto, ["--log-group", "/aws/ecs/web", "--log-group", "/aws/lambda/nope"], environment: env)
            #expect(named.status == 1)
            #expect(named.stdout.contains("created /aws/ecs/web") && named.stdout.contains("error: log group /aws/lambda/nope does not exist"), "\(named.stdout)")

            let pattern = try sluice("subscribe", moto, ["--log-group-pattern", "^/aws/lambda/(orders|payments)$", "--filter-pattern", ""], environment: env)
            #expect(pattern.status == 0, "\(pattern.stdout)\(pattern.stderr)")
            #expect(pattern.stdout.contains("2 log groups: 2 created"), "\(pattern.stdout)")
            var state = try moto.state()
            #expect(state.filters["/aws/lambda/orders"] == [ours(moto, pattern: "")])
            #expect(state.filters["/aws/lambda/bulk-00"] == [])

            let update = try sluice("subscribe", moto, ["--log-group", "/aws/lambda/orders"], environment: env)
            #expect(update.stdout.contains("updated /aws/lambda/orders (pattern was empty)"), "\(update.stdout)")
            state = try moto.state()
            #expect(state.filters["/aws/lambda/orders"] == [ours(moto)])

            let other = "arn:aws:lambda:us-east-1:123456789012:function:other-a"
            let foreign = try CLI.run(["unsubscribe", "--destination-arn", other, "--endpoint-url", moto.endpoint, "--log-group", "/aws/lambda/orders"],
                                      environment: env)
            #expect(foreign.stdout.contains("left alone /aws/lambda/orders (its filter 'sluice' sends to \(moto.destination)"), "\(foreign.stdout)")
            #expect(try moto.state() == state)
        }

        @Test("a wrong secret gets a clear authentication error and changes nothing; bad flags are all reported")
        func wrongSecretAndBadFlags() throws {
            let moto = try MotoServer()
            let before = try moto.state()
            let wrong = try sluice("subscribe", moto, ["--log-group-prefix", "/aws/lambda/"], environment: try environment(moto, secret: "not-the-secret", folder: moto.folder))
            #expect(wrong.status == 1)
            #expect(wrong.stdout.contains("AWS refused the credentials: logs DescribeLogGroups failed (HTTP 403 SignatureDoesNotMatch)"), "\(wrong.stdout)\(wrong.stderr)")
            #expect(wrong.stdout.contains("check the secret access key"))
            #expect(!wrong.stdout.contains("not-the-secret"))
            #expect(try moto.state() == before)

            let bad = try CLI.run(["subscribe", "--destination-arn", "nonsense", "--log-group-prefix", "/a", "--log-group", "b", "--profile", "absent"],
                                  environment: ["AWS_CONFIG_FILE": moto.folder + "/none", "AWS_SHARED_CREDENTIALS_FILE": moto.folder + "/none", "AWS_REGION": ""])
            #expect(bad.status == 64)
            for expected in ["exactly one of --log-group-prefix", "--destination-arn 'nonsense'", "profile 'absent'", "no AWS region"] {
                #expect(bad.stderr.contains(expected), "missing '\(expected)' in \(bad.stderr)")
            }
        }

        /// moto checks the signature of Lambda's body-less GET and DELETE calls against the request headers
        /// instead of the empty body (boto3's own RemovePermission is refused the same way), so this one call
        /// is made with signature checking off.
        @Test("unsubscribe --remove-permission removes the statement subscribe added")
        func removePermission() async throws {
            let moto = try MotoServer()
            let env = try environment(moto, folder: moto.folder)
            _ = try sluice("subscribe", moto, ["--log-group", "/aws/lambda/orders"], environment: env)
            #expect(try moto.state().statements == [SubscriptionRunner.statementID(region: "us-east-1")])
            try await moto.setAuthentication(false)
            let removed = try sluice("unsubscribe", moto, ["--log-group", "/aws/lambda/orders", "--remove-permission"], environment: env)
            #expect(removed.status == 0, "\(removed.stdout)\(removed.stderr)")
            #expect(removed.stdout.contains("permission: removed statement sluice-cloudwatch-logs-us-east-1"))
            #expect(try moto.state().statements == [])
        }
    }
}
