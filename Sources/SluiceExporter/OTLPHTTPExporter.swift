import AsyncHTTPClient
import FoundationEssentials
import Logging
import NIOCore
import SluicePipeline
import SluiceTelemetry
import SwiftProtobuf

/// Sends batches to an OTLP/HTTP collector as protobuf, gzip-compressed unless configured otherwise.
///
/// Requests are bounded by items and bytes (``OTLPBatcher``). A request is retried on 429, 5xx and
/// connection failures with exponential backoff and full jitter, waiting at least what `Retry-After`
/// asks, until the export's deadline; other 4xx fail at once. `partial_success` is counted as rejected.
public struct OTLPHTTPExporter: Sendable {
    public let configuration: OTLPExporterConfiguration
    let client: HTTPClient
    let clock: any Clock<Duration>
    let logger: Logger

    public init(configuration: OTLPExporterConfiguration, client: HTTPClient, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    public func export(_ batch: TelemetryBatch, windowMilliseconds: Int64 = 60_000) async -> ExportReport {
        await export(batch, windowMilliseconds: windowMilliseconds, on: clock)
    }

    private func export<C: Clock<Duration>>(_ batch: TelemetryBatch, windowMilliseconds: Int64, on clock: C) async -> ExportReport {
        var report = ExportReport()
        let batcher = OTLPBatcher(maxItems: configuration.maxBatchItems, maxBytes: configuration.maxBatchBytes,
                                  encoder: OTLPEncoder(windowMilliseconds: windowMilliseconds))
        let started = clock.now
        // One sender per signal, side by side: a signal's requests keep their order, and an invocation
        // waits for the slowest signal rather than for all of them in turn.
        let bySignal = Dictionary(grouping: batcher.requests(batch), by: \.signal)
        let parts = await withTaskGroup(of: (OTLPSignal, ExportReport).self) { group in
            for signal in OTLPSignal.allCases {
                guard let requests = bySignal[signal] else { continue }
                group.addTask {
                    var part = ExportReport()
                    for request in requests { await send(request, started: started, clock: clock, into: &part) }
                    return (signal, part)
                }
            }
            var parts: [OTLPSignal: ExportReport] = [:]
            for await (signal, part) in group { parts[signal] = part }
            return parts
        }
        // Merged in a fixed order, so the first error reported does not depend on which answer came first.
        for signal in OTLPSignal.allCases { if let part = parts[signal] { report.merge(part) } }
        return report
    }

    private func send<C: Clock<Duration>>(_ request: OTLPBatcher.Request, started: C.Instant, clock: C, into report: inout ExportReport) async {
        let signal = request.signal.rawValue
        guard let url = configuration.url(for: request.signal) else {
            report.failed += request.itemCount
            report.errors.append(.deadlineExceeded(signal: signal, url: "(none)", attempts: 0, lastProblem: "no endpoint configured"))
            return
        }
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/x-protobuf")
        http.headers.add(name: "User-Agent", value: "sluice/\(SluiceVersion.current)")
        for header in configuration.headers { http.headers.add(name: header.name, value: header.value) }
        let body: [UInt8]
        if configuration.compression == .gzip {
            http.headers.add(name: "Content-Encoding", value: "gzip")
            body = request.body.withUnsafeBytes { GzipEncoder.compressWhole($0, level: 1) }
        } else {
            body = Array(request.body)
        }
        let policy = RetryPolicy(initialBackoff: configuration.initialBackoff, maxBackoff: configuration.maxBackoff)
        var attempt = 0
        var lastProblem = ""
        while true {
            attempt += 1
            report.attempts += 1
            let elapsed = started.duration(to: clock.now)
            let remaining = configuration.deadline - elapsed
            var retryAfter: Duration?
            if remaining > .zero {
                http.body = .bytes(body)
                // The last attempt may get less than the request timeout: what is left of the deadline.
                let cutByDeadline = remaining < configuration.timeout
                do {
                    let timeout = min(configuration.timeout, remaining)
                    let response = try await client.execute(http, timeout: .nanoseconds(timeout.nanoseconds))
                    let answer = try await response.body.collect(upTo: 1 << 20)
                    let status = Int(response.status.code)
                    switch RetryPolicy.outcome(status: status) {
                    case .delivered:
                        let rejected = Self.partialSuccess(request.signal, answer)
                        report.accepted += request.itemCount - min(rejected.count, request.itemCount)
                        if rejected.count > 0 {
                            report.rejected += min(rejected.count, request.itemCount)
                            report.errors.append(.partiallyRejected(signal: signal, rejected: rejected.count, message: rejected.message))
                        }
                        return
                    case .permanent:
                        report.rejected += request.itemCount
                        report.errors.append(.rejected(signal: signal, url: url, status: status, body: Self.text(answer)))
                        logger.error("collector refused a request", metadata: ["signal": "\(signal)", "status": "\(status)"])
                        return
                    case .retry:
                        lastProblem = "HTTP \(status)"
                        retryAfter = RetryPolicy.retryAfter(response.headers.first(name: "Retry-After"))
                    }
                } catch let error as HTTPClientError where error == .deadlineExceeded && cutByDeadline {
                    // Out of time, not the collector's fault: the collector's last real answer says more.
                    if lastProblem.isEmpty { lastProblem = "no answer before the export deadline" }
                } catch {
                    lastProblem = Self.describe(error)
                }
            } else if lastProblem.isEmpty {
                lastProblem = "the deadline had passed before the request could be sent"
            }
            let delay = policy.delay(attempt: attempt, jitter: Double.random(in: 0...1), retryAfter: retryAfter)
            if started.duration(to: clock.now) + delay >= configuration.deadline {
                report.failed += request.itemCount
                report.errors.append(.deadlineExceeded(signal: signal, url: url, attempts: attempt, lastProblem: lastProblem))
                logger.error("giving up on a request", metadata: ["signal": "\(signal)", "attempts": "\(attempt)", "last": "\(lastProblem)"])
                return
            }
            logger.debug("retrying", metadata: ["signal": "\(signal)", "attempt": "\(attempt)", "problem": "\(lastProblem)"])
            report.retries += 1
            do { try await clock.sleep(for: delay) } catch {
                report.failed += request.itemCount
                report.errors.append(.deadlineExceeded(signal: signal, url: url, attempts: attempt, lastProblem: "cancelled while waiting to retry"))
                return
            }
        }
    }

    /// Rejected items and the collector's message, from a success response's `partial_success`.
    static func partialSuccess(_ signal: OTLPSignal, _ buffer: NIOCore.ByteBuffer) -> (count: Int, message: String) {
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { return (0, "") }
        switch signal {
        case .traces:
            guard let response = try? OTLPTraceResponse(serializedBytes: bytes), response.hasPartialSuccess else { return (0, "") }
            return (Int(response.partialSuccess.rejectedSpans), response.partialSuccess.errorMessage)
        case .logs:
            guard let response = try? OTLPLogsResponse(serializedBytes: bytes), response.hasPartialSuccess else { return (0, "") }
            return (Int(response.partialSuccess.rejectedLogRecords), response.partialSuccess.errorMessage)
        case .metrics:
            guard let response = try? OTLPMetricsResponse(serializedBytes: bytes), response.hasPartialSuccess else { return (0, "") }
            return (Int(response.partialSuccess.rejectedDataPoints), response.partialSuccess.errorMessage)
        }
    }

    /// The start of a response body, as text, for an error message.
    static func text(_ buffer: NIOCore.ByteBuffer) -> String {
        let bytes = buffer.readableBytesView.prefix(300)
        return String(decoding: bytes, as: UTF8.self).filter { !$0.isNewline }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connecting timed out"
            case .deadlineExceeded: return "no answer within the request timeout"
            case .remoteConnectionClosed: return "the collector closed the connection"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connection reset") || text.contains("Connection reset") { return "the connection was reset" }
        if text.contains("refused") { return "the connection was refused" }
        return text
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
