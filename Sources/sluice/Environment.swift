#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment and terminal facts the commands wire in.
enum ProcessEnvironment {
    /// All environment variables.
    static func variables() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func writeStandardError(_ text: String) { writeAll(2, text) }

    /// Unbuffered: a Lambda's EMF line must reach its log at once, not when the process ends.
    static func writeStandardOutput(_ text: String) { writeAll(1, text) }

    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// The wall clock, for "since" ranges and retention (stages never read it; only the executable does).
enum WallClock {
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

enum FileStatus {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// A small text file's contents (AWS profile files), or nil when it cannot be read.
    @Sendable static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 16 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Logging

extension Logger {
    /// A logger writing to standard error, at `SLUICE_LOG_LEVEL` (default: warning for commands, info for serve).
    static func sluice(label: String, defaultLevel: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessEnvironment.variables()["SLUICE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        return logger
    }
}
