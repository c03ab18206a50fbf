import Foundation

/// A `moto_server` of the test's own on a loopback port, prepared by `Tests/Support/moto_setup.py`
/// (IAM user with a key, the destination function, the log groups) with signature checking switched on.
final class MotoServer: @unchecked Sendable {
    let process: RunningProcess
    let port: Int
    let folder: String
    let accessKeyID: String
    let secretAccessKey: String
    let destination: String
    /// ARNs of the secret and the SSM parameter holding the collector's headers.
    let secretArn: String
    let parameterArn: String
    static let collectorHeaders = ["authorization": "Bearer moto-token", "x-scope-orgid": "tenant-a"]

    init() throws {
        folder = try Servers.scratch("moto")
        port = try Servers.freePort()
        process = try RunningProcess("/usr/bin/env", ["moto_server", "-H", "127.0.0.1", "-p", String(port)], logPath: folder + "/moto.log")
        _ = try process.waitForLine(containing: "Running on")
        let setup = try Self.python(CLI.packageRoot + "/Tests/Support/moto_setup.py", ["http://127.0.0.1:\(port)"])
        guard let keys = try JSONSerialization.jsonObject(with: setup) as? [String: String], let id = keys["access_key_id"],
              let secret = keys["secret_access_key"], let destination = keys["destination"], let secretArn = keys["secret"],
              let parameterArn = keys["parameter"] else {
            throw ServerError("moto_setup.py printed no keys: \(String(decoding: setup, as: UTF8.self))")
        }
        accessKeyID = id
        secretAccessKey = secret
        self.destination = destination
        self.secretArn = secretArn
        self.parameterArn = parameterArn
    }

    /// The environment a process needs to call this moto as the test's user.
    var awsEnvironment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint]
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    struct State: Equatable {
        /// Log group → its filters as `name|pattern|destination`, sorted.
        var filters: [String: [String]]
        var statements: [String]
    }

    /// What moto holds now, read with boto3 signing with the test's key.
    func state() throws -> State {
        let output = try Self.python(CLI.packageRoot + "/Tests/Support/moto_state.py", [endpoint, accessKeyID, secretAccessKey])
        guard let object = try JSONSerialization.jsonObject(with: output) as? [String: Any],
              let groups = object["filters"] as? [String: [[String: String]]], let statements = object["statements"] as? [String] else {
            throw ServerError("moto_state.py printed \(String(decoding: output, as: UTF8.self))")
        }
        return State(filters: groups.mapValues { $0.map { "\($0["name"] ?? "")|\($0["pattern"] ?? "")|\($0["destination"] ?? "")" } },
                     statements: statements)
    }

    /// Switches signature checking off (`inf`) or on (`0`).
    func setAuthentication(_ on: Bool) async throws {
        let answer = try await HTTP.request("POST", endpoint + "/moto-api/reset-auth", body: Array((on ? "0" : "inf").utf8),
                                            headers: [("Content-Type", "text/plain")])
        guard answer.status == 200 else { throw ServerError("reset-auth answered \(answer.status): \(answer.text)") }
    }

    static func python(_ script: String, _ arguments: [String]) throws -> Data {
        let result = try CLI.run(external: "/usr/bin/env", ["python3", script] + arguments)
        guard result.status == 0 else { throw ServerError("\(script) failed (\(result.status)): \(result.stderr)") }
        return Data(result.stdout.utf8)
    }

    deinit { process.stop(signal: SIGKILL) }
}
