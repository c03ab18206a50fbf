/// Classifies one log event's message by the detection table of `FORMATS.md` §1, in its order, on the
/// message's UTF-8 bytes: prefixes and the table's patterns are matched by hand, and a message is taken
/// for JSON only when it parses as a whole (reading just the top-level keys the table asks about).
///
/// It agrees with the reference classifier `tools/detect.py` on every line of the corpus (tested).
public enum MessageClassifier {
    public static func classify(_ message: UnsafeBufferPointer<UInt8>) -> RecordClass {
        let m = Bytes(message)
        for prefix in platformPrefixes where m.hasPrefix(prefix) { return .platformText }
        if m.matchesTimeout() || m.matchesRuntimeExit() { return .platformError }
        if m.hasPrefix("[1,\"NR_LAMBDA_MONITORING\",") { return .newRelicPayload }
        if let shape = JSONShape.read(message) {
            switch shape {
            case .object(let object):
                return object.recordClass
            case .thundraArray:
                return .thundraArray
            case .emptyArray:
                return .thundraEmptyArray
            case .otherArray:
                break
            }
        }
        return nonJSON(m)
    }

    /// Classifies `message` and, when it is JSON, keeps the tape it was parsed into in `parsed`, so that
    /// the record's fields are read without parsing it again.
    static func classify(_ message: UnsafeBufferPointer<UInt8>, parsed: inout JSONTape?, maxDepth: Int) -> RecordClass {
        let m = Bytes(message)
        for prefix in platformPrefixes where m.hasPrefix(prefix) { return .platformText }
        if m.matchesTimeout() || m.matchesRuntimeExit() { return .platformError }
        if m.hasPrefix("[1,\"NR_LAMBDA_MONITORING\",") { return .newRelicPayload }
        if let candidate = JSONShape.candidate(message), let tape = try? JSONTape(candidate, maxDepth: maxDepth) {
            parsed = tape
            switch JSONShape.read(view: tape.root) {
            case .object(let object): return object.recordClass
            case .thundraArray: return .thundraArray
            case .emptyArray: return .thundraEmptyArray
            case .otherArray: parsed = nil
            }
        }
        return nonJSON(m)
    }

    /// Rules 13 to 17: the lines that are not JSON.
    static func nonJSON(_ m: Bytes) -> RecordClass {
        if m.equals("{\n") { return .otelPrettyStart }
        if m.equals("}\n") { return .otelPrettyEnd }
        if m.matchesPythonTextLog() { return .pythonTextLog }
        if m.hasPrefix("[ERROR] ") { return .pythonUnhandledError }
        if m.matchesNodeTextLog() { return .nodeTextLog }
        return .text
    }

    public static func classify(_ message: [UInt8]) -> RecordClass {
        message.withUnsafeBufferPointer { classify($0) }
    }

    static let platformPrefixes: [StaticString] = [
        "START RequestId: ", "END RequestId: ", "REPORT RequestId: ", "INIT_START ", "INIT_REPORT ", "RESTORE_", "EXTENSION", "TELEMETRY",
    ]
}

/// A message's bytes with the small matchers the detection table needs.
struct Bytes {
    let b: UnsafeBufferPointer<UInt8>
    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    var count: Int { b.count }

    func hasPrefix(_ p: StaticString, at offset: Int = 0) -> Bool {
        let n = p.utf8CodeUnitCount
        guard offset + n <= b.count else { return false }
        let s = p.utf8Start
        for k in 0..<n where b[offset + k] != s[k] { return false }
        return true
    }

    func equals(_ p: StaticString) -> Bool { b.count == p.utf8CodeUnitCount && hasPrefix(p) }

    /// The offset of the first occurrence of `p` (not empty), compared as bytes.
    func offset(of p: StaticString) -> Int? {
        let n = p.utf8CodeUnitCount
        guard b.count >= n else { return nil }
        for i in 0...(b.count - n) where b[i] == p.utf8Start[0] && hasPrefix(p, at: i) { return i }
        return nil
    }

