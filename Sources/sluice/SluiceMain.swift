import AsyncHTTPClient
import Dispatch
import Logging
import SluiceLambda
import SluiceSources

#if canImport(Glibc)
import Glibc
#endif

/// The one binary is both the CLI and the Lambda consumer: started as `bootstrap` (a custom runtime's
/// entry point), or with `AWS_LAMBDA_RUNTIME_API` set and no arguments, it runs the Runtime API loop.
///
/// A synchronous `main` on purpose: an `async` one hands the main thread to `dispatch_main()`, which ends
/// it with `pthread_exit`, and in the static Lambda binary that forced unwind makes the unwinder sort the
/// whole unwind table first: about 16 ms of CPU at every cold start (perf under the emulator: 80 % of init
/// in `fde_single_encoding_compare` and `read_encoded_value_with_base`).
@main
enum SluiceMain {
    static func main() {
        let environment = ProcessEnvironment.variables()
        let name = CommandLine.arguments.first?.split(separator: "/").last.map(String.init) ?? ""
        if name == "bootstrap" || (environment["AWS_LAMBDA_RUNTIME_API"] != nil && CommandLine.arguments.count == 1) {
            exit(waitOnMainThread { await runLambda(environment) })
        }
        _ = waitOnMainThread {
            await Sluice.main()
            return 0
        }
    }

    /// Runs `body` on the concurrency pool while the main thread waits for it: the bridge from a
    /// synchronous `main`, and the only unstructured task in the program (its end is awaited here).
    static func waitOnMainThread(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
        let done = DispatchSemaphore(value: 0)
        let status = ExitStatus()
        Task.detached {
            status.value = await body()
            done.signal()
        }
        done.wait()
        return status.value
    }

    /// Written by the task before it signals, read by the main thread after the wait: the semaphore orders them.
    final class ExitStatus: @unchecked Sendable {
        var value: Int32 = 0
    }

    /// The consumer's life: configuration checked at init (every problem reported to the Runtime API's
    /// init error and the log), then invocations until the Runtime API goes away.
    static func runLambda(_ environment: [String: String]) async -> Int32 {
        let logger = Logger.sluice(label: "sluice.lambda", defaultLevel: .info)
        // The process-wide client: the process ends with the loop, so it is never shut down.
        let client = HTTPClient.shared
        let resolved: Result<LambdaConfiguration, LambdaInitError>
        switch LambdaConfiguration.fromEnvironment(environment) {
        case .success(let configuration):
            resolved = await configuration.loadingCollectorSecret(http: client, now: { WallClock.nowMilliseconds() / 1000 })
        case .failure(let error):
            resolved = .failure(error)
        }
        switch resolved {
        case .failure(let error):
            ProcessEnvironment.writeStandardError("\(error)\n")
            if let api = environment["AWS_LAMBDA_RUNTIME_API"], !api.isEmpty {
                try? await LambdaRuntimeClient(runtimeAPI: api).failInit(errorType: error.errorType, message: error.description)
            }
            return 1
        case .success(let configuration):
            // Pinned addresses need a client of their own (the shared one cannot be configured).
            var pinned: HTTPClient?
            if !configuration.resolve.isEmpty {
                var settings = HTTPClient.Configuration()
                settings.dnsOverride = configuration.resolve
                pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
            }
            logger.debug("starting the Runtime API loop", metadata: ["allocator": "jemalloc \(Allocator.version ?? "(no version)")"])
            let consumer = LambdaConsumer(configuration: configuration, client: pinned ?? client, logger: logger,
                                          now: { WallClock.nowMilliseconds() }, write: { ProcessEnvironment.writeStandardOutput($0 + "\n") })
            var status: Int32 = 0
            do {
                try await consumer.run()
            } catch {
                ProcessEnvironment.writeStandardError("sluice: the Runtime API loop ended: \(error)\n")
                status = 1
            }
            try? await pinned?.shutdown()
            return status
        }
    }
}
