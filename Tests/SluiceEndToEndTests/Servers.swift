import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// A program a test started (a receiver, `sluice serve`, PostgreSQL), stopped when the test lets go of it.
final class RunningProcess: @unchecked Sendable {
    let process: Process
    let logPath: String

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], logPath: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        self.logPath = logPath
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for a line of the log containing `text`; returns that line.
    func waitForLine(containing text: String, timeout: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { throw ServerError("\(process.executableURL?.lastPathComponent ?? "process") exited (\(process.terminationStatus)) before printing '\(text)':\n\(log)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServerError("no '\(text)' within \(timeout) s:\n\(log)")
    }

    /// Sends SIGTERM and waits (bounded) for the exit; returns the status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Double = 20) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Waits (bounded, without blocking a thread) for the process to end; nil when it did not.
    func exit(within seconds: Double = 120) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit { stop(signal: SIGKILL) }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Servers {
    static var receiverScript: String { CLI.packageRoot + "/Tests/Support/otlp_receiver.py" }

    static func scratch(_ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "sluice-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The Python receiver (PyPI opentelemetry-proto) on `port` (0: any free one).
    static func receiver(port: Int = 0, folder: String) throws -> (RunningProcess, Int) {
        let process = try RunningProcess("/usr/bin/env", ["python3", receiverScript, "--port", String(port)],
                                         logPath: folder + "/receiver-\(UUID().uuidString).log")
        let line = try process.waitForLine(containing: "PORT ")
        guard let bound = Int(line.split(separator: " ").last ?? "") else { throw ServerError("no port in '\(line)'") }
        return (process, bound)
    }

    /// `sluice serve` on a free port with `arguments` added.
    static func serve(_ arguments: [String], folder: String, environment: [String: String] = [:]) throws -> (RunningProcess, Int) {
        let process = try RunningProcess(CLI.executable, ["serve", "--listen", "127.0.0.1:0"] + arguments, environment: environment,
                                         logPath: folder + "/serve-\(UUID().uuidString).log")
        let line = try process.waitForLine(containing: "sluice serve: listening on http://")
        let address = line.split(separator: "http://").last?.split(separator: " ").first ?? ""
        guard let port = address.split(separator: ":").last.flatMap({ Int($0) }) else { throw ServerError("no port in '\(line)'") }
        return (process, port)
    }

    /// Whether something accepts TCP connections on the loopback `port`.
    static func connects(port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ServerError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A PostgreSQL 15 server of the test's own: `initdb` and `pg_ctl` as user postgres, on a loopback port.
final class PostgresServer: @unchecked Sendable {
    let folder: String
    let port: Int
    static let binaries = "/usr/lib/postgresql/15/bin"

    init() throws {
        folder = try Servers.scratch("postgres")
        port = try Servers.freePort()
        try Self.run("/usr/bin/chown", ["-R", "postgres:postgres", folder])
        try Self.asPostgres(Self.binaries + "/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "--no-sync"])
        try Self.asPostgres(Self.binaries + "/pg_ctl", ["-D", folder + "/data", "-l", folder + "/postgres.log", "-w", "-t", "60", "-o",
                                                        "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"])
        try Self.asPostgres(Self.binaries + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "sluice"])
    }

    var url: String { "postgres://postgres@127.0.0.1:\(port)/sluice" }

    static func asPostgres(_ program: String, _ arguments: [String]) throws {
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
    }

    /// Runs `program` to its end with posix_spawn and waitpid. Foundation's Process is not used here: the
    /// server pg_ctl starts lives on as a daemon, and Process was seen to never notice its parent exit.
    static func run(_ program: String, _ arguments: [String]) throws {
        let logPath = NSTemporaryDirectory() + "sluice-pg-command-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ServerError("cannot start \(program): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ServerError("\(program) \(arguments.joined(separator: " ")) failed (\(exitCode)): \(output)")
        }
    }

    deinit {
        try? Self.asPostgres(Self.binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Small HTTP calls for the tests, through AsyncHTTPClient.
enum HTTP {
    struct Answer {
        var status: Int
        var body: [UInt8]
        var headers: [(String, String)]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func request(_ method: String, _ url: String, body: [UInt8]? = nil, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), body: Array(buffer.readableBytesView), headers: response.headers.map { ($0.name, $0.value) })
    }
}
