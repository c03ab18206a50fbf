/// When a failed request is sent again: OTLP/HTTP's rules. 429, 502, 503 and 504 (and every other 5xx) and
/// connection failures are retried with exponential backoff and full jitter, waiting at least what
/// `Retry-After` asks; other 4xx are permanent.
public struct RetryPolicy: Sendable, Equatable {
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(initialBackoff: Duration, maxBackoff: Duration) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    public enum Outcome: Sendable, Equatable {
        case delivered
        case retry
        case permanent
    }

    /// What an HTTP status means for the request.
    public static func outcome(status: Int) -> Outcome {
        switch status {
        case 200..<300: .delivered
        case 429, 500..<600: .retry
        default: .permanent
        }
    }

    /// The wait before retry number `attempt` (1 for the first retry): a random share (`jitter` in 0...1) of
    /// the doubled backoff, but never less than `retryAfter`.
    public func delay(attempt: Int, jitter: Double, retryAfter: Duration?) -> Duration {
        var ceiling = initialBackoff
        for _ in 1..<max(attempt, 1) where ceiling < maxBackoff { ceiling = ceiling * 2 }
        ceiling = min(ceiling, maxBackoff)
        let jittered = ceiling * max(0, min(jitter, 1))
        return max(jittered, retryAfter ?? .zero)
    }

    /// `Retry-After` in seconds (the form collectors send); an HTTP date or nonsense gives nil.
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingSpaces), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 3600))
    }
}

extension String {
    var trimmingSpaces: Substring { Substring(self).trimmingSpaces }
}
