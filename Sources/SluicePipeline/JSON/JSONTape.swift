/// A JSON document parsed into one flat array of entries (a "tape"): one allocation for the whole
/// document, values left as byte ranges of the input until a caller asks for one. Navigating it with
/// ``JSONView`` reads like ``JSONValue`` but builds no tree of strings and arrays.
///
/// The tape borrows the document's bytes: use it, and every view of it, while they are alive (inside the
/// `withBytes` that lent them) and do not keep views in records.
package final class JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Entry {
        var kind: Kind
        /// A string with escapes or invalid UTF-8, which must be decoded rather than taken as is.
        var needsDecoding: Bool
        /// The value's bytes: a string without its quotes; the whole text of an object or array.
        var start: Int32
        var end: Int32
        /// The index after this entry's subtree: its next sibling.
        var next: Int32
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// The entries, owned by the tape and never changed after `init`. Views hold this pointer rather
    /// than the tape: a view is made for every field read, and counting references to the tape for
    /// each cost more than the reading (measured: a fifth of recognition).
    private let entries: UnsafeMutableBufferPointer<Entry>

    /// Parses one whole document (whitespace around it allowed). Throws ``JSONError``.
    package init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONError) {
        self.bytes = bytes
        // A value takes at least two bytes of text with its separator: a sixth of the length is a capacity
        // most documents never outgrow, so the entries are written once, where they stay.
        var entries = EntryBuffer(capacity: Swift.max(16, bytes.count / 6))
        do throws(JSONError) {
            // The open containers' stack lives on the machine's stack: no allocation for it.
            let room = Swift.max(1, Swift.min(maxDepth, bytes.count))
            var end = try withUnsafeTemporaryAllocation(of: Int32.self, capacity: room) { (open) throws(JSONError) -> Int in
                try Self.append(bytes, maxDepth: maxDepth, open: open.baseAddress.unsafelyUnwrapped, &entries)
            }
            JSONReader.skipWhitespace(bytes, &end)
            if end < bytes.count { throw JSONError.trailingContent(offset: end) }
        } catch {
            entries.base.deallocate()
            throw error
        }
        self.entries = UnsafeMutableBufferPointer(start: entries.base, count: entries.count)
    }

    deinit { entries.deallocate() }

    /// The entries while parsing: appended in place, no uniqueness check or copy per entry (an array's
    /// were a tenth of parsing).
    private struct EntryBuffer {
        var base: UnsafeMutablePointer<Entry>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        @inline(__always) mutating func append(_ entry: Entry) {
            if count == capacity { grow() }
            (base + count).initialize(to: entry)
            count += 1
        }

        private mutating func grow() {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }

        subscript(index: Int) -> Entry {
            get { base[index] }
            nonmutating set { base[index] = newValue }
        }
    }

    package var count: Int { entries.count }

    /// The document's value. Valid while the tape is alive: keep the tape, not the view.
    var root: JSONView { JSONView(entries: UnsafePointer(entries.baseAddress.unsafelyUnwrapped), bytes: bytes, index: 0) }

    /// Builds the tape in one loop over the document, with the open containers on a stack: no call per
    /// value, and the separators checked where they are expected instead of through the general reader's
    /// `nextKey`/`nextElement` (a recursive builder spent a quarter of its time on calls and re-checks).
    /// The cursor is a local and the scans are the reader's static ones on the bytes: through the reader,
    /// every scan wrote its position to memory and read it back. Accepts exactly the documents
    /// ``JSONReader`` accepts (tested against it on random documents). Returns the index after the value.
    ///
    /// `openBase` holds the open containers' entries; an object's are odd (index * 2 + 1), an array's even.
    /// A stack of fixed room, `min(maxDepth, bytes.count)` (at least one), written without the uniqueness and
    /// capacity checks of an array's appends: no deeper than the bound (checked before each push), nor than
    /// the bytes read so far (a bracket each).
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, open openBase: UnsafeMutablePointer<Int32>,
                               _ entries: inout EntryBuffer) throws(JSONError) -> Int {
        let count = bytes.count
        var position = 0
        var depth = 0
        /// Whether a member's key comes before the value: read where the loop begins, in one place in the
        /// loop's own code (a function for it, called from the two places that found a key, was not inlined).
        var keyFirst = false
        JSONReader.skipWhitespace(bytes, &position)
        while true {
            if keyFirst {
                // A key and its colon, the cursor on the key's opening quote (whitespace skipped).
                guard position < count else { throw .unexpectedEnd(offset: position, expected: "an object key") }
                guard bytes[position] == UInt8(ascii: "\"") else {
                    throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a string key")
                }
                let (keyEnd, clean) = try JSONReader.scanString(bytes, open: position)
                entries.append(Entry(kind: .string, needsDecoding: !clean, start: Int32(position &+ 1), end: Int32(keyEnd), next: Int32(entries.count &+ 1)))
                position = keyEnd &+ 1
                // Python's `json.dumps` writes ": ", compact writers ":": both without a call.
                if position < count && bytes[position] == UInt8(ascii: ":") {
                    position &+= 1
                } else {
                    try JSONReader.expect(UInt8(ascii: ":"), "':' after an object key", bytes, &position)
                }
                JSONReader.skipWhitespace(bytes, &position)
                keyFirst = false
            }
            // A value at the cursor.
            guard position < count else { throw .unexpectedEnd(offset: position, expected: "a value") }
            let start = position
            let index = entries.count
            switch bytes[start] {
            case UInt8(ascii: "\""):
                let (end, clean) = try JSONReader.scanString(bytes, open: start)
                entries.append(Entry(kind: .string, needsDecoding: !clean, start: Int32(start &+ 1), end: Int32(end), next: Int32(index &+ 1)))
                position = end &+ 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[start] == UInt8(ascii: "{")
                entries.append(Entry(kind: isObject ? .object : .array, needsDecoding: false, start: Int32(start), end: 0, next: 0))
                if depth >= maxDepth { throw .depthLimitExceeded(offset: start, limit: maxDepth) }
                position &+= 1
                JSONReader.skipWhitespace(bytes, &position)
                if position < count && bytes[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position &+= 1
                    entries[index].end = Int32(position)
                    entries[index].next = Int32(entries.count)
                } else {
                    openBase[depth] = Int32(index) &* 2 &+ (isObject ? 1 : 0)
                    depth &+= 1
                    keyFirst = isObject
                    continue
                }
            case UInt8(ascii: "t"):
                try literal("true", .true, bytes, &position, &entries)
            case UInt8(ascii: "f"):
                try literal("false", .false, bytes, &position, &entries)
            case UInt8(ascii: "n"):
                try literal("null", .null, bytes, &position, &entries)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                // JSONReader.scanNumber, written out: called, it was not inlined in this loop.
                var end = start
                if bytes[end] == UInt8(ascii: "-") { end &+= 1 }
                guard end < count, bytes[end] &- 0x30 < 10 else { throw .invalidNumber(offset: start) }
                end = bytes[end] == UInt8(ascii: "0") ? end &+ 1 : JSONReader.digitsEnd(bytes, from: end &+ 1)
                if end < count && bytes[end] == UInt8(ascii: ".") {
                    end &+= 1
                    guard end < count, bytes[end] &- 0x30 < 10 else { throw .invalidNumber(offset: start) }
                    end = JSONReader.digitsEnd(bytes, from: end &+ 1)
                }
                if end < count && bytes[end] | 0x20 == UInt8(ascii: "e") {
                    end = try JSONReader.scanNumber(bytes, at: start)
                }
                entries.append(Entry(kind: .number, needsDecoding: false, start: Int32(start), end: Int32(end), next: Int32(index &+ 1)))
                position = end
            default:
                throw .unexpectedByte(offset: start, byte: bytes[start], expected: "a value")
            }
            // After a value: a separator before the next one, or the ends of the containers it closes.
            while depth > 0 {
                let top = openBase[depth &- 1]
                let isObject = top & 1 == 1
                JSONReader.skipWhitespace(bytes, &position)
                guard position < count else {
                    throw .unexpectedEnd(offset: position, expected: isObject ? "'}' or a member" : "']' or a value")
                }
                let b = bytes[position]
                if b == UInt8(ascii: ",") {
                    position &+= 1
                    JSONReader.skipWhitespace(bytes, &position)
                    keyFirst = isObject
                    break
                }
                guard b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw .unexpectedByte(offset: position, byte: b,
                                          expected: isObject ? "',' or '}' after an object member" : "',' or ']' after an array element")
                }
                position &+= 1
                let container = Int(top >> 1)
                entries[container].end = Int32(position)
                entries[container].next = Int32(entries.count)
                depth &-= 1
            }
            if depth == 0 { return position }
        }
    }

    /// `true`, `false` or `null` at the cursor.
    @inline(__always)
    private static func literal(_ text: StaticString, _ kind: Kind, _ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int,
                                _ entries: inout EntryBuffer) throws(JSONError) {
        let end = try JSONReader.readLiteral(text, bytes, at: position)
        entries.append(Entry(kind: kind, needsDecoding: false, start: Int32(position), end: Int32(end), next: Int32(entries.count &+ 1)))
        position = end
    }
}

