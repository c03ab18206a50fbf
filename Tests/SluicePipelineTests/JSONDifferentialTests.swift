import Foundation
import PropertyBased
import Testing
@testable import SluicePipeline

/// Our reader against Foundation's `JSONSerialization`: on every corpus document and on generated
/// documents, valid and malformed, both must accept or both reject, and accepted values must be equal.
///
/// Foundation also accepts a trailing comma (`[1,]`), which RFC 8259 forbids and we reject; that one
/// case is let through. Two more documented divergences are kept out of the generated documents: lone surrogate escapes
/// (Foundation rejects the document; we replace with U+FFFD and count, as for invalid UTF-8, because
/// Python's `json.dumps` writes them for undecodable bytes) and numbers beyond `Double`'s range
/// (Foundation rejects; we keep the number's text, losing nothing). Doubles are compared to a relative
/// 1e-15, because Foundation's conversion is off by a few ulps at times (ours is correctly rounded).
@Suite("JSON reader agrees with JSONSerialization")
struct JSONDifferentialTests {
    /// A value both sides can be compared in: numbers as integers when integral and in range, else doubles.
    indirect enum Canonical: Equatable {
        case null, bool(Bool), int(Int64), double(Double), string(String), array([Canonical]), object([String: Canonical])
    }

    static func canonical(_ value: JSONValue) -> Canonical {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n.isInteger, let i = n.int64Value { return .int(i) }
            return .double(n.doubleValue)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(canonical))
        case .object(let members):
            var dict: [String: Canonical] = [:]
            for member in members { dict[member.key] = canonical(member.value) }
            return .object(dict)
        }
    }

    static func canonical(foundation value: Any) -> Canonical {
        switch value {
        case is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(describing: type(of: n)).contains("Boolean") { return .bool(n.boolValue) }
            let d = n.doubleValue
            if let i = n as? Int64, Double(i) == d || !d.isFinite { return .int(i) }
            if d == d.rounded(), abs(d) < 9e15 { return .int(Int64(d)) }
            return .double(d)
        case let a as [Any]: return .array(a.map { canonical(foundation: $0) })
        case let o as [String: Any]: return .object(o.mapValues { canonical(foundation: $0) })
        default: return .string("<unexpected \(type(of: value))>")
        }
    }

    /// Compares doubles by value and integers exactly; an integer that only one side could hold
    /// exactly is compared as a double.
    static func agree(_ a: Canonical, _ b: Canonical) -> Bool {
        switch (a, b) {
        case (.int(let i), .double(let y)), (.double(let y), .int(let i)):
            let x = Double(i)
            return x == y || abs(x - y) <= 1e-15 * max(abs(x), abs(y))
        case (.double(let x), .double(let y)):
            // Foundation's parser on Linux sometimes rounds the last bit differently (0.9972222222222222
            // reads as ...223); ours uses the correctly rounded conversion, as Python does.
            return x == y || abs(x - y) <= 1e-15 * max(abs(x), abs(y))
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { agree($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { agree(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func hasNonFinite(_ value: Canonical) -> Bool {
        switch value {
        case .double(let d): return !d.isFinite
        case .array(let a): return a.contains(where: hasNonFinite)
        case .object(let o): return o.values.contains(where: hasNonFinite)
        default: return false
        }
    }

    /// Where two values first differ, as a path; nil when they agree.
    static func firstDifference(_ a: Canonical, _ b: Canonical, path: String = "$") -> String? {
        switch (a, b) {
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (i, (p, q)) in zip(x, y).enumerated() {
                if let d = firstDifference(p, q, path: "\(path)[\(i)]") { return d }
            }
            return nil
        case (.object(let x), .object(let y)) where Set(x.keys) == Set(y.keys):
            for (key, value) in x {
                if let other = y[key], let d = firstDifference(value, other, path: "\(path).\(key)") { return d }
            }
            return nil
        default:
            return agree(a, b) ? nil : "\(path): ours \(a), theirs \(b)"
        }
    }

    /// Checks one document; returns a description of the disagreement, or nil. `outOfRange`: whether a
    /// number beyond `Double`'s range may be what Foundation rejected (not for documents without one).
    static func disagreement(_ bytes: [UInt8], outOfRange: Bool = true) -> String? {
        let ours: Canonical?
        var replaced = 0
        var trailingComma = false
        do {
            ours = canonical(try JSONValue.parse(bytes, replacements: &replaced))
        } catch {
            ours = nil
            if case .unexpectedByte(let offset, let byte, _) = error, byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                trailingComma = bytes[..<offset].last(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: ",")
            }
        }
        let theirs = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])).map { canonical(foundation: $0) }
        switch (ours, theirs) {
        case (nil, nil): return nil
        case (let o?, let t?): return firstDifference(o, t).map { "values differ at \($0)" }
        case (nil, _?): return trailingComma ? nil : "we rejected, Foundation accepted"
        case (let o?, nil):
            // The documented divergence: we replace lone surrogates (and invalid UTF-8) and go on.
            return replaced > 0 || (outOfRange && Self.hasNonFinite(o)) ? nil : "we accepted, Foundation rejected"
        }
    }

    @Test("every JSON document of the corpus: capture records and the JSON messages inside them")
    func corpusDocuments() throws {
        var checked = 0
        for directory in ["lines", "platform"] {
            for file in try TestPaths.list(TestPaths.corpus + "/" + directory, suffix: ".jsonl") {
                let bytes = try TestPaths.read(TestPaths.corpus + "/\(directory)/" + file)
                for line in bytes.split(separator: UInt8(ascii: "\n")) {
                    let record = Array(line)
                    if let problem = Self.disagreement(record) { Issue.record("\(file): \(problem)") }
                    checked += 1
                    // The message itself, when it is JSON (most agent records are).
                    if let message = try JSONValue.parse(record)["message"]?.stringValue {
                        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
                        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
                            if let problem = Self.disagreement(Array(trimmed.utf8)) { Issue.record("\(file) message: \(problem)") }
                            checked += 1
                        }
                    }
                }
            }
        }
        for file in ["newrelic.decoded.json"] {
            if let problem = Self.disagreement(try TestPaths.read(TestPaths.corpus + "/" + file)) { Issue.record("\(file): \(problem)") }
            checked += 1
        }
        #expect(checked > 2_500)
    }

    // MARK: - Generated documents

    static let stringPieces: [String] = ["a", "Z", " ", "é", "€", "🚀", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u0000", "\\ud83d\\ude80", "\\b", "\\f", "\\r", "tab", "0"]
    static let numbers: [String] = ["0", "-0", "7", "-12", "3.5", "-0.25", "1e3", "2E-2", "6.02e+23", "123456789", "-9007199254740993", "0.1"]

    static func document(_ rng: inout SplitMix, depth: Int = 0) -> String {
        let choice = rng.next() % (depth > 5 ? 4 : 7)
        switch choice {
        case 0: return ["null", "true", "false"][Int(rng.next() % 3)]
        case 1: return numbers[Int(rng.next() % UInt64(numbers.count))]
        case 2, 3:
            var s = "\""
            for _ in 0..<(rng.next() % 8) { s += stringPieces[Int(rng.next() % UInt64(stringPieces.count))] }
            return s + "\""
        case 4, 5:
            let members = (0..<(rng.next() % 5)).map { index in
                "\"k\(index)\(rng.next() % 3)\"" + (rng.next() % 2 == 0 ? ":" : " : ") + document(&rng, depth: depth + 1)
            }
            return "{" + members.joined(separator: rng.next() % 2 == 0 ? "," : " ,\n") + "}"
        default:
            let elements = (0..<(rng.next() % 5)).map { _ in document(&rng, depth: depth + 1) }
            return "[" + elements.joined(separator: rng.next() % 2 == 0 ? "," : ", ") + "]"
        }
    }

    /// Numbers and strings are scanned sixteen bytes at a time where sixteen remain, byte by byte near the
    /// end: whatever byte follows a number's digits or stands in a string, in either place, the reader
    /// must end them where Foundation does, and the tape where the reader does.
    @Test("numbers and strings end where Foundation ends them, whatever byte comes next")
    func everyByteAfterNumbersAndInStrings() {
        let numbers = ["1", "0", "-7", "12345678901234567890", "0.5", "3.14159265358979323846", "1e5", "-3.25E-7", "6E+12"]
        let padding = String(repeating: ", 1", count: 12)
        let shapes = numbers.flatMap { number in
            ["[\(number)#\(padding)]", "[\(padding), \(number)#]", "{\"k\": \(number)#\(padding)}", "[\(padding), \(number)#"]
        } + ["[\"ab#cd\"\(padding)]", "[\(padding), \"ab#\"]", "{\"k#ey\": 1\(padding)}"]
        var checked = 0
        // NUL aside: Foundation ends a document there, as C strings end (see `mutationBytes`).
        for byte in UInt8(1)...UInt8.max {
            for shape in shapes {
                let parts = shape.split(separator: "#", omittingEmptySubsequences: false)
                let bytes = Array(parts[0].utf8) + [byte] + Array(parts[1].utf8)
                let described = "byte \(byte) in \(shape)"
                if let problem = Self.disagreement(bytes, outOfRange: false) { Issue.record("\(described): \(problem)") }
                let expected = try? JSONValue.parse(bytes, maxDepth: 8)
                bytes.withUnsafeBufferPointer { buffer in
                    let tape = try? JSONTape(buffer, maxDepth: 8)
                    #expect((tape != nil) == (expected != nil), "\(described)")
                    if let tape, let expected {
                        withExtendedLifetime(tape) { #expect(JSONReaderTests.value(tape.root) == expected, "\(described)") }
                    }
                }
                checked += 1
            }
        }
        #expect(checked == 255 * shapes.count)
    }

    @Test("generated valid documents: both accept, values equal")
    func generatedValid() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let text = Self.document(&rng)
            let problem = Self.disagreement(Array(text.utf8))
            #expect(problem == nil, "\(text)")
            #expect((try? JSONValue.parse(Array(text.utf8))) != nil, "\(text)")
        }
    }

    /// Bytes that mutations insert. NUL is left out: Foundation reads a top-level number followed by
    /// NUL as the number (C string semantics); we reject it (tested in the reader's own tests).
    static let mutationBytes: [UInt8] = Array("{}[],:\"\\ 0-1.eE+tfnu\u{7F}a".utf8) + [0x01, 0x09, 0x0A]

    @Test("generated malformed documents: both reject or both accept with equal values")
    func generatedMalformed() async {
        await propertyCheck(count: 800, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var bytes = Array(Self.document(&rng).utf8)
            let mutations = 1 + Int(rng.next() % 3)
            for _ in 0..<mutations {
                let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0 where !bytes.isEmpty: bytes.remove(at: at)
                case 1: bytes.insert(Self.mutationBytes[Int(rng.next() % UInt64(Self.mutationBytes.count))], at: at)
                default:
                    if !bytes.isEmpty { bytes[at] = Self.mutationBytes[Int(rng.next() % UInt64(Self.mutationBytes.count))] }
                }
            }
            let problem = Self.disagreement(bytes)
            #expect(problem == nil, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
