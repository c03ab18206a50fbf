import Foundation
import SluicePipeline

/// Paths the tests read in place: the package's `Fixtures/` and the shared corpus beside the checkout.
enum TestPaths {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { packageRoot + "/Fixtures" }

    /// `../shared/corpus`; CI places `shared/` beside the checkout. A missing corpus fails the tests
    /// that need it (it is never skipped silently).
    static var corpus: String { packageRoot + "/../shared/corpus" }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestFailure("cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func list(_ directory: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }.sorted()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A small deterministic generator (SplitMix64), seeded by the property-test library's inputs, for
/// building structured values such as JSON documents.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A decoded DATA_MESSAGE of one stream holding `events`, made the way a payload would be.
func dataMessage(_ events: [SubscriptionPayloadEncoder.Event], stream: String = "s") -> DataMessage? {
    let document = SubscriptionPayloadEncoder.Document(owner: "1", logGroup: "g", logStream: stream, events: events)
    return PayloadDecoder().decode(SubscriptionPayloadEncoder.json(document), source: "test").messages.first
}
