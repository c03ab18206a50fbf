extension Severity {
    /// ``init(level:)`` on the level's UTF-8 bytes: the spellings runtimes and agents write are compared as
    /// bytes, without making a `String` for every log record; any other goes through ``init(level:)``.
    init?(levelBytes level: UnsafeBufferPointer<UInt8>) {
        let text = Bytes(level)
        switch level.count {
        case 4 where text.equals("INFO"): self = .info
        case 4 where text.equals("WARN"): self = .warn
        case 5 where text.equals("ERROR"): self = .error
        case 5 where text.equals("DEBUG"): self = .debug
        case 5 where text.equals("TRACE"): self = .trace
        case 5 where text.equals("FATAL"): self = .fatal
        case 7 where text.equals("WARNING"): self = .warn
        case 8 where text.equals("CRITICAL"): self = .fatal
        default: self.init(level: String(decoding: level, as: UTF8.self))
        }
    }
}
