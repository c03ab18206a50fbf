import Foundation
import SluicePipeline
import Testing

/// Runs the real `sluice` executable that `swift build` put beside the test bundle.
enum CLI {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { packageRoot + "/Fixtures" }
    static var corpus: String { packageRoot + "/../shared/corpus" }

    /// The built executable: next to the test bundle in the build products folder.
    static let executable: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // The bundle may be a directory (`….xctest/`) on some platforms.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        let candidate = directory.appendingPathComponent("sluice").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return packageRoot + "/.build/debug/sluice"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The JSON summary printed on standard output.
        func json() throws -> JSONValue {
            try JSONValue.parse(Array(stdout.utf8))
        }
    }

    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(external: executable, arguments, stdin: stdin, environment: environment)
    }

    /// Runs any program (the tests use `script` to give sluice a terminal).
    static func run(external program: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw CLIError("the sluice executable is not built at \(executable); run `swift build` first")
        }
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw CLIError("\(program) is not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        // Files rather than pipes: a large output can never block the child, and nothing is shared.
        let scratch = NSTemporaryDirectory() + "sluice-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var env = ProcessInfo.processInfo.environment
        // A store of its own for every run that names none, so no run writes ./sluice.db into the checkout.
        env["SLUICE_STORE"] = "sqlite:\(scratch)/sluice.db"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        for (name, contents) in [("in", stdin ?? Data()), ("out", nil), ("err", nil)] where !FileManager.default.createFile(atPath: scratch + "/" + name, contents: contents) {
            throw CLIError("could not create \(scratch)/\(name) for the run's standard streams")
        }
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch + "/in"))
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/err"))
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        try input.close()
        let outData = FileManager.default.contents(atPath: scratch + "/out") ?? Data()
        let errData = FileManager.default.contents(atPath: scratch + "/err") ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
