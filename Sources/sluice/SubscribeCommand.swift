import ArgumentParser
import SluiceAWS

/// `sluice subscribe`: puts a subscription filter on the selected log groups.
struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Subscribe log groups to Sluice: a subscription filter on each, and the permission for CloudWatch Logs to invoke the function.",
        discussion: """
            Idempotent: a second run changes nothing and says so. A log group that already has two \
            subscription filters (CloudWatch Logs' limit), none of them Sluice's, is skipped with a message and \
            makes the exit status 1. Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, or \
            the profile (--profile, AWS_PROFILE) in ~/.aws/credentials and ~/.aws/config.
            """
    )

    @OptionGroup var options: SubscriptionOptions

    func run() async throws {
        let (request, configuration) = try options.resolve()
        let dryRun = options.dryRun
        let report = try await options.withRunner(configuration) { await $0.subscribe(request, dryRun: dryRun) }
        ProcessEnvironment.writeStandardOutput(report.text)
        if !report.succeeded { throw ExitCode(1) }
    }
}
