/// A JSON document parsed into one flat array of entries (a "tape"): one allocation for the whole
/// document, values left as byte ranges of the input until a caller asks for one. Navigating it with
/// ``JSONView`` reads like ``JSONValue`` but builds no tree of strings and arrays.
///
/// The tape borrows the document's bytes: use it, and every view of it, while they are alive (inside the
/// `withBytes` that lent them) and do not keep views in records.
final class JSONTape {
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
    /// A `let`, built before the tape exists: reading it needs no exclusivity checks.
    let entries: [Entry]

    /// Parses one whole document (whitespace around it allowed). Throws ``JSONError``.
    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONError) {
        self.bytes = bytes
        var entries: [Entry] = []
        entries.reserveCapacity(64)
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        try Self.append(&reader, bytes, &entries)
        reader.skipWhitespace()
        if !reader.isAtEnd { throw .trailingContent(offset: reader.position) }
        self.entries = entries
    }

    var root: JSONView { JSONView(tape: self, index: 0) }

    private static func append(_ reader: inout JSONReader, _ bytes: UnsafeBufferPointer<UInt8>, _ entries: inout [Entry]) throws(JSONError) {
        reader.skipWhitespace()
        guard reader.position < bytes.count else { throw .unexpectedEnd(offset: reader.position, expected: "a value") }
        let start = reader.position
        let index = entries.count
        switch bytes[start] {
        case UInt8(ascii: "\""):
            let (end, clean) = try reader.scanString()
            entries.append(Entry(kind: .string, needsDecoding: !clean, start: Int32(start + 1), end: Int32(end), next: Int32(index + 1)))
        case UInt8(ascii: "{"):
            entries.append(Entry(kind: .object, needsDecoding: false, start: Int32(start), end: 0, next: 0))
            try reader.beginObject()
            var first = true
            while try reader.nextKey(&first) {
                let (keyStart, keyEnd, clean) = reader.lastKey
                entries.append(Entry(kind: .string, needsDecoding: !clean, start: Int32(keyStart), end: Int32(keyEnd), next: Int32(entries.count + 1)))
                try append(&reader, bytes, &entries)
            }
            entries[index].end = Int32(reader.position)
            entries[index].next = Int32(entries.count)
        case UInt8(ascii: "["):
            entries.append(Entry(kind: .array, needsDecoding: false, start: Int32(start), end: 0, next: 0))
            try reader.beginArray()
            var first = true
            while try reader.nextElement(&first) {
                try append(&reader, bytes, &entries)
            }
            entries[index].end = Int32(reader.position)
            entries[index].next = Int32(entries.count)
        case UInt8(ascii: "t"):
            try reader.readLiteral("true")
            entries.append(Entry(kind: .true, needsDecoding: false, start: Int32(start), end: Int32(reader.position), next: Int32(index + 1)))
        case UInt8(ascii: "f"):
            try reader.readLiteral("false")
            entries.append(Entry(kind: .false, needsDecoding: false, start: Int32(start), end: Int32(reader.position), next: Int32(index + 1)))
        case UInt8(ascii: "n"):
            try reader.readLiteral("null")
            entries.append(Entry(kind: .null, needsDecoding: false, start: Int32(start), end: Int32(reader.position), next: Int32(index + 1)))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try reader.scanNumber()
            entries.append(Entry(kind: .number, needsDecoding: false, start: Int32(range.lowerBound), end: Int32(range.upperBound), next: Int32(index + 1)))
        default:
            throw .unexpectedByte(offset: start, byte: bytes[start], expected: "a value")
        }
    }
}

extension JSONReader {
    /// The raw range of the current key and whether it is clean (no escapes).
    var lastKey: (start: Int, end: Int, clean: Bool) { (lastKeyStart, lastKeyEnd, keyRange != nil) }
}

/// A value in a ``JSONTape``: the `JSONValue`-like way to read it.
struct JSONView {
    let tape: JSONTape
    let index: Int

    var entry: JSONTape.Entry { tape.entries[index] }
    var kind: JSONTape.Kind { entry.kind }

    private var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: tape.bytes[Int(entry.start)..<Int(entry.end)])
    }

    /// The value's JSON text (a string's without its quotes).
    var rawText: String { String(decoding: bytes, as: UTF8.self) }

    var stringValue: String? {
        guard kind == .string else { return nil }
        return JSONView.decode(tape, entry)
    }

    static func decode(_ tape: JSONTape, _ entry: JSONTape.Entry) -> String {
        let raw = UnsafeBufferPointer(rebasing: tape.bytes[Int(entry.start)..<Int(entry.end)])
        if !entry.needsDecoding { return String(decoding: raw, as: UTF8.self) }
        var reader = JSONReader(tape.bytes, startingAt: Int(entry.start) - 1, maxDepth: 1)
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
        if let integer = int64Value, abs(integer) < (1 << 53) { return Double(integer) }
        return Double(rawText)
    }

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
            result.append(JSONView(tape: tape, index: i))
            i = Int(tape.entries[i].next)
        }
        return result
    }

    /// The members of an object, keys decoded.
    var objectValue: [(key: String, value: JSONView)]? {
        guard kind == .object else { return nil }
        var result: [(key: String, value: JSONView)] = []
        var i = index + 1
        let end = Int(entry.next)
        while i < end {
            let key = JSONView.decode(tape, tape.entries[i])
            result.append((key, JSONView(tape: tape, index: i + 1)))
            i = Int(tape.entries[i + 1].next)
        }
        return result
    }

    /// The members of an object as key entries (undecoded) and values.
    var rawMembers: [(key: JSONTape.Entry, value: JSONView)] {
        guard kind == .object else { return [] }
        var result: [(key: JSONTape.Entry, value: JSONView)] = []
        var i = index + 1
        let end = Int(entry.next)
        while i < end {
            result.append((tape.entries[i], JSONView(tape: tape, index: i + 1)))
            i = Int(tape.entries[i + 1].next)
        }
        return result
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
            let keyEntry = tape.entries[i]
            if keyEntry.needsDecoding {
                if JSONView.decode(tape, keyEntry) == key.description { found = JSONView(tape: tape, index: i + 1) }
            } else if Int(keyEntry.end - keyEntry.start) == n {
                var equal = true
                let base = Int(keyEntry.start)
                for j in 0..<n where tape.bytes[base + j] != k[j] {
                    equal = false
                    break
                }
                if equal { found = JSONView(tape: tape, index: i + 1) }
            }
            i = Int(tape.entries[i + 1].next)
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
            if n == position { return JSONView(tape: tape, index: i) }
            n += 1
            i = Int(tape.entries[i].next)
        }
        return nil
    }
}