    func isDigit(_ i: Int) -> Bool { i < b.count && b[i] &- 0x30 < 10 }
    func isByte(_ i: Int, _ c: UInt8) -> Bool { i < b.count && b[i] == c }
    func isLowerHexOrDash(_ i: Int) -> Bool {
        guard i < b.count else { return false }
        let c = b[i]
        return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || c == 0x2D
    }

    /// `\d{4}-\d\d-\d\dT` at `i`; returns the index after the `T`.
    func dateAndT(_ i: Int) -> Int? {
        for k in [0, 1, 2, 3, 5, 6, 8, 9] where !isDigit(i + k) { return nil }
        guard isByte(i + 4, 0x2D), isByte(i + 7, 0x2D), isByte(i + 10, UInt8(ascii: "T")) else { return nil }
        return i + 11
    }

    /// `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z` at `i`; returns the index after the `Z`.
    func isoMillis(_ i: Int) -> Int? {
        guard let t = dateAndT(i) else { return nil }
        for k in [0, 1, 3, 4, 6, 7, 9, 10, 11] where !isDigit(t + k) { return nil }
        guard isByte(t + 2, 0x3A), isByte(t + 5, 0x3A), isByte(t + 8, 0x2E), isByte(t + 12, UInt8(ascii: "Z")) else { return nil }
        return t + 13
    }

    /// `^(\d{4}-\d\d-\d\dT[\d:.]+Z [0-9a-f-]{36} )?Task timed out after \d+\.\d\d seconds`
    func matchesTimeout() -> Bool {
        var i = 0
        if let t = dateAndT(0) {
            var j = t
            while j < b.count, isDigit(j) || b[j] == 0x3A || b[j] == 0x2E { j += 1 }
            if j > t, isByte(j, UInt8(ascii: "Z")), isByte(j + 1, 0x20) {
                var k = j + 2
                var n = 0
                while n < 36, isLowerHexOrDash(k) { k += 1; n += 1 }
                if n == 36, isByte(k, 0x20) { i = k + 1 }
            }
        }
        guard hasPrefix("Task timed out after ", at: i) else { return false }
        var j = i + "Task timed out after ".utf8.count
        let digits = j
        while isDigit(j) { j += 1 }
        guard j > digits, isByte(j, 0x2E), isDigit(j + 1), isDigit(j + 2) else { return false }
        return hasPrefix(" seconds", at: j + 3)
    }

    /// `^(RequestId: [0-9a-z-]+ (Error: |Process exited before completing request)|Runtime exited with error: )`
    func matchesRuntimeExit() -> Bool {
        if hasPrefix("Runtime exited with error: ") { return true }
        guard hasPrefix("RequestId: ") else { return false }
        var j = "RequestId: ".utf8.count
        let start = j
        while j < b.count, (b[j] >= 0x30 && b[j] <= 0x39) || (b[j] >= 0x61 && b[j] <= 0x7A) || b[j] == 0x2D { j += 1 }
        guard j > start, isByte(j, 0x20) else { return false }
        return hasPrefix("Error: ", at: j + 1) || hasPrefix("Process exited before completing request", at: j + 1)
    }

    /// `^\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]\t<ISO ms>Z\t`
    func matchesPythonTextLog() -> Bool {
        guard isByte(0, UInt8(ascii: "[")) else { return false }
        var j = 0
        for level: StaticString in ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] where hasPrefix(level, at: 1) {
            j = 1 + level.utf8CodeUnitCount
            break
        }
        guard j > 0, isByte(j, UInt8(ascii: "]")), isByte(j + 1, 0x09), let end = isoMillis(j + 2) else { return false }
        return isByte(end, 0x09)
    }

    /// `^<ISO ms>Z\t[0-9a-f-]+\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t`
    func matchesNodeTextLog() -> Bool {
        guard let end = isoMillis(0), isByte(end, 0x09) else { return false }
        var j = end + 1
        let start = j
        while isLowerHexOrDash(j) { j += 1 }
        guard j > start, isByte(j, 0x09) else { return false }
        for level: StaticString in ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] where hasPrefix(level, at: j + 1) {
            if isByte(j + 1 + level.utf8CodeUnitCount, 0x09) { return true }
        }
        return false
    }
}
