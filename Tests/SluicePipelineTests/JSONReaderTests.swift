import PropertyBased
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

    @Test("numbers follow JSON's grammar", arguments: ["0", "-0", "12", "-3.25", "1e5", "1E+5", "2.5e-3", "123456789012345678901234"])
    func validNumbers(_ text: String) throws {
        #expect(try parse(text) == .number(JSONNumber(text: text)))
    }

    @Test("malformed numbers are rejected with their offset", arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity"])
    func invalidNumbers(_ text: String) {
        #expect(throws: JSONError.self) { try parse(text) }
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
                     "2.2250738585072014e-308", "9999999999999999999", "99999999999999999999", "1E+2", "1e-0", "3.000000000000000000001"]
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
}
