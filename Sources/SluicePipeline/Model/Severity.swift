/// A log record's severity, as OpenTelemetry names and numbers them.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case trace = "TRACE", debug = "DEBUG", info = "INFO", warn = "WARN", error = "ERROR", fatal = "FATAL"

    /// OpenTelemetry's `SeverityNumber` for the level (the first of its range).
    public var number: Int {
        switch self {
        case .trace: 1
        case .debug: 5
        case .info: 9
        case .warn: 13
        case .error: 17
        case .fatal: 21
        }
    }

    /// Reads the level names producers write (`WARNING` is WARN, `CRITICAL` is FATAL), any case.
    public init?(level: some StringProtocol) {
        // The usual spellings first, without making an upper-cased copy.
        switch level {
        case "INFO": self = .info; return
        case "DEBUG": self = .debug; return
        case "WARNING", "WARN": self = .warn; return
        case "ERROR": self = .error; return
        default: break
        }
        switch level.uppercased() {
        case "TRACE": self = .trace
        case "DEBUG": self = .debug
        case "INFO", "NOTICE": self = .info
        case "WARN", "WARNING": self = .warn
        case "ERROR", "ERR": self = .error
        case "FATAL", "CRITICAL", "CRIT", "EMERGENCY", "ALERT": self = .fatal
        default: return nil
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.number < b.number }
}
