#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
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
    mutating func skipWhitespace() { Self.skipWhitespace(bytes, &position) }

    /// ``skipWhitespace()`` on `bytes`, moving `position`.
    @inlinable @inline(__always)
    static func skipWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position &+= 1
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
        try Self.expect(byte, what(), bytes, &position)
    }

    /// ``expect(_:_:)`` on `bytes`, moving `position`.
    @inlinable
    static func expect(_ byte: UInt8, _ what: @autoclosure () -> String, _ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws(JSONError) {
        skipWhitespace(bytes, &position)
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: what()) }
        guard bytes[position] == byte else {
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: what())
        }
        position &+= 1
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

    /// The length in bytes of the current key (decoded).
    var currentKeyLength: Int { keyRange?.count ?? keyScratch.count }

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
    func nextSpecial(from start: Int) -> Int { Self.nextSpecial(bytes, from: start) }

    /// ``nextSpecial(from:)`` on `bytes`. The scans are static, on the bytes alone: a method of the reader
    /// copied the whole reader for each string, and reading its just-written position back from that copy
    /// stalled the load (measured: nearly half of scanning a string).
    @inlinable @inline(__always)
    static func nextSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        firstStop(bytes, from: start, lanes: specialLanes) { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 }
    }

    /// The index of the first byte at or after `start` where a scan stops (`bytes.count` when there is
    /// none): sixteen bytes at a time, `lanes` giving a block's stopping bytes as 0xFF lanes in two words,
    /// and byte by byte through `stops` where fewer than sixteen remain.
    @inlinable @inline(__always)
    static func firstStop(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, lanes: (SIMD16<UInt8>) -> SIMD2<UInt64>,
                          stops: (UInt8) -> Bool) -> Int {
        var i = start
        let count = bytes.count
        if let base = bytes.baseAddress {
            while i &+ 16 <= count {
                let found = lanes(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self))
                #if arch(x86_64)
                let mask = laneMask(found)
                if mask != 0 { return i &+ mask.trailingZeroBitCount }
                #else
                if found[0] != 0 { return i &+ found[0].trailingZeroBitCount >> 3 }
                if found[1] != 0 { return i &+ 8 &+ found[1].trailingZeroBitCount >> 3 }
                #endif
                i &+= 16
            }
        }
        while i < count && !stops(bytes[i]) { i &+= 1 }
        return i
    }

    #if arch(x86_64)
    /// Sixteen 0x00/0xFF lanes as a 16-bit mask, lane 0 in bit 0 (`pmovmskb`): a block is tested once,
    /// where its two words tested in turn were a second branch, mispredicted as often as strings' lengths
    /// vary (tapes 8 % slower). Gathering the bits by multiplication instead was slower still.
    @inlinable @inline(__always)
    static func laneMask(_ lanes: SIMD2<UInt64>) -> UInt32 {
        UInt32(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(lanes, to: __m128i.self)))
    }
    #endif

    /// The bytes of `block` a string scan must stop at (quote, backslash, control, non-ASCII), as 0xFF
    /// lanes in two words. One signed compare finds both control and non-ASCII bytes: as `Int8` they are
    /// exactly the values below 0x20.
    @inlinable @inline(__always)
    static func specialLanes(_ block: SIMD16<UInt8>) -> SIMD2<UInt64> {
        let signed = unsafeBitCast(block, to: SIMD16<Int8>.self)
        let special = (signed .< SIMD16<Int8>(repeating: 0x20)) .| (block .== SIMD16<UInt8>(repeating: 0x22))
            .| (block .== SIMD16<UInt8>(repeating: 0x5C))
        return unsafeBitCast(special, to: SIMD2<UInt64>.self)
    }

    /// The index of the first special lane in `lanes`, or 16 when there is none, from the two words (where
    /// ``laneMask(_:)`` is not available).
    @inlinable @inline(__always)
    static func firstSpecial(_ lanes: SIMD2<UInt64>) -> Int {
        lanes[0] != 0 ? lanes[0].trailingZeroBitCount >> 3 : (lanes[1] != 0 ? 8 &+ lanes[1].trailingZeroBitCount >> 3 : 16)
    }

    /// Copies `n` (< 16) bytes from `i` down to `w` (`w` < `i`, the regions may overlap): every load
    /// happens before its store, so overlapping pieces read original bytes.
    @inlinable @inline(__always)
    static func copyShort(_ p: UnsafeMutablePointer<UInt8>, from i: Int, to w: Int, count n: Int) {
        let source = UnsafeRawPointer(p + i)
        let target = UnsafeMutableRawPointer(p + w)
        if n >= 8 {
            let a = source.loadUnaligned(as: UInt64.self)
            let b = source.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            target.storeBytes(of: a, as: UInt64.self)
            target.storeBytes(of: b, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let a = source.loadUnaligned(as: UInt32.self)
            let b = source.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            target.storeBytes(of: a, as: UInt32.self)
            target.storeBytes(of: b, toByteOffset: n &- 4, as: UInt32.self)
        } else {
            var k = 0
            while k < n {
                p[w &+ k] = p[i &+ k]
                k &+= 1
            }
        }
    }

    /// Length of the valid UTF-8 sequence starting with the non-ASCII byte at `i`, or 0 if invalid.
    @inlinable
    func validUTF8Length(at i: Int) -> Int { Self.validUTF8Length(bytes, at: i) }

    @inlinable
    static func validUTF8Length(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
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
        let scanned = try Self.scanString(bytes, open: position)
        position = scanned.end + 1
        return scanned
    }

    /// ``scanString()`` on `bytes`, for the string whose opening quote is at `open`: the index of its
    /// closing quote, and whether its raw bytes are its value. Short clean strings, nearly every key and
    /// value, are found by the first block; the rest go on in ``scanStringRest(_:open:from:)``.
    @inlinable @inline(__always)
    static func scanString(_ bytes: UnsafeBufferPointer<UInt8>, open: Int) throws(JSONError) -> (end: Int, clean: Bool) {
        let i = nextSpecial(bytes, from: open &+ 1)
        if i < bytes.count && bytes[i] == 0x22 { return (i, true) }
        return try scanStringRest(bytes, open: open, from: i)
    }

    /// The rest of ``scanString(_:open:)`` from the first special byte at `from`: escapes, non-ASCII,
    /// errors.
    @inlinable
    static func scanStringRest(_ bytes: UnsafeBufferPointer<UInt8>, open: Int, from: Int) throws(JSONError) -> (end: Int, clean: Bool) {
        var i = from
        var clean = true
        while true {
            i = nextSpecial(bytes, from: i)
            guard i < bytes.count else {
                throw .unexpectedEnd(offset: bytes.count, expected: "the closing quote of the string opened at byte \(open)")
            }
            let b = bytes[i]
            if b == 0x22 {
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
                let n = validUTF8Length(bytes, at: i)
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
        try appendStringContent(from: position + 1, open: position, to: &out)
    }

    /// Decodes string content from `start` (inside the string opened at `open`) to its closing quote,
    /// appending to `out`; leaves the cursor after the quote.
    @inlinable
    mutating func appendStringContent(from start: Int, open: Int, to out: inout [UInt8]) throws(JSONError) {
        var i = start
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
                let escape = try decodeEscape(at: i)
                var packed = escape.utf8
                for _ in 0..<escape.count {
                    out.append(UInt8(truncatingIfNeeded: packed))
                    packed >>= 8
                }
                i = escape.next
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

    /// Reads the string at the cursor (which must be `"`) and decodes it where it lies: unescaping only
    /// ever shortens a string, so its value is written over its own raw bytes through `writable`, and
    /// a string without escapes is not touched at all. Returns where the value lies in the buffer.
    ///
    /// The one thing that lengthens a string is replacing an invalid UTF-8 byte (1 byte becomes the 3 of
    /// U+FFFD); when that would overtake the bytes still to be read, the value continues in `overflow`
    /// and the span returned points there.
    @inlinable
    mutating func readStringInPlace(_ writable: UnsafeMutablePointer<UInt8>, overflow: inout [UInt8]) throws(JSONError) -> ByteSpan {
        guard position < bytes.count, bytes[position] == 0x22 else {
            if position >= bytes.count { throw .unexpectedEnd(offset: position, expected: "a string") }
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a string")
        }
        let open = position
        let first = position + 1
        let count = bytes.count
        // Until the first escape nothing moves: the value is its raw bytes.
        var i = first
        while true {
            i = nextSpecial(from: i)
            guard i < count else {
                throw .unexpectedEnd(offset: count, expected: "the closing quote of the string opened at byte \(open)")
            }
            let b = bytes[i]
            if b == 0x22 {
                position = i + 1
                return ByteSpan(offset: first, count: i - first)
            } else if b == 0x5C {
                break
            } else if b < 0x20 {
                throw .controlCharacterInString(offset: i, byte: b)
            } else {
                let n = validUTF8Length(at: i)
                if n == 0 { break }
                i += n
            }
        }
        // From here on bytes shift left by the gap (i - w), which every escape widens. A block without
        // special bytes is stored whole at w: it only overwrites bytes already read. A run that ends
        // inside the block is stored whole too when the gap allows, else copied piecewise.
        var w = i
        while true {
            if i &+ 16 <= count {
                let block = UnsafeRawPointer(writable + i).loadUnaligned(as: SIMD16<UInt8>.self)
                #if arch(x86_64)
                // A block without special bytes is tested and stored apart: picking the first special lane
                // from the mask for every block, 16 when none, made unescaping slower (340 -> 360 µs).
                let mask = JSONReader.laneMask(JSONReader.specialLanes(block))
                if mask == 0 {
                    UnsafeMutableRawPointer(writable + w).storeBytes(of: block, as: SIMD16<UInt8>.self)
                    i &+= 16
                    w &+= 16
                    continue
                }
                let k = mask.trailingZeroBitCount
                #else
                let k = JSONReader.firstSpecial(JSONReader.specialLanes(block))
                #endif
                if k == 16 || i &- w >= 16 &- k {
                    UnsafeMutableRawPointer(writable + w).storeBytes(of: block, as: SIMD16<UInt8>.self)
                } else if k > 0 {
                    JSONReader.copyShort(writable, from: i, to: w, count: k)
                }
                i &+= k
                w &+= k
                if k == 16 { continue }
            }
            guard i < count else {
                throw .unexpectedEnd(offset: count, expected: "the closing quote of the string opened at byte \(open)")
            }
            let b = writable[i]
            if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C {
                writable[w] = b
                i &+= 1
                w &+= 1
                continue
            }
            if b == 0x22 {
                position = i + 1
                return ByteSpan(offset: first, count: w - first)
            } else if b == 0x5C {
                guard i + 1 < count else { throw .unexpectedEnd(offset: i + 1, expected: "an escape sequence") }
                let simple: UInt8
                switch writable[i + 1] {
                case 0x22: simple = 0x22
                case 0x5C: simple = 0x5C
                case 0x6E: simple = 0x0A
                case 0x74: simple = 0x09
                case 0x2F: simple = 0x2F
                case 0x72: simple = 0x0D
                case 0x62: simple = 0x08
                case 0x66: simple = 0x0C
                default: simple = 0
                }
                if simple != 0 {
                    writable[w] = simple
                    w &+= 1
                    i &+= 2
                    continue
                }
                let escape = try decodeEscape(at: i)
                var packed = escape.utf8
                for _ in 0..<escape.count {
                    writable[w] = UInt8(truncatingIfNeeded: packed)
                    packed >>= 8
                    w &+= 1
                }
                i = escape.next
            } else if b < 0x20 {
                throw .controlCharacterInString(offset: i, byte: b)
            } else {
                let n = validUTF8Length(at: i)
                if n > 0 {
                    for k in 0..<n { writable[w + k] = writable[i + k] }
                    i &+= n
                    w &+= n
                    continue
                }
                replacements += 1
                if w + 3 <= i + 1 {
                    writable[w] = 0xEF
                    writable[w + 1] = 0xBF
                    writable[w + 2] = 0xBD
                    w += 3
                    i += 1
                } else {
                    let start = overflow.count
                    overflow.append(contentsOf: UnsafeBufferPointer(start: writable + first, count: w - first))
                    overflow.append(contentsOf: JSONReader.replacementCharacter)
                    try appendStringContent(from: i + 1, open: open, to: &overflow)
                    return ByteSpan(overflowOffset: start, count: overflow.count - start)
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

    /// Decodes the escape whose backslash is at `i`: its UTF-8 bytes (packed little-endian, 1 to 4 of
    /// them) and the index after it. Never longer than the escape itself, which in-place decoding needs.
    @inlinable
    mutating func decodeEscape(at i: Int) throws(JSONError) -> (utf8: UInt32, count: Int, next: Int) {
        guard i + 1 < bytes.count else { throw .unexpectedEnd(offset: i + 1, expected: "an escape sequence") }
        switch bytes[i + 1] {
        case 0x22: return (0x22, 1, i + 2)
        case 0x5C: return (0x5C, 1, i + 2)
        case 0x2F: return (0x2F, 1, i + 2)
        case 0x62: return (0x08, 1, i + 2)
        case 0x66: return (0x0C, 1, i + 2)
        case 0x6E: return (0x0A, 1, i + 2)
        case 0x72: return (0x0D, 1, i + 2)
        case 0x74: return (0x09, 1, i + 2)
        case 0x75:
            let unit = try hex4(at: i + 2, escapeAt: i)
            if unit >= 0xD800 && unit < 0xDC00 {
                // A high surrogate must be followed by an escaped low surrogate to form one scalar.
                if i + 7 < bytes.count, bytes[i + 6] == 0x5C, bytes[i + 7] == 0x75,
                    let low = try? hex4(at: i + 8, escapeAt: i + 6), low >= 0xDC00 && low < 0xE000
                {
                    let scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    let (packed, count) = JSONReader.packUTF8(scalar)
                    return (packed, count, i + 12)
                }
                replacements += 1
                return (0xBD_BF_EF, 3, i + 6)
            } else if unit >= 0xDC00 && unit < 0xE000 {
                replacements += 1
                return (0xBD_BF_EF, 3, i + 6)
            }
            let (packed, count) = JSONReader.packUTF8(UInt32(unit))
            return (packed, count, i + 6)
        default:
            throw .invalidEscape(offset: i)
        }
    }

    /// The UTF-8 encoding of `scalar`, packed little-endian, and its length.
    @inlinable
    static func packUTF8(_ scalar: UInt32) -> (UInt32, Int) {
        switch scalar {
        case 0..<0x80:
            return (scalar, 1)
        case 0x80..<0x800:
            return ((0xC0 | (scalar >> 6)) | (0x80 | (scalar & 0x3F)) << 8, 2)
        case 0x800..<0x10000:
            return ((0xE0 | (scalar >> 12)) | (0x80 | ((scalar >> 6) & 0x3F)) << 8 | (0x80 | (scalar & 0x3F)) << 16, 3)
        default:
            return ((0xF0 | (scalar >> 18)) | (0x80 | ((scalar >> 12) & 0x3F)) << 8 | (0x80 | ((scalar >> 6) & 0x3F)) << 16 | (0x80 | (scalar & 0x3F)) << 24, 4)
        }
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
        position = try Self.scanNumber(bytes, at: start)
        return start..<position
    }

    /// ``scanNumber()`` on `bytes`, for the number starting at `start`: the index after it.
    @inlinable @inline(__always)
    static func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONError) -> Int {
        var i = start
        let count = bytes.count
        @inline(__always) func isDigit(_ j: Int) -> Bool { j < count && bytes[j] &- 0x30 < 10 }
        if i < count && bytes[i] == UInt8(ascii: "-") { i &+= 1 }
        guard isDigit(i) else { throw .invalidNumber(offset: start) }
        i = bytes[i] == UInt8(ascii: "0") ? i &+ 1 : digitsEnd(bytes, from: i &+ 1)
        if i < count && bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            i = digitsEnd(bytes, from: i &+ 1)
        }
        if i < count && (bytes[i] | 0x20 == UInt8(ascii: "e")) {
            i &+= 1
            if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i &+= 1 }
            guard isDigit(i) else { throw .invalidNumber(offset: start) }
            i = digitsEnd(bytes, from: i &+ 1)
        }
        return i
    }

    /// The index of the first byte at or after `start` that is not a digit (`bytes.count` when there is
    /// none): sixteen bytes at a time, as timestamps and New Relic's fractions run to 13 - 19 digits.
    @inlinable @inline(__always)
    static func digitsEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        // Shifted by 0x50, the digits are the ten smallest signed bytes: one signed compare finds them (an
        // unsigned range check is done a lane at a time).
        firstStop(bytes, from: start, lanes: { block in
            let shifted = unsafeBitCast(block &+ SIMD16(repeating: 0x50), to: SIMD16<Int8>.self)
            return ~unsafeBitCast(shifted .< SIMD16<Int8>(repeating: -118), to: SIMD2<UInt64>.self)
        }, stops: { $0 &- 0x30 >= 10 })
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
        position = try Self.readLiteral(literal, bytes, at: position)
    }

    /// ``readLiteral(_:)`` on `bytes`, for the literal starting at `position`: the index after it.
    @inlinable
    static func readLiteral(_ literal: StaticString, _ bytes: UnsafeBufferPointer<UInt8>, at position: Int) throws(JSONError) -> Int {
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
        return position + n
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
