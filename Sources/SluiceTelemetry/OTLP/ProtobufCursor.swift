/// Writes protocol buffer fields back to front into room a ``ProtobufWriter`` has already checked
/// (``ProtobufWriter/withRoom(_:_:)``). A local value, so its position stays in a register: the writer,
/// lent `inout` to every item's function, kept its position in memory, and each field loaded it, checked
/// the room and stored it again, one after the other (a quarter of writing a metric point).
///
/// Callers write the **last** field first, as ``ProtobufWriter`` explains, and no more bytes than the room
/// they asked for.
struct ProtobufCursor {
    private let base: UnsafeMutablePointer<UInt8>
    /// The first byte written: the output is `base[position..<capacity]`.
    private(set) var position: Int
    private let capacity: Int

    init(base: UnsafeMutablePointer<UInt8>, position: Int, capacity: Int) {
        self.base = base
        self.position = position
        self.capacity = capacity
    }

    /// How many bytes the writer holds: the same measure as ``ProtobufWriter/count``, so marks taken from
    /// either end messages on the other.
    var count: Int { capacity &- position }

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    @inline(__always) mutating func byte(_ byte: UInt8) {
        position &-= 1
        base[position] = byte
    }

    @inline(__always) mutating func bytes(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        position &-= raw.count
        Self.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base + position), count: raw.count)
    }

    /// At most 10 bytes.
    @inline(__always) mutating func varint(_ value: UInt64) {
        if value < 0x80 { return byte(UInt8(truncatingIfNeeded: value)) }
        var width = 2
        while value >> (7 &* width) != 0 { width &+= 1 }
        position &-= width
        var v = value
        var index = position
        while v >= 0x80 {
            base[index] = UInt8(truncatingIfNeeded: v) | 0x80
            index &+= 1
            v >>= 7
        }
        base[index] = UInt8(truncatingIfNeeded: v)
    }

    @inline(__always) mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// A length-delimited field of `bytes`; left out when empty unless `always`. At most `bytes.count + 20`.
    @inline(__always) mutating func lengthDelimited(_ field: Int, _ bytes: UnsafeBufferPointer<UInt8>, always: Bool) {
        if bytes.isEmpty && !always { return }
        self.bytes(bytes)
        varint(UInt64(bytes.count))
        tag(field, .lengthDelimited)
    }

    /// Ends a nested message whose body is what was written since `mark` (a ``count``): its length and tag
    /// in front. At most 20 bytes.
    @inline(__always) mutating func endMessage(_ field: Int, _ mark: Int) {
        varint(UInt64(count &- mark))
        tag(field, .lengthDelimited)
    }

    /// At most 18 bytes, as every scalar field below.
    @inline(__always) mutating func fixed64(_ field: Int, _ value: UInt64, always: Bool = false) {
        if value == 0 && !always { return }
        position &-= 8
        UnsafeMutableRawPointer(base + position).storeBytes(of: value.littleEndian, as: UInt64.self)
        tag(field, .fixed64)
    }

    @inline(__always) mutating func double(_ field: Int, _ value: Double, always: Bool = false) {
        if value.bitPattern == 0 && !always { return }
        fixed64(field, value.bitPattern, always: true)
    }

    @inline(__always) mutating func int64(_ field: Int, _ value: Int64, always: Bool = false) {
        if value == 0 && !always { return }
        varint(UInt64(bitPattern: value))
        tag(field, .varint)
    }

    @inline(__always) mutating func sint32(_ field: Int, _ value: Int32) {
        if value == 0 { return }
        varint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
        tag(field, .varint)
    }

    @inline(__always) mutating func bool(_ field: Int, _ value: Bool, always: Bool = false) {
        if !value && !always { return }
        byte(value ? 1 : 0)
        tag(field, .varint)
    }

    /// Hex digits (an even, non-zero number of them) as their bytes, decoded straight into the output; nothing
    /// is written when one is not hex. At most `digits.count / 2 + 20`.
    @inline(__always) mutating func hexBytes(_ field: Int, digits: UnsafeBufferPointer<UInt8>) {
        let length = digits.count / 2
        let first = position &- length
        // Without a branch per digit (ids are hex nearly always): the bytes are written in front of the output
        // and kept only when every digit was hex.
        var notHex: UInt8 = 0
        for index in 0..<length {
            let high = digits[2 &* index], low = digits[2 &* index &+ 1]
            notHex |= Self.notHexDigit(high) | Self.notHexDigit(low)
            base[first &+ index] = Self.hexValue(high) << 4 | Self.hexValue(low)
        }
        if notHex != 0 { return }
        position = first
        varint(UInt64(length))
        tag(field, .lengthDelimited)
    }

    /// 1 when `c` is not a hex digit, else 0: both ranges tested, no branch.
    @inline(__always) private static func notHexDigit(_ c: UInt8) -> UInt8 {
        (c &- UInt8(ascii: "0") < 10 ? 0 : 1) & ((c | 0x20) &- UInt8(ascii: "a") < 6 ? 0 : 1)
    }

    /// A hex digit's value (any byte gives some value; ``notHexDigit(_:)`` tells whether it means one):
    /// letters have bit 6 set, and their low four bits count from 1.
    @inline(__always) private static func hexValue(_ c: UInt8) -> UInt8 {
        (c & 0x0F) &+ (c >> 6) &* 9
    }

    /// The framing of a `KeyValue` in front of its `AnyValue` body, written since `end` (a ``count``): the
    /// value's length and tag, the key (left out when empty unless `keyAlways`), the pair's length and tag.
    /// At most `key.count + 50`.
    @inline(__always) mutating func finishPair(_ field: Int, valueFrom mark: Int, key: UnsafeBufferPointer<UInt8>, keyAlways: Bool) {
        endMessage(2, mark)                                           // KeyValue.value
        if keyAlways || !key.isEmpty { lengthDelimited(1, key, always: true) }
        endMessage(field, mark)
    }

    /// The bytes between the marks `low` and `high` (two ``count``s) written again in front. At most
    /// `high - low`; the block lies behind the room, so the two do not overlap.
    @inline(__always) mutating func repeatWritten(from low: Int, to high: Int) {
        position &-= high &- low
        Self.copy(UnsafeRawPointer(base + (capacity &- high)), to: UnsafeMutableRawPointer(base + position), count: high &- low)
    }

    /// Most fields are short (keys, names, ids); a call to `memmove` for each was a fifth of the time, so
    /// up to 32 bytes are copied here as two loads and two stores that may overlap.
    @inline(__always) private static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        switch count {
        case 16...32:
            let head = source.loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 16, as: SIMD16<UInt8>.self)
            target.storeBytes(of: head, as: SIMD16<UInt8>.self)
            target.storeBytes(of: tail, toByteOffset: count - 16, as: SIMD16<UInt8>.self)
        case 8..<16:
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 1..<4:
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count / 2, as: UInt8.self), toByteOffset: count / 2, as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1, as: UInt8.self)
        default:
            target.copyMemory(from: source, byteCount: count)
        }
    }
}
