import PropertyBased
import SluiceOTLP
import SluicePipeline
@testable import SluiceTelemetry
import SwiftProtobuf
import Testing

@Suite("protobuf writer")
struct ProtobufWriterTests {
    @Test("strings of every length are written whole, in order, after their tag and length")
    func stringsOfEveryLength() async {
        await propertyCheck(count: 200, input: Gen.uint8(in: 0x20...0x7E).array(of: 0...70).array(of: 1...6)) { fields in
            var w = ProtobufWriter(capacity: 1)                 // small: growing is exercised too
            var expected: [UInt8] = []
            for (number, field) in fields.enumerated() {
                let text = String(decoding: field, as: UTF8.self)
                // The writer puts each field in front of what it wrote before.
                expected = [UInt8(number + 1) << 3 | 2, UInt8(field.count)] + field + expected
                w.string(number + 1, text, always: true)
            }
            #expect(w.bytes == expected)
        }
    }

    /// A `KeyValue` the long way: the value's fields, then the key's, each checked and framed on its own.
    static func pairFieldByField(_ w: inout ProtobufWriter, _ field: Int, key: String, keyAlways: Bool, value: AttributeValue) {
        let pair = w.count
        let any = w.count
        switch value {
        case .string(let text): w.string(1, text, always: true)
        case .bool(let flag): w.bool(2, flag, always: true)
        case .int(let number): w.int64(3, number, always: true)
        case .double(let number): w.double(4, number, always: true)
        }
        w.endMessage(2, any)
        w.string(1, key, always: keyAlways)
        w.endMessage(field, pair)
    }

    static func pairFieldByField(_ w: inout ProtobufWriter, _ field: Int, key: String, keyAlways: Bool, value: String) {
        pairFieldByField(&w, field, key: key, keyAlways: keyAlways, value: .string(value))
    }

    @Test("a string attribute written in one piece is the bytes of its fields written one by one")
    func stringPairs() async {
        // Lengths either side of 127 and 16,383, where a length takes a second and a third byte; empty keys
        // and values; several pairs, so each is framed in front of the last.
        let text = Gen.oneOf(Gen.uint8(in: 0x20...0x7E).array(of: 0...2), Gen.uint8(in: 0x20...0x7E).array(of: 120...300),
                             Gen.uint8(in: 0x61...0x7A).array(of: 16_380...16_390))
            .map { String(decoding: $0, as: UTF8.self) }
        let pair = zip(Gen.int(in: 1...15), text, text, Gen.bool())
        await propertyCheck(count: 150, input: pair.array(of: 1...5)) { pairs in
            for inPlace in [true, false] {
                var fused = ProtobufWriter(capacity: 1, readsInPlace: inPlace)
                var separate = ProtobufWriter(capacity: 1, readsInPlace: inPlace)
                for (field, key, value, literalKey) in pairs {
                    if literalKey {
                        // A literal key is always written, empty or not.
                        fused.stringPair(field, literal: "faas.invocation_id", value)
                        Self.pairFieldByField(&separate, field, key: "faas.invocation_id", keyAlways: true, value: value)
                    } else {
                        // A stored key is left out when empty, as `string(_:at:)` leaves it.
                        let attribute = Attribute(key, .string(value))
                        withUnsafePointer(to: attribute) { pointer in
                            fused.stringPair(field, keyAt: pointer.pointer(to: \.key).unsafelyUnwrapped,
                                             stringAt: pointer.pointer(to: \.value).unsafelyUnwrapped)
                        }
                        Self.pairFieldByField(&separate, field, key: key, keyAlways: false, value: value)
                    }
                    let stored: String? = value
                    withUnsafePointer(to: stored) { fused.stringPair(field, literal: "k", at: $0) }
                    Self.pairFieldByField(&separate, field, key: "k", keyAlways: true, value: value)
                }
                let absent: String? = nil
                withUnsafePointer(to: absent) { fused.stringPair(3, literal: "k", at: $0) }
                #expect(fused.bytes == separate.bytes)
            }
        }
    }

    @Test("hex digits become their bytes, and text that is not hex writes nothing")
    func hexDigits() async {
        // Digits of both cases, with now and then a byte of any value among them, at even and odd lengths.
        let digit = Gen.oneOf(Gen.uint8(in: 0x30...0x39), Gen.uint8(in: 0x61...0x66), Gen.uint8(in: 0x41...0x46), Gen.uint8(in: 0x30...0x39),
                              Gen.uint8(in: 0x61...0x66), Gen.uint8(in: 0x41...0x46), Gen.uint8(in: 0x30...0x39), Gen.uint8())
        await propertyCheck(count: 300, input: digit.array(of: 0...40)) { digits in
            let text = String(decoding: digits, as: UTF8.self)
            var w = ProtobufWriter(capacity: 1)
            w.hexBytes(4, text)
            let values = digits.map(OTLPIdentifiers.nibble)
            if digits.isEmpty || digits.count % 2 == 1 || values.contains(nil) || text.utf8.count != digits.count {
                #expect(w.bytes.isEmpty)
            } else {
                let bytes = stride(from: 0, to: values.count, by: 2).map { (values[$0] ?? 0) << 4 | (values[$0 + 1] ?? 0) }
                #expect(w.bytes == [4 << 3 | 2, UInt8(bytes.count)] + bytes)
            }
        }
    }

