import ArgumentParser

/// `sluice`: turns the telemetry Lambda functions write into their logs into metrics, traces and logs.
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Turn the telemetry serverless functions write into their logs into metrics, traces and logs.",
        subcommands: [ReplayCommand.self, ServeCommand.self, QueryCommand.self, SubscribeCommand.self, UnsubscribeCommand.self, FixturesCommand.self]
    )
}
