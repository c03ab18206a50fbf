import PropertyBased
@testable import SluiceTelemetry
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
}
