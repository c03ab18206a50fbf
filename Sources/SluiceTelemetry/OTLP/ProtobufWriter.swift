/// Writes protocol buffers straight into bytes, fields in number order and proto3 defaults left out, as
/// the canonical serialisation has them (the tests compare with the official classes byte for byte).
///
/// Building the generated message objects first cost 16-19x the inflate time of the payload: one heap
/// object per attribute and value. A nested message is written in place after a one-byte length
/// placeholder, widened afterwards in the rare case its length needs more than one byte.
struct ProtobufWriter: ~Copyable {
    /// The output, grown by doubling; raw storage rather than an array, so appending a byte is a store,
    /// without the uniqueness check and capacity test an array append makes each time.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always) private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) private mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        (base + count).update(from: source, count: raw.count)
        count += raw.count
    }

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    @inline(__always) mutating func varint(_ value: UInt64) {
        reserve(10)
        var v = value
        while v >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: v) | 0x80
            count += 1
            v >>= 7
        }
        base[count] = UInt8(v)
        count += 1
    }

    @inline(__always) mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// A string field; left out when empty unless `always` (a oneof member keeps its presence).
    /// Reads the string's storage in place: no copy, no retain, for the native strings rows hold.
    mutating func string(_ field: Int, _ value: borrowing String, always: Bool = false) {
        if value.isEmpty && !always { return }
        tag(field, .lengthDelimited)
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            varint(UInt64(utf8.count))
            append(utf8)
        }
        if written == nil {
            let utf8 = Array(value.utf8)
            varint(UInt64(utf8.count))
            utf8.withUnsafeBufferPointer { append($0) }
        }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        if value.isEmpty { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        value.withUnsafeBufferPointer { append($0) }
    }

    /// Hex digits as their bytes, decoded straight into the output; nothing is written when the text is
    /// empty, of odd length or not hex (ids are checked before they get here).
    mutating func hexBytes(_ field: Int, _ hex: borrowing String) {
        let written: Bool? = hex.utf8.withContiguousStorageIfAvailable { digits in
            guard !digits.isEmpty, digits.count % 2 == 0 else { return false }
            let mark = count
            tag(field, .lengthDelimited)
            varint(UInt64(digits.count / 2))
            reserve(digits.count / 2)
            var index = 0
            while index < digits.count {
                guard let high = OTLPIdentifiers.nibble(digits[index]), let low = OTLPIdentifiers.nibble(digits[index + 1]) else {
                    count = mark
                    return false
                }
                base[count] = high << 4 | low
                count += 1
                index += 2
            }
            return true
        }
        if written == nil, let raw = OTLPIdentifiers.bytes(hex: copy hex) { bytes(field, raw) }
    }

    mutating func fixed64(_ field: Int, _ value: UInt64, always: Bool = false) {
        if value == 0 && !always { return }
        tag(field, .fixed64)
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count += 8
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
        append(value ? 1 : 0)
    }

    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        message(field) { w in for value in values { w.varint(UInt64(bitPattern: value)) } }
    }

    /// A nested message field, its body written by `body` (present even when the body is empty).
    @inline(__always) mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        let start = beginMessage(field)
        body(&self)
        endMessage(start)
    }

    /// Starts a nested message field; what is written until ``endMessage(_:)`` with the returned mark is its
    /// body. For the per-item writers: no closure, so nothing the body reads is captured (or copied).
    @inline(__always) mutating func beginMessage(_ field: Int) -> Int {
        tag(field, .lengthDelimited)
        append(0)
        return count - 1
    }

    mutating func endMessage(_ start: Int) {
        let length = count - start - 1
        if length < 0x80 {
            base[start] = UInt8(length)
            return
        }
        // Rare: the length needs more than the one byte kept for it; move the body along.
        var width = 1
        while length >> (7 * width) != 0 { width += 1 }
        reserve(width - 1)
        // Overlapping regions: copyMemory is a memmove.
        UnsafeMutableRawPointer(base + start + width).copyMemory(from: base + start + 1, byteCount: length)
        count += width - 1
        var v = UInt64(length)
        for index in start..<(start + width) {
            base[index] = UInt8(truncatingIfNeeded: v) | (index == start + width - 1 ? 0 : 0x80)
            v >>= 7
        }
    }
}
