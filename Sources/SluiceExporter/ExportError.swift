import SluiceTelemetry

/// Why items were not delivered to the collector.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The collector refused the request for good (a 4xx other than 429).
    case rejected(signal: String, url: String, status: Int, body: String)
    /// The collector accepted the request but not all of it (`partial_success`).
    case partiallyRejected(signal: String, rejected: Int, message: String)
    /// Retries went on until the export's deadline; `lastProblem` is what the last attempt met.
    case deadlineExceeded(signal: String, url: String, attempts: Int, lastProblem: String)

    public var description: String {
        switch self {
        case .rejected(let signal, let url, let status, let body):
            "the collector at \(url) refused the \(signal) (HTTP \(status))" + (body.isEmpty ? "" : ": \(body)")
        case .partiallyRejected(let signal, let rejected, let message):
            "the collector rejected \(rejected) \(signal) items" + (message.isEmpty ? "" : ": \(message)")
        case .deadlineExceeded(let signal, let url, let attempts, let lastProblem):
            "could not deliver \(signal) to \(url) after \(attempts) attempts within the export deadline; last: \(lastProblem)"
        }
    }
}
