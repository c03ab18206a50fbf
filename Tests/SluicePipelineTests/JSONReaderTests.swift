import PropertyBased
import Synchronization
import Testing
@testable import SluicePipeline

@Suite("JSON reader")
struct JSONReaderTests {
    func parse(_ text: String, maxDepth: Int = 512) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    @Test("escapes decode to their characters")
    func escapes() throws {
        let value = try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u20ac""#)
        #expect(value == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\tiAé€"))
    }

    @Test("surrogate pairs combine into one scalar")
    func surrogatePairs() throws {
        #expect(try parse(#""\ud83d\ude80""#) == .string("🚀"))
        #expect(try parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test("lone surrogates and invalid UTF-8 are replaced and counted, not fatal")
    func replacements() throws {
        var count = 0
        let value = try JSONValue.parse(Array(#""a\ud800b\udc00c""#.utf8), replacements: &count)
        #expect(value == .string("a\u{FFFD}b\u{FFFD}c"))
        #expect(count == 2)
        count = 0
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0xC3, 0x28, 0xE2, 0x82, 0x22]
        let replaced = try JSONValue.parse(bytes, replacements: &count)
        #expect(replaced == .string("a\u{FFFD}b\u{FFFD}(\u{FFFD}\u{FFFD}"))
        #expect(count == 4)
    }

    @Test("valid multi-byte UTF-8 is kept as is, at block boundaries too")
    func multibyte() throws {
        for pad in 0..<20 {
            let text = String(repeating: "x", count: pad) + "Zoë Ünïcode 🚀 ✓"
            #expect(try parse("\"\(text)\"") == .string(text))
        }
    }

    /// The scans test sixteen bytes at once (on x86_64 as one 16-bit mask): a stopping byte in any lane of
    /// either half of a block, in the first block or a later one, or in the bytes after the last whole
    /// block, is found where a byte-by-byte scan finds it, from every start.
    @Test("string and digit scans stop where a byte-by-byte scan stops, in every lane")
    func scansStopInEveryLane() {
        let stopsString: (UInt8) -> Bool = { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 }
        var checked = 0
        for length in [15, 16, 17, 31, 32, 33, 47, 48] {
            for position in 0..<length {
                for stop: UInt8 in [0x22, 0x5C, 0x0A, 0x00, 0x1F, 0x80, 0xC3, 0xFF] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = stop
                    var digits = [UInt8](repeating: UInt8(ascii: "7"), count: length)
                    digits[position] = stop == 0x22 ? UInt8(ascii: ".") : stop
                    bytes.withUnsafeBufferPointer { text in
                        digits.withUnsafeBufferPointer { number in
                            for start in 0...length {
                                let expected = (start..<length).first { stopsString(text[$0]) } ?? length
                                #expect(JSONReader.nextSpecial(text, from: start) == expected, "byte \(stop) at \(position) of \(length), from \(start)")
                                let digitsEnd = (start..<length).first { number[$0] &- 0x30 >= 10 } ?? length
                                #expect(JSONReader.digitsEnd(number, from: start) == digitsEnd, "byte \(stop) at \(position) of \(length) digits, from \(start)")
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 8 * [15, 16, 17, 31, 32, 33, 47, 48].reduce(0) { $0 + $1 * ($1 + 1) })
    }

    @Test("numbers follow JSON's grammar", arguments: ["0", "-0", "12", "-3.25", "1e5", "1E+5", "2.5e-3", "123456789012345678901234"])
    func validNumbers(_ text: String) throws {
        #expect(try parse(text) == .number(JSONNumber(text: text)))
    }

    @Test("malformed numbers are rejected with their offset", arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity"])
    func invalidNumbers(_ text: String) {
        #expect(throws: JSONError.self) { try parse(text) }
        // The tape scans numbers in its own loop: alone, as an element and as a member's value.
        for document in [text, "[\(text)]", #"{"k":\#(text)}"#, "[\(text),1]"] {
            Array(document.utf8).withUnsafeBufferPointer { buffer in
                #expect(throws: JSONError.self, "\(document)") { _ = try JSONTape(buffer, maxDepth: 4) }
            }
        }
    }

    @Test("structure errors name the byte")
    func structureErrors() {
        #expect(throws: JSONError.unexpectedByte(offset: 8, byte: UInt8(ascii: "}"), expected: "a string key")) {
            try parse(#"{"a":1, }"#)
        }
        #expect(throws: JSONError.unexpectedByte(offset: 3, byte: UInt8(ascii: "]"), expected: "a value after ','")) {
            try parse("[1,]")
        }
        #expect(throws: JSONError.trailingContent(offset: 3)) { try parse("{} {}") }
        #expect(throws: JSONError.controlCharacterInString(offset: 2, byte: 0x0A)) { try parse("\"a\nb\"") }
        #expect(throws: JSONError.invalidEscape(offset: 2)) { try parse(#""a\xb""#) }
        #expect(throws: JSONError.invalidUnicodeEscape(offset: 1)) { try parse(#""\u12G4""#) }
        #expect(throws: JSONError.self) { try parse(#"{"a" 1}"#) }
        #expect(throws: JSONError.self) { try parse("") }
        #expect(throws: JSONError.self) { try parse("[1 2]") }
        #expect(throws: JSONError.self) { try parse("tru") }
        #expect(throws: JSONError.trailingContent(offset: 1)) { try JSONValue.parse([0x33, 0x00]) }
    }

    @Test("nesting deeper than the bound is an error, at the bound it is fine")
    func depth() throws {
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(try parse(ok, maxDepth: 10) != .null)
        #expect(throws: JSONError.depthLimitExceeded(offset: 10, limit: 10)) {
            try parse("[" + ok + "]", maxDepth: 10)
        }
        // A hostile depth never overflows the stack: it stops at the bound.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONError.depthLimitExceeded(offset: 256, limit: 256)) { try parse(hostile, maxDepth: 256) }
    }

    @Test("whitespace of all four kinds is allowed between tokens")
    func whitespace() throws {
        let value = try parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] , \"b\":null }\r\n")
        #expect(value["a"] == .array([.number(JSONNumber(text: "1")), .number(JSONNumber(text: "2"))]))
        #expect(value["b"] == .null)
    }

    @Test("duplicate keys are kept in order; lookup answers the last")
    func duplicateKeys() throws {
        let value = try parse(#"{"k":1,"k":2}"#)
        #expect(value.objectValue?.count == 2)
        #expect(value["k"]?.int64Value == 2)
    }

    @Test("the writer's output reads back to the same value")
    func writerRoundTrip() throws {
        let value: JSONValue = .object([
            JSONMember("text", .string("quote \" backslash \\ newline \n tab \t control \u{01} é 🚀")),
            JSONMember("list", .array([.bool(true), .bool(false), .null, .number(JSONNumber(text: "-1.5e3"))])),
        ])
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONValue.parse(writer.bytes) == value)
    }

    /// The tape reads most numbers without `strtod`: its answer must be `strtod`'s, bit for bit, in every
    /// spelling (integers, fractions, exponents, leading zeros, signs, the edges of the exact range).
    @Test("the tape's numbers equal strtod's bit for bit")
    func numbersMatchStrtod() async throws {
        func tapeDouble(_ text: String) throws -> Double? {
            let bytes = Array(text.utf8)
            return try bytes.withUnsafeBufferPointer { buffer in
                let tape = try JSONTape(buffer, maxDepth: 4)
                return withExtendedLifetime(tape) { tape.root.doubleValue }
            }
        }
        let edges = ["0", "-0", "0.0", "-0.0", "9007199254740992", "9007199254740993", "-9007199254740993", "1e22", "1e23", "1e-22",
                     "1e-23", "4.35", "0.1", "0.3", "123456789.123456789", "0.000001", "1.7976931348623157e308", "5e-324",
                     "2.2250738585072014e-308", "9999999999999999999", "99999999999999999999", "1E+2", "1e-0", "3.000000000000000000001",
                     // New Relic's figures: 17 to 19 significant digits, leading zeros not among them.
                     "0.013191938400268555", "0.00017402723875648007", "2.2797549999999998", "12345678901234567.89", "1844674407370955161.5",
                     "9007199254740993e5", "9007199254740993e-5", "0.0000000000000000000000000001", "1234567890123456789e27", "1234567890123456789e-28"]
        for text in edges {
            #expect(try tapeDouble(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let mantissa = rng.next() >> (rng.next() % 64)
            let fraction = Int(rng.next() % 25)
            let exponent = Int(rng.next() % 61) - 30
            var digits = String(mantissa)
            if fraction > 0 {
                digits = String(repeating: "0", count: max(0, fraction - digits.count + 1)) + digits
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -fraction))
            }
            let sign = rng.next() % 2 == 0 ? "-" : ""
            let text = sign + digits + (rng.next() % 3 == 0 ? "e\(exponent)" : "")
            let ours = try? tapeDouble(text)
            #expect(ours?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        // The hardest numbers for a rounding done twice: a midpoint between two neighbouring `Double`s, cut to
        // 17 - 19 significant digits, which leaves it a hair above or below the midpoint.
        let wide = Mutex(0)
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let double = Double(bitPattern: 0x3EE0_0000_0000_0000 &+ rng.next() % 0x0260_0000_0000_0000)
            let midpoint = String(describing: (Float80(double) + Float80(double.nextUp)) / 2)
            // The midpoint's significant digits and the power of ten of the first of them.
            let mantissaPart = midpoint.prefix(while: { $0 != "e" && $0 != "E" })
            let power = Int(midpoint.dropFirst(mantissaPart.count + 1)) ?? 0
            let integerDigits = mantissaPart.prefix(while: { $0 != "." }).drop(while: { $0 == "0" }).count
            let leadingFractionZeros = integerDigits > 0 ? 0 : mantissaPart.drop(while: { $0 != "." }).dropFirst().prefix(while: { $0 == "0" }).count
            let digits = mantissaPart.filter(\.isNumber).drop(while: { $0 == "0" })
            let keep = min(digits.count, 17 + Int(rng.next() % 3))
            let firstPower = power + (integerDigits > 0 ? integerDigits - 1 : -leadingFractionZeros - 1)
            let text = "\(digits.prefix(keep))e\(firstPower - keep + 1)"
            let ours = try? tapeDouble(text)
            #expect(ours?.bitPattern == Double(text)?.bitPattern, "\(text) from \(midpoint)")
            let read: Double? = Array(text.utf8).withUnsafeBufferPointer { JSONView.exactDouble($0) }
            if read != nil { wide.withLock { $0 += 1 } }
        }
        // Most of them are read without `strtod`, so the reading above was the wide one, not the fallback.
        #expect(wide.withLock { $0 } > 300)
    }

    /// EMF looks members up through an index keyed by bytes: it must answer what a scan of the members
    /// answers (the last of duplicate keys), for escaped keys too, and nothing for names that are absent.
    @Test("the member index answers as a scan of the members does")
    func memberIndex() async throws {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let alphabet = ["a", "b", "Metric", "é", "\\u0041", "\\\"", "x"]
            func key() -> String { (0..<(1 + Int(rng.next() % 3))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined() }
            let keys = (0..<Int(rng.next() % 40)).map { _ in key() }
            let text = "{" + keys.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                guard let tape = try? JSONTape(buffer, maxDepth: 4) else {
                    Issue.record("not parsed: \(text)")
                    return
                }
                withExtendedLifetime(tape) {
                    let index = JSONMemberIndex(tape.root)
                    var expected: [String: Int64] = [:]
                    for member in tape.root.members { expected[member.key] = member.value.int64Value }
                    for (name, value) in expected {
                        #expect(index[name]?.int64Value == value, "\(name) in \(text)")
                    }
                    for _ in 0..<5 {
                        let name = key() + "?"
                        #expect(index[name] == nil, "\(name) in \(text)")
                    }
                }
            }
        }
    }