/// A value in a ``JSONTape``: the `JSONValue`-like way to read it.
///
/// A view is two pointers and an index, counted by nobody: it is valid while its ``JSONTape`` is alive
/// and the tape's bytes are, so it must not outlive the scope holding the tape (records keep `String`s
/// and numbers, never views).
struct JSONView {
    /// The tape's entries.
    let entries: UnsafePointer<JSONTape.Entry>
    /// The whole document.
    let document: UnsafeBufferPointer<UInt8>
    let index: Int

    init(entries: UnsafePointer<JSONTape.Entry>, bytes: UnsafeBufferPointer<UInt8>, index: Int) {
        self.entries = entries
        self.document = bytes
        self.index = index
    }

    fileprivate func view(_ index: Int) -> JSONView { JSONView(entries: entries, bytes: document, index: index) }

    var entry: JSONTape.Entry { entries[index] }
    var kind: JSONTape.Kind { entry.kind }

    private var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: document[Int(entry.start)..<Int(entry.end)])
    }

    /// The value's JSON text (a string's without its quotes).
    var rawText: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes of ``rawText``, where they lie in the document (a string's escapes as written).
    var rawBytes: UnsafeBufferPointer<UInt8> { bytes }

    var stringValue: String? {
        guard kind == .string else { return nil }
        return JSONView.decode(document, entry)
    }

    /// The text of a string entry of `document` (a key or a value), escapes decoded.
    static func decode(_ document: UnsafeBufferPointer<UInt8>, _ entry: JSONTape.Entry) -> String {
        let raw = UnsafeBufferPointer(rebasing: document[Int(entry.start)..<Int(entry.end)])
        if !entry.needsDecoding { return String(decoding: raw, as: UTF8.self) }
        var reader = JSONReader(document, startingAt: Int(entry.start) - 1, maxDepth: 1)
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        guard (try? reader.readString(appendingTo: &out)) != nil else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: out, as: UTF8.self)
    }

    var int64Value: Int64? {
        guard kind == .number else { return nil }
        var value: Int64 = 0
        var negative = false
        for (offset, b) in bytes.enumerated() {
            if offset == 0 && b == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(b - 0x30)) : m.addingReportingOverflow(Int64(b - 0x30))
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }

    var doubleValue: Double? {
        guard kind == .number else { return nil }
        return JSONView.exactDouble(bytes) ?? Double(rawText)
    }

    /// Powers of ten a `Double` holds exactly.
    private static let exactPowers: [Double] = (0...22).map { (0..<$0).reduce(1.0) { product, _ in product * 10 } }

    /// The number when its digits fit in 2^53 and its decimal exponent in ±22: then it is one exact
    /// multiplication or division, correctly rounded as `strtod` would round it; up to 19 digits and ±27
    /// through ``wideDouble(mantissa:exponent:negative:)``. Nil otherwise (the caller asks `strtod`); most
    /// numbers in logs qualify, and making a `String` for each cost more than reading it.
    static func exactDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = i < text.count && text[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        /// Digits from the first that is not zero: leading zeros (`0.000174...`) do not fill the mantissa.
        var significant = 0
        var exponent = 0
        while i < text.count, text[i] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(text[i] &- 0x30)
            digits += 1
            if mantissa != 0 { significant += 1 }
            i += 1
        }
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < text.count, text[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(text[i] &- 0x30)
                digits += 1
                if mantissa != 0 { significant += 1 }
                exponent -= 1
                i += 1
            }
        }
        if i < text.count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var negativeExponent = false
            if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                negativeExponent = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var exponentDigits = 0
            while i < text.count, text[i] &- 0x30 < 10, exponentDigits < 5 {
                value = value * 10 + Int(text[i] &- 0x30)
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += negativeExponent ? -value : value
        }
        // 19 significant digits cannot overflow the mantissa.
        guard i == text.count, digits > 0, significant <= 19 else { return nil }
        if mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= exactPowers[-exponent] } else if exponent > 0 { value *= exactPowers[exponent] }
            return negative ? -value : value
        }
        return wideDouble(mantissa: mantissa, exponent: exponent, negative: negative)
    }

    #if arch(x86_64) || arch(i386)
    /// Powers of ten a `Float80` holds exactly (5^27 still fits its 64-bit significand).
    private static let exactWidePowers: [Float80] = (0...27).map { (0..<$0).reduce(Float80(1)) { product, _ in product * 10 } }

    /// The number when its digits need more than a `Double`'s 53 bits (New Relic writes 17 of them): one
    /// exact `Float80` operation, rounded once, then to `Double`. That second rounding can differ from
    /// rounding the exact value only when the `Float80` result lies on a midpoint between two `Double`s
    /// (its 11 extra bits are 0x400); near one the caller asks `strtod`.
    static func wideDouble(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard mantissa != 0, exponent >= -27, exponent <= 27 else { return nil }
        let wide = exponent < 0 ? Float80(mantissa) / exactWidePowers[-exponent] : Float80(mantissa) * exactWidePowers[exponent]
        let extra = wide.significandBitPattern & 0x7FF
        guard extra < 0x3FF || extra > 0x401 else { return nil }
        let value = Double(wide)
        return negative ? -value : value
    }
    #else
    static func wideDouble(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? { nil }
    #endif

    var isInteger: Bool { kind == .number && !bytes.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) }

    var boolValue: Bool? {
        switch kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The elements of an array.
    var arrayValue: [JSONView]? {
        guard kind == .array else { return nil }
        var result: [JSONView] = []
        var i = index + 1
        let end = Int(entry.next)
        while i < end {
            result.append(view(i))
            i = Int(entries[i].next)
        }
        return result
    }

    /// A string's bytes when it holds no escapes (as nearly every key and value does): read without
    /// making a `String`. Nil for other kinds and for strings that must be decoded.
    var cleanStringBytes: UnsafeBufferPointer<UInt8>? {
        let entry = entry
        guard entry.kind == .string, !entry.needsDecoding else { return nil }
        return UnsafeBufferPointer(rebasing: document[Int(entry.start)..<Int(entry.end)])
    }

    /// Calls `body` with a string's bytes: in place when it holds no escapes, else decoded first (rare).
    /// Nil for other kinds.
    func withStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        guard kind == .string else { return nil }
        return JSONView.withText(document, entry, body)
    }

    /// Calls `body` with the bytes of a string entry of `document` (a key or a value), as ``withStringBytes(_:)``.
    static func withText<T>(_ document: UnsafeBufferPointer<UInt8>, _ entry: JSONTape.Entry, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if !entry.needsDecoding { return body(UnsafeBufferPointer(rebasing: document[Int(entry.start)..<Int(entry.end)])) }
        var decoded = decode(document, entry)
        return decoded.withUTF8(body)
    }

    /// The elements of an array (none for other kinds), without collecting them into an array.
    var elements: Elements { Elements(array: self) }

    /// The members of an object (none for other kinds), keys decoded, without collecting them.
    var members: Members { Members(object: self) }

    /// The entries of `container`'s children, when it is of `kind`; an empty range otherwise.
    fileprivate static func children(of container: JSONView?, ifKind kind: JSONTape.Kind) -> (first: Int, end: Int) {
        guard let container, container.kind == kind else { return (0, 0) }
        return (container.index + 1, Int(container.entry.next))
    }

    /// How many children lie from entry `cursor` to `end`, each found by the sibling link of the entry `link`
    /// past the previous one: 0 for elements, 1 for members (the link is their value's, after the key).
    fileprivate static func childCount(_ entries: UnsafePointer<JSONTape.Entry>, from cursor: Int, to end: Int, linkAt link: Int) -> Int {
        var n = 0
        var i = cursor
        while i < end {
            n &+= 1
            i = Int(entries[i + link].next)
        }
        return n
    }

    struct Elements: Sequence, IteratorProtocol {
        private let array: JSONView?
        private var cursor: Int
        private let end: Int

        init(array: JSONView?) {
            self.array = array
            (cursor, end) = JSONView.children(of: array, ifKind: .array)
        }

        mutating func next() -> JSONView? {
            guard cursor < end, let array else { return nil }
            defer { cursor = Int(array.entries[cursor].next) }
            return array.view(cursor)
        }

        /// The number of elements left, counted along the tape's sibling links: `map` then sizes its
        /// array once instead of growing it from empty.
        var underestimatedCount: Int { array.map { JSONView.childCount($0.entries, from: cursor, to: end, linkAt: 0) } ?? 0 }
    }

    struct Members: Sequence, IteratorProtocol {
        private let object: JSONView?
        private var cursor: Int
        private let end: Int

        init(object: JSONView?) {
            self.object = object
            (cursor, end) = JSONView.children(of: object, ifKind: .object)
        }

        mutating func next() -> (key: String, value: JSONView)? {
            guard let (key, value) = nextRaw() else { return nil }
            return (JSONView.decode(value.document, key), value)
        }

        /// The next member with its key's bytes undecoded, for comparing keys before deciding to make a
        /// `String` of them.
        mutating func nextRaw() -> (key: JSONTape.Entry, value: JSONView)? {
            guard cursor < end, let object else { return nil }
            let key = object.entries[cursor]
            defer { cursor = Int(object.entries[cursor + 1].next) }
            return (key, object.view(cursor + 1))
        }

        /// The number of members left, counted along the tape's sibling links (as ``Elements``').
        var underestimatedCount: Int { object.map { JSONView.childCount($0.entries, from: cursor, to: end, linkAt: 1) } ?? 0 }
    }

    /// The value of the last member named `key`, when this is an object.
    subscript(key: StaticString) -> JSONView? {
        guard kind == .object else { return nil }
        let n = key.utf8CodeUnitCount
        let k = key.utf8Start
        var found: JSONView?
        var i = index + 1
        let end = Int(entry.next)
        while i < end {
            let keyEntry = entries[i]
            if keyEntry.needsDecoding {
                if JSONView.decode(document, keyEntry) == key.description { found = view(i + 1) }
            } else if Int(keyEntry.end - keyEntry.start) == n {
                var equal = true
                let base = Int(keyEntry.start)
                for j in 0..<n where document[base + j] != k[j] {
                    equal = false
                    break
                }
                if equal { found = view(i + 1) }
            }
            i = Int(entries[i + 1].next)
        }
        return found
    }

    /// The element at `position`, when this is an array and it has one.
    subscript(position: Int) -> JSONView? {
        guard kind == .array, position >= 0 else { return nil }
        var i = index + 1
        let end = Int(entry.next)
        var n = 0
        while i < end {
            if n == position { return view(i) }
            n += 1
            i = Int(entries[i].next)
        }
        return nil
    }
}

extension Optional where Wrapped == JSONView {
    /// The elements of an array; none when there is no value or it is not an array.
    var elements: JSONView.Elements { JSONView.Elements(array: self) }

    /// The members of an object; none when there is no value or it is not an object.
    var members: JSONView.Members { JSONView.Members(object: self) }
}
