/// A pull reader over the UTF-8 bytes of a JSON document.
///
/// The caller drives it with the shape it expects (`beginObject`, `nextKey`, `readString`, `skipValue`...),
/// so a schema-aware decoder reads only what it keeps and skips the rest at memory speed. The DOM parser
/// (``JSONValue/parse(_:maxDepth:)``) is built on the same reader, so the differential tests against
/// Foundation exercise exactly the code the hot path runs.
///
/// Strings are scanned sixteen bytes at a time for the only bytes that need attention (quote, backslash,
/// control characters, non-ASCII); invalid UTF-8 and lone surrogate escapes are replaced by U+FFFD and
/// counted in ``replacements`` rather than failing the document.
///
/// The reader borrows its bytes: use it inside `withUnsafeBufferPointer` and do not let it escape.
@usableFromInline
struct JSONReader {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var position: Int
    @usableFromInline var depth: Int = 0
    @usableFromInline let maxDepth: Int
    /// Invalid UTF-8 sequences and lone surrogates replaced by U+FFFD so far.
    @usableFromInline var replacements: Int = 0

    /// Where the current object key lies in `bytes`, or `nil` when it had escapes and was decoded
    /// into `keyScratch`.
    @usableFromInline var keyRange: Range<Int>? = nil
    @usableFromInline var keyScratch: [UInt8] = []

    @usableFromInline
    init(_ bytes: UnsafeBufferPointer<UInt8>, startingAt position: Int = 0, maxDepth: Int) {
        self.bytes = bytes
        self.position = position
        self.maxDepth = maxDepth
    }

    // MARK: - Whitespace and structure

    @inlinable @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// The next significant byte, after whitespace, without consuming it.
    @inlinable @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    var isAtEnd: Bool { position >= bytes.count }

