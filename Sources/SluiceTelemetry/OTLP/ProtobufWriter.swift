/// Writes protocol buffers straight into bytes, fields in number order and proto3 defaults left out, as
/// the canonical serialisation has them (the tests compare with the official classes byte for byte).
///
/// Building the generated message objects first cost 16-19x the inflate time of the payload: one heap
/// object per attribute and value. A nested message is written in place after a one-byte length
/// placeholder, widened afterwards in the rare case its length needs more than one byte.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    @inline(__always) mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always) mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// A string field; left out when empty unless `always` (a oneof member keeps its presence).
    mutating func string(_ field: Int, _ value: String, always: Bool = false) {
        if value.isEmpty && !always { return }
        tag(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        if value.isEmpty { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// 32 or 16 hex digits as their bytes (ids are checked to be hex before they get here).
    mutating func hexBytes(_ field: Int, _ hex: String) {
        guard let raw = OTLPIdentifiers.bytes(hex: hex) else { return }
        bytes(field, raw)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64, always: Bool = false) {
        if value == 0 && !always { return }
        tag(field, .fixed64)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func double(_ field: Int, _ value: Double, always: Bool = false) {
        if value.bitPattern == 0 && !always { return }
        fixed64(field, value.bitPattern, always: true)
    }

    mutating func int64(_ field: Int, _ value: Int64, always: Bool = false) {
        if value == 0 && !always { return }
        tag(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    mutating func sint32(_ field: Int, _ value: Int32) {
        if value == 0 { return }
        tag(field, .varint)
        varint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    mutating func bool(_ field: Int, _ value: Bool, always: Bool = false) {
        if !value && !always { return }
        tag(field, .varint)
        bytes.append(value ? 1 : 0)
    }

    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        message(field) { w in for value in values { w.varint(UInt64(bitPattern: value)) } }
    }

    /// A nested message field, its body written by `body` (present even when the body is empty).
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, .lengthDelimited)
        let start = bytes.count
        bytes.append(0)
        body(&self)
        let length = bytes.count - start - 1
        if length < 0x80 {
            bytes[start] = UInt8(length)
            return
        }
        var width = 1
        while length >> (7 * width) != 0 { width += 1 }
        bytes.insert(contentsOf: repeatElement(0, count: width - 1), at: start + 1)
        var v = UInt64(length)
        for index in start..<(start + width) {
            bytes[index] = UInt8(truncatingIfNeeded: v) | (index == start + width - 1 ? 0 : 0x80)
            v >>= 7
        }
    }
}
