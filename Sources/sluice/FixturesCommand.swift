import ArgumentParser
import SluiceFixtures

/// `sluice fixtures`: regenerates `Fixtures/` from the shared corpus.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "Generate the project's Fixtures/ (payloads in every form, bad-input cases, expectations) from the corpus."
    )

    @Option(help: "The shared corpus folder (holds lines/ and platform/).")
    var corpus = "../shared/corpus"

    @Option(help: "Where to write the fixtures.")
    var output = "Fixtures"

    func run() throws {
        let count = try FixtureGenerator(corpus: corpus, output: output).run()
        print("wrote \(count) fixture files to \(output)")
    }
}