    @inlinable
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONError) {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: what()) }
        guard bytes[position] == byte else {
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: what())
        }
        position += 1
    }

    @inlinable
    mutating func enter() throws(JSONError) {
        depth += 1
        if depth > maxDepth { throw .depthLimitExceeded(offset: position - 1, limit: maxDepth) }
    }

    /// Consumes `{`.
    @inlinable
    mutating func beginObject() throws(JSONError) {
        try expect(UInt8(ascii: "{"), "'{' (an object)")
        try enter()
    }

    /// Consumes `[`.
    @inlinable
    mutating func beginArray() throws(JSONError) {
        try expect(UInt8(ascii: "["), "'[' (an array)")
        try enter()
    }

    /// Moves to the next member of the current object and reads its key and the colon.
    /// Returns `false` (having consumed `}`) at the end of the object. `first` is the caller's state.
    @inlinable
    mutating func nextKey(_ first: inout Bool) throws(JSONError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: "'}' or a member") }
        var b = bytes[position]
        if b == UInt8(ascii: "}") && first {
            position += 1
            depth -= 1
            return false
        }
        if !first {
            if b == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return false
            }
            guard b == UInt8(ascii: ",") else {
                throw .unexpectedByte(offset: position, byte: b, expected: "',' or '}' after an object member")
            }
            position += 1
            skipWhitespace()
            guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: "an object key") }
            b = bytes[position]
        }
        first = false
        guard b == UInt8(ascii: "\"") else {
            throw .unexpectedByte(offset: position, byte: b, expected: "a string key")
        }
        let start = position + 1
        let (end, clean) = try scanString()
        if clean {
            keyRange = start..<end
        } else {
            keyRange = nil
            var scratch = keyScratch
            keyScratch = []
            scratch.removeAll(keepingCapacity: true)
            position = start - 1
            try readString(appendingTo: &scratch)
            keyScratch = scratch
        }
        try expect(UInt8(ascii: ":"), "':' after an object key")
        return true
    }

    /// Moves to the next element of the current array. Returns `false` (having consumed `]`) at its end.
    @inlinable
    mutating func nextElement(_ first: inout Bool) throws(JSONError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: "']' or a value") }
        let b = bytes[position]
        if b == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if !first {
            guard b == UInt8(ascii: ",") else {
                throw .unexpectedByte(offset: position, byte: b, expected: "',' or ']' after an array element")
            }
            position += 1
            skipWhitespace()
            if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a value after ','")
            }
        }
        first = false
        return true
    }

    /// Whether the current key equals `literal` (ASCII).
    @inlinable
    func keyEquals(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        let lit = literal.utf8Start
        if let range = keyRange {
            guard range.count == n else { return false }
            var i = 0
            while i < n {
                if bytes[range.lowerBound + i] != lit[i] { return false }
                i += 1
            }
            return true
        }
        guard keyScratch.count == n else { return false }
        for i in 0..<n where keyScratch[i] != lit[i] { return false }
        return true
    }

    /// The current key as a `String` (for error messages and generic objects).
    func currentKey() -> String {
        if let range = keyRange {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        return String(decoding: keyScratch, as: UTF8.self)
    }

    // MARK: - Strings

    /// Index of the first byte at or after `start` that a string scan must look at: `"`, `\`, a control
    /// character or a non-ASCII byte; `bytes.count` when there is none.
    @inlinable @inline(__always)
    func nextSpecial(from start: Int) -> Int {
        var i = start
        let count = bytes.count
        if let base = bytes.baseAddress {
            let quote = SIMD16<UInt8>(repeating: 0x22)
            let backslash = SIMD16<UInt8>(repeating: 0x5C)
            let space = SIMD16<UInt8>(repeating: 0x20)
            let high = SIMD16<UInt8>(repeating: 0x80)
            while i &+ 16 <= count {
                let block = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let special = (block .== quote) .| (block .== backslash) .| (block .< space) .| (block .>= high)
                if any(special) {
                    let lanes = unsafeBitCast(special, to: SIMD2<UInt64>.self)
                    if lanes[0] != 0 { return i &+ lanes[0].trailingZeroBitCount >> 3 }
                    return i &+ 8 &+ lanes[1].trailingZeroBitCount >> 3
                }
                i &+= 16
            }
        }
        while i < count {
            let b = bytes[i]
            if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { return i }
            i &+= 1
        }
        return count
    }

    /// Length of the valid UTF-8 sequence starting with the non-ASCII byte at `i`, or 0 if invalid.
    @inlinable
    func validUTF8Length(at i: Int) -> Int {
        let b0 = bytes[i]
        let count = bytes.count
        @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            j < count && bytes[j] >= lo && bytes[j] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Skips the string at the cursor (which must be `"`). Returns the index of its closing quote and
    /// whether its raw bytes are already its value (no escapes, valid UTF-8).
    @inlinable
    mutating func scanString() throws(JSONError) -> (end: Int, clean: Bool) {
        let open = position
        var i = position + 1
        var clean = true
        while true {
            i = nextSpecial(from: i)
            guard i < bytes.count else {
                throw .unexpectedEnd(offset: bytes.count, expected: "the closing quote of the string opened at byte \(open)")
            }
            let b = bytes[i]
            if b == 0x22 {
                position = i + 1
                return (i, clean)
            } else if b == 0x5C {
                clean = false
                i += 1
                guard i < bytes.count else {
                    throw .unexpectedEnd(offset: i, expected: "an escape sequence")
                }
                switch bytes[i] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    i += 1
                case 0x75:
                    for k in 1...4 {
                        guard i + k < bytes.count, JSONReader.hexValue(bytes[i + k]) != nil else {
                            throw .invalidUnicodeEscape(offset: i - 1)
                        }
                    }
                    i += 5
                default:
                    throw .invalidEscape(offset: i - 1)
                }
            } else if b < 0x20 {
                throw .controlCharacterInString(offset: i, byte: b)
            } else {
                let n = validUTF8Length(at: i)
                if n == 0 {
                    clean = false
                    i += 1
                } else {
                    i += n
                }
            }
        }
    }

    /// Reads the string at the cursor (which must be `"`), appending its decoded UTF-8 to `out`.
    @inlinable
    mutating func readString(appendingTo out: inout [UInt8]) throws(JSONError) {
        guard position < bytes.count, bytes[position] == 0x22 else {
            if position >= bytes.count { throw .unexpectedEnd(offset: position, expected: "a string") }
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a string")
        }
        let open = position
        var i = position + 1
        var runStart = i
        while true {
            i = nextSpecial(from: i)
            guard i < bytes.count else {
                throw .unexpectedEnd(offset: bytes.count, expected: "the closing quote of the string opened at byte \(open)")
            }
            let b = bytes[i]
            if b == 0x22 {
                append(runStart..<i, to: &out)
                position = i + 1
                return
            } else if b == 0x5C {
                append(runStart..<i, to: &out)
                i = try decodeEscape(at: i, appendingTo: &out)
                runStart = i
            } else if b < 0x20 {
                throw .controlCharacterInString(offset: i, byte: b)
            } else {
                let n = validUTF8Length(at: i)
                if n == 0 {
                    append(runStart..<i, to: &out)
                    out.append(contentsOf: JSONReader.replacementCharacter)
                    replacements += 1
                    i += 1
                    runStart = i
                } else {
                    i += n
                }
            }
        }
    }

    @inlinable @inline(__always)
    func append(_ range: Range<Int>, to out: inout [UInt8]) {
        if !range.isEmpty {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        }
    }

    @usableFromInline static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Decodes the escape whose backslash is at `i`; returns the index after it.
    @inlinable
    mutating func decodeEscape(at i: Int, appendingTo out: inout [UInt8]) throws(JSONError) -> Int {
        guard i + 1 < bytes.count else { throw .unexpectedEnd(offset: i + 1, expected: "an escape sequence") }
        switch bytes[i + 1] {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x2F: out.append(0x2F)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75:
            let unit = try hex4(at: i + 2, escapeAt: i)
            if unit >= 0xD800 && unit < 0xDC00 {
                // A high surrogate must be followed by an escaped low surrogate to form one scalar.
                if i + 7 < bytes.count, bytes[i + 6] == 0x5C, bytes[i + 7] == 0x75,
                    let low = try? hex4(at: i + 8, escapeAt: i + 6), low >= 0xDC00 && low < 0xE000
                {
                    let scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    JSONReader.appendUTF8(scalar, to: &out)
                    return i + 12
                }
                out.append(contentsOf: JSONReader.replacementCharacter)
                replacements += 1
            } else if unit >= 0xDC00 && unit < 0xE000 {
                out.append(contentsOf: JSONReader.replacementCharacter)
                replacements += 1
            } else {
                JSONReader.appendUTF8(UInt32(unit), to: &out)
            }
            return i + 6
        default:
            throw .invalidEscape(offset: i)
        }
        return i + 2
    }

    @inlinable
    func hex4(at j: Int, escapeAt: Int) throws(JSONError) -> UInt16 {
        guard j + 4 <= bytes.count else { throw .invalidUnicodeEscape(offset: escapeAt) }
        var value: UInt16 = 0
        for k in 0..<4 {
            guard let digit = JSONReader.hexValue(bytes[j + k]) else { throw .invalidUnicodeEscape(offset: escapeAt) }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    @inlinable @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    @inlinable
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Reads a string value as a Swift `String`.
    mutating func readString() throws(JSONError) -> String {
        skipWhitespace()
        let start = position + 1
        let save = position
        guard position < bytes.count, bytes[position] == 0x22 else {
            if position >= bytes.count { throw .unexpectedEnd(offset: position, expected: "a string") }
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a string")
        }
        let (end, clean) = try scanString()
        if clean {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        position = save
        var scratch: [UInt8] = []
        scratch.reserveCapacity(end - start)
        try readString(appendingTo: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    // MARK: - Numbers and literals

    /// Validates the number at the cursor against JSON's grammar and returns its byte range.
    @inlinable
    mutating func scanNumber() throws(JSONError) -> Range<Int> {
        let start = position
        var i = position
        let count = bytes.count
        @inline(__always) func isDigit(_ j: Int) -> Bool { j < count && bytes[j] &- 0x30 < 10 }
        if i < count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw .invalidNumber(offset: start) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            while isDigit(i) { i += 1 }
        }
        if i < count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            while isDigit(i) { i += 1 }
        }
        position = i
        return start..<i
    }

    /// Reads an integer (no fraction, no exponent) that fits in `Int64`; `nil` when the number is not one
    /// (the cursor is then after the number).
    @inlinable
    mutating func readInt64() throws(JSONError) -> Int64? {
        skipWhitespace()
        let range = try scanNumber()
        var i = range.lowerBound
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var value: Int64 = 0
        while i < range.upperBound {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return value
    }

    @inlinable
    mutating func readLiteral(_ literal: StaticString) throws(JSONError) {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        for k in 0..<n {
            guard position + k < bytes.count else {
                throw .unexpectedEnd(offset: position + k, expected: "the literal \(literal)")
            }
            guard bytes[position + k] == p[k] else {
                throw .unexpectedByte(offset: position + k, byte: bytes[position + k], expected: "the literal \(literal)")
            }
        }
        position += n
    }

    // MARK: - Values

    /// The kind of the value at the cursor, for error messages (`"string"`, `"number"`, ...).
    mutating func kindOfNextValue() -> String {
        switch peek() {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case nil: return "the end of the document"
        case let byte?:
            return byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) ? "a number" : JSONError.describe(byte)
        }
    }

    /// Skips one value of any kind.
    @inlinable
    mutating func skipValue() throws(JSONError) {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: "a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextKey(&first) { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(&first) { try skipValue() }
        case UInt8(ascii: "t"):
            try readLiteral("true")
        case UInt8(ascii: "f"):
            try readLiteral("false")
        case UInt8(ascii: "n"):
            try readLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a value")
        }
    }
}
