import ArgumentParser
import SluiceAWS

/// `sluice unsubscribe`: removes the filters `subscribe` put on the selected log groups.
struct UnsubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "Remove Sluice's subscription filter from log groups (only filters with its name that send to the destination).",
        discussion: """
            Takes the same selectors as subscribe. Filters of other names, or with Sluice's name but another \
            destination, are left alone. The permission subscribe added to the function stays (other log groups \
            may still send to it) unless --remove-permission is given.
            """
    )

    @OptionGroup var options: SubscriptionOptions

    @Flag(help: "Also remove the permission statement subscribe added to the Lambda function.")
    var removePermission = false

    func run() async throws {
        let (request, configuration) = try options.resolve()
        let (dryRun, removePermission) = (options.dryRun, removePermission)
        let report = try await options.withRunner(configuration) {
            await $0.unsubscribe(request, dryRun: dryRun, removePermission: removePermission)
        }
        ProcessEnvironment.writeStandardOutput(report.text)
        if !report.succeeded { throw ExitCode(1) }
    }
}