    @Test("attributes of every kind of value are written in one piece as field by field")
    func attributePairs() async {
        let key = Gen.oneOf(Gen.uint8(in: 0x20...0x7E).array(of: 0...2), Gen.uint8(in: 0x20...0x7E).array(of: 120...140))
            .map { String(decoding: $0, as: UTF8.self) }
        // Zeros (written all the same, as a oneof member is), negative integers (ten bytes), large and small.
        let value = Gen.oneOf(Gen.bool().map(AttributeValue.bool),
                              Gen.int64(in: -3...3).map(AttributeValue.int), Gen.int64().map(AttributeValue.int),
                              Gen.double(in: -1e300...1e300).map(AttributeValue.double), Gen.always(AttributeValue.double(0)),
                              Gen.uint8(in: 0x20...0x7E).array(of: 0...140).map { AttributeValue.string(String(decoding: $0, as: UTF8.self)) })
        await propertyCheck(count: 200, input: zip(Gen.int(in: 1...15), key, value).array(of: 1...6)) { pairs in
            for inPlace in [true, false] {
                var fused = ProtobufWriter(capacity: 1, readsInPlace: inPlace)
                var separate = ProtobufWriter(capacity: 1, readsInPlace: inPlace)
                for (field, key, value) in pairs {
                    withUnsafePointer(to: Attribute(key, value)) { fused.pair(field, attributeAt: $0) }
                    Self.pairFieldByField(&separate, field, key: key, keyAlways: false, value: value)
                    OTLPEncoder.writeAttribute(field, "sluice.invocation.end_ms", value, into: &fused)
                    Self.pairFieldByField(&separate, field, key: "sluice.invocation.end_ms", keyAlways: true, value: value)
                }
                #expect(fused.bytes == separate.bytes)
            }
        }
    }

    @Test("fields written through a cursor in room checked once are what the generated types write")
    func cursorAgainstGeneratedTypes() async throws {
        // A resource's attributes (KeyValues of every kind) and a summary point (fixed64s, doubles, nested
        // quantiles): the cursor's scalars, lengths and tags, against SwiftProtobuf's canonical bytes.
        let value = Gen.oneOf(Gen.bool().map(AttributeValue.bool), Gen.int64().map(AttributeValue.int),
                              Gen.int64(in: -2...2).map(AttributeValue.int), Gen.double(in: -1e12...1e12).map(AttributeValue.double),
                              Gen.uint8(in: 0x20...0x7E).array(of: 0...200).map { AttributeValue.string(String(decoding: $0, as: UTF8.self)) })
        let key = Gen.uint8(in: 0x61...0x7A).array(of: 1...140).map { String(decoding: $0, as: UTF8.self) }
        let numbers = zip(Gen.uint64(), Gen.uint64(), Gen.double(in: -1e9...1e9), Gen.double(in: -1e9...1e9))
        await propertyCheck(count: 200, input: zip(zip(key, value).array(of: 0...8), numbers)) { attributes, figures in
            var resource = Opentelemetry_Proto_Resource_V1_Resource()
            var w = ProtobufWriter(capacity: 1)
            for (key, value) in attributes.reversed() {
                withUnsafePointer(to: Attribute(key, value)) { w.pair(1, attributeAt: $0) }
            }
            resource.attributes = attributes.map { key, value in
                var any = Opentelemetry_Proto_Common_V1_AnyValue()
                switch value {
                case .string(let text): any.stringValue = text
                case .bool(let flag): any.boolValue = flag
                case .int(let number): any.intValue = number
                case .double(let number): any.doubleValue = number
                }
                var pair = Opentelemetry_Proto_Common_V1_KeyValue()
                pair.key = key
                pair.value = any
                return pair
            }
            #expect(w.bytes == (try? resource.serializedBytes() as [UInt8]))

            let (start, count, sum, low) = figures
            var point = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint()
            point.startTimeUnixNano = start
            point.count = count
            point.sum = sum
            var quantile = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint.ValueAtQuantile()
            quantile.value = low
            point.quantileValues = [quantile]
            var p = ProtobufWriter(capacity: 1)
            p.withRoom(128) { c in
                let q = c.count
                c.double(2, low)
                c.endMessage(6, q)
                c.double(5, sum)
                c.fixed64(4, count)
                c.fixed64(2, start)
            }
            #expect(p.bytes == (try? point.serializedBytes() as [UInt8]))
        }
    }

    @Test("a block written again from the output is the same bytes, however much the writer grew since")
    func repeatedBlocks() {
        for (blockLength, filler) in [(5, 0), (40, 3), (300, 70_000), (20_000, 1)] {
            var w = ProtobufWriter(capacity: 1)
            w.string(3, "written before the block")
            let low = w.count
            w.string(2, String(repeating: "b", count: blockLength))
            let high = w.count
            let block = Array(w.bytes.prefix(high - low))
            w.string(1, String(repeating: "f", count: filler))
            let before = w.bytes
            w.repeatWritten(from: low, to: high)
            let bytes = w.bytes
            // In front the block again, then everything as it was, the block still in its place.
            #expect(Array(bytes.prefix(high - low)) == block, "\(blockLength)")
            #expect(Array(bytes.dropFirst(high - low)) == before, "\(blockLength)")
            #expect(Array(bytes[(bytes.count - high)..<(bytes.count - low)]) == block, "\(blockLength)")
        }
    }

    @Test("the bytes handed over without a copy are the bytes written, and outlive the writer")
    func finishHandsOverTheBytes() {
        for length in [0, 1, 14, 15, 100, 70_000] {
            let text = String(repeating: "x", count: length)
            var w = ProtobufWriter(capacity: 1)
            w.string(1, text)
            let expected = w.bytes
            let data = w.finish()                                     // the writer is gone from here on
            #expect(Array(data) == expected, "\(length)")
            #expect(data.count == (length == 0 ? 0 : length + 2 + (length > 127 ? 1 : 0) + (length > 16_383 ? 1 : 0)), "\(length)")
        }
    }
}