    /// The tape is built by its own loop, not by the reader: it must accept exactly the documents the
    /// reader accepts (at the same depth bound) and hold the same values, on well-formed documents with
    /// any whitespace and on the same documents with bytes changed, removed or cut off.
    @Test("the tape accepts what the reader accepts and holds the same values")
    func tapeAgreesWithReader() async throws {
        let value = Self.value
        var accepted = 0
        var rejected = 0
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
            func space() -> String { rng.next() % 3 == 0 ? (0..<Int(rng.next() % 3)).map { _ in pick([" ", "\n", "\r", "\t"]) }.joined() : "" }
            func text() -> String {
                "\"" + (0..<Int(rng.next() % 5)).map { _ in pick(["a", "Z", "é", "🚀", "\\n", "\\\"", "\\u00e9", "\\ud83d\\ude80", "\\/", " "]) }.joined() + "\""
            }
            func document(_ depth: Int) -> String {
                switch depth > 4 ? rng.next() % 4 : rng.next() % 7 {
                case 0: return pick(["0", "-1", "12.5", "3e-2", "-0.0", "1E+3"])
                case 1: return text()
                case 2: return pick(["true", "false", "null"])
                case 3: return String(rng.next() % 1000)
                case 4, 5:
                    let members = (0..<Int(rng.next() % 4)).map { _ in space() + text() + space() + ":" + space() + document(depth + 1) + space() }
                    return "{" + (members.isEmpty ? space() : members.joined(separator: ",")) + "}"
                default:
                    let elements = (0..<Int(rng.next() % 4)).map { _ in space() + document(depth + 1) + space() }
                    return "[" + (elements.isEmpty ? space() : elements.joined(separator: ",")) + "]"
                }
            }
            var bytes = Array((space() + document(0) + space()).utf8)
            for _ in 0..<Int(rng.next() % 3) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 5 {
                case 4:
                    let flipped: [UInt8: UInt8] = [0x7B: 0x5B, 0x5B: 0x7B, 0x7D: 0x5D, 0x5D: 0x7D]
                    if let at = bytes.indices.filter({ flipped[bytes[$0]] != nil }).randomElement(using: &rng), let other = flipped[bytes[at]] { bytes[at] = other }
                case 0: bytes[at] = pick(Array("{}[],:\"\\ 0-.eatn".utf8) + [0x01, 0xC3, 0xFF])
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(pick(Array("{}[],:\" 1".utf8)), at: at)
                default: bytes.removeLast(bytes.count - at)
                }
            }
            let maxDepth = pick([2, 3, 512])
            let expected = try? JSONValue.parse(bytes, maxDepth: maxDepth)
            if expected == nil { rejected += 1 } else { accepted += 1 }
            let text = String(decoding: bytes, as: UTF8.self)
            bytes.withUnsafeBufferPointer { buffer in
                let tape = try? JSONTape(buffer, maxDepth: maxDepth)
                #expect((tape != nil) == (expected != nil), "\(text) at depth \(maxDepth)")
                if let tape, let expected {
                    withExtendedLifetime(tape) { #expect(value(tape.root) == expected, "\(text)") }
                }
            }
        }
        // Both sides of the property were exercised.
        #expect(accepted > 100 && rejected > 100, "\(accepted) accepted, \(rejected) rejected")
    }

    /// A tape's value as the reader's DOM, to compare the two. On the way, a container's members or elements
    /// must count themselves exactly, from the start and after a step: `map` sizes its array by that count
    /// and takes that many, so one too many would trap and one too few would grow the array again.
    static func value(_ view: JSONView) -> JSONValue {
        switch view.kind {
        case .object:
            let members = view.members.map { JSONMember($0.key, value($0.value)) }
            var rest = view.members
            #expect(rest.underestimatedCount == members.count)
            if rest.next() != nil { #expect(rest.underestimatedCount == members.count - 1) }
            return .object(members)
        case .array:
            let elements = view.elements.map(value)
            var rest = view.elements
            #expect(rest.underestimatedCount == elements.count)
            if rest.next() != nil { #expect(rest.underestimatedCount == elements.count - 1) }
            return .array(elements)
        case .string: return .string(view.stringValue ?? "")
        case .number: return .number(JSONNumber(text: view.rawText))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }
}
