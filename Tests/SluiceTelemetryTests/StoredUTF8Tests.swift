import PropertyBased
import SluicePipeline
@testable import SluiceTelemetry
import Testing

@Suite("reading stored strings in place")
struct StoredUTF8Tests {
    /// A string of `length` scalars from a mix of one- to four-byte ones, built the way the recognisers
    /// build theirs (from bytes), then in other forms: appended to, derived from a substring.
    static func forms(length: Int, seed: UInt64) -> [String] {
        let scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "é", "ü", "€", "中", "😀"]
        var state = seed
        var bytes: [UInt8] = []
        for _ in 0..<length {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(contentsOf: String(scalars[Int(state >> 33) % scalars.count]).utf8)
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        var appended = decoded
        appended.append("!")
        return [decoded, appended, String(decoded.dropFirst(length / 2)), String(decoded.prefix(3))]
    }

    @Test("the reader agrees with the standard library on this platform")
    func selfCheck() {
        #expect(StoredUTF8.isUsable)
    }

    @Test("every form of string is read as its UTF-8 bytes, alone, as an optional and in an attribute value")
    func agreesWithStandardLibrary() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...80), Gen.uint64()) { length, seed in
            for string in Self.forms(length: length, seed: seed) + ["", "a literal string longer than fifteen bytes"] {
                let expected = Array(string.utf8)
                let alone = withUnsafePointer(to: string) { StoredUTF8.bytes(at: $0).map(Array.init) }
                let optional: String? = string
                let inOptional = withUnsafePointer(to: optional) { StoredUTF8.bytes(at: $0).map(Array.init) }
                let value = AttributeValue.string(string)
                let inValue = withUnsafePointer(to: value) { StoredUTF8.bytes(ofStringAt: $0).map(Array.init) }
                // Every form made here is native, small or a literal: all must be read, and read right.
                #expect(alone == expected)
                #expect(inOptional == expected)
                #expect(inValue == expected)
            }
        }
    }

    @Test("the encoder writes the same bytes whether it reads stored strings in place or not")
    func sameBytesEitherWay() throws {
        let files = try Pipeline.payloadFiles(Pipeline.fixtures + "/payloads")
        let batch = Pipeline.batch(try Pipeline.recognize(files))
        #expect(batch.spans.count > 100 && batch.logs.count > 100 && batch.metrics.count > 20)
        let inPlace = OTLPEncoder()
        var ordinary = OTLPEncoder()
        ordinary.readsStoredStringsInPlace = false
        #expect(inPlace.traces(batch) == ordinary.traces(batch))
        #expect(inPlace.logs(batch) == ordinary.logs(batch))
        #expect(inPlace.metrics(batch) == ordinary.metrics(batch))
    }
}
