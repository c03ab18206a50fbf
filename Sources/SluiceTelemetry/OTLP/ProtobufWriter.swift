import SluicePipeline

/// Writes protocol buffers straight into bytes, back to front: fields in number order and proto3
/// defaults left out, as the canonical serialisation has them (the tests compare with the official
/// classes byte for byte).
///
/// Building the generated message objects first cost 16-19x the inflate time of the payload: one heap
/// object per attribute and value. Writing forwards needs a nested message's length before its body:
/// a placeholder widened afterwards moved every body over 127 bytes, and the resource and scope bodies
/// (nearly the whole request) twice. Written from the end, a body is complete before its length is
/// written in front of it, so nothing ever moves. Callers therefore write the **last** field first,
/// and repeated fields in reverse order.
struct ProtobufWriter: ~Copyable {
    /// The output occupies `base[start..<capacity]`; it grows towards the front.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start: Int
    /// Whether stored strings are read in place (``StoredUTF8``), checked once here rather than per field.
    private let readsInPlace: Bool

    /// `readsInPlace` is for the tests, which compare the output with and without it.
    init(capacity: Int, readsInPlace: Bool = StoredUTF8.isUsable) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        start = self.capacity
        self.readsInPlace = readsInPlace && StoredUTF8.isUsable
    }

    deinit { base.deallocate() }

    /// How many bytes are written; a mark taken before a body, since growing keeps distances from the end.
    var count: Int { capacity - start }

    /// The bytes written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base + start, count: count)) }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        if start < extra { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        let written = count
        (bigger + newCapacity - written).update(from: base + start, count: written)
        base.deallocate()
        base = bigger
        capacity = newCapacity
        start = newCapacity - written
    }

    @inline(__always) private mutating func prepend(_ byte: UInt8) {
        reserve(1)
        start -= 1
        base[start] = byte
    }

    @inline(__always) private mutating func prepend(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        start -= raw.count
        Self.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base + start), count: raw.count)
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

    /// Bytes already encoded elsewhere (a block written before, kept by the caller), in front of the output.
    mutating func encoded(_ raw: UnsafeBufferPointer<UInt8>) { prepend(raw) }

    /// The bytes written since `mark` (a ``count``): valid until the next write.
    func written(since mark: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: count - mark)
    }

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    @inline(__always) mutating func varint(_ value: UInt64) {
        if value < 0x80 {
            prepend(UInt8(truncatingIfNeeded: value))
            return
        }
        var width = 2
        while value >> (7 * width) != 0 { width += 1 }
        reserve(width)
        start -= width
        var v = value
        var index = start
        while v >= 0x80 {
            base[index] = UInt8(truncatingIfNeeded: v) | 0x80
            index += 1
            v >>= 7
        }
        base[index] = UInt8(v)
    }

    @inline(__always) mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// A string field; left out when empty unless `always` (a oneof member keeps its presence).
    /// Reads the string's storage in place: no copy, no retain.
    mutating func string(_ field: Int, _ value: borrowing String, always: Bool = false) {
        Self.withUTF8(value) { lengthDelimited(field, $0, always: always) }
    }

    /// A length-delimited field of `bytes`; left out when empty unless `always`.
    @inline(__always) private mutating func lengthDelimited(_ field: Int, _ bytes: UnsafeBufferPointer<UInt8>, always: Bool) {
        if bytes.isEmpty && !always { return }
        prepend(bytes)
        varint(UInt64(bytes.count))
        tag(field, .lengthDelimited)
    }

    /// A string field read where it is stored, a field of a row the caller borrows: no retain (see
    /// ``StoredUTF8``).
    @inline(__always) mutating func string(_ field: Int, at pointer: UnsafePointer<String>, always: Bool = false) {
        guard readsInPlace, let stored = StoredUTF8.bytes(at: pointer) else { return string(field, pointer.pointee, always: always) }
        lengthDelimited(field, stored, always: always)
    }

    /// The same for an optional string, written when it is not nil.
    @inline(__always) mutating func string(_ field: Int, at pointer: UnsafePointer<String?>, always: Bool = false) {
        guard pointer.pointee != nil else { return }
        guard readsInPlace, let stored = StoredUTF8.bytes(at: pointer) else { return string(field, pointer.pointee ?? "", always: always) }
        lengthDelimited(field, stored, always: always)
    }

    /// A `KeyValue` in `field` whose value is an `AnyValue` string: `key`, then `value`. Most attributes are
    /// these, and written as four fields each (a capacity check and a length per field) they were a fifth of
    /// the encoding; here the room is checked once and the pair written back to front without checks. The
    /// key is left out when empty unless `keyAlways`, as ``string(_:_:always:)`` leaves it; the value never is.
    @inline(__always) mutating func stringPair(_ field: Int, key: UnsafeBufferPointer<UInt8>, keyAlways: Bool, value: UnsafeBufferPointer<UInt8>) {
        // Four lengths and four tags, at most 10 bytes each, bound the framing.
        reserve(key.count &+ value.count &+ 80)
        let end = start
        put(value)
        putVarint(UInt64(value.count))
        putByte(0x0A)                                                 // AnyValue.string_value
        finishPair(field, end: end, key: key, keyAlways: keyAlways)
    }

    /// The same for a bool, an integer or a double value (`AnyValue` fields 2, 3 and 4, written even when
    /// zero, as a oneof member is); a string value is written by ``stringPair(_:key:keyAlways:value:)``.
    @inline(__always) mutating func scalarPair(_ field: Int, key: UnsafeBufferPointer<UInt8>, keyAlways: Bool, value: borrowing AttributeValue) {
        reserve(key.count &+ 80)
        let end = start
        switch value {
        case .bool(let flag):
            putByte(flag ? 1 : 0)
            putByte(0x10)
        case .int(let number):
            putVarint(UInt64(bitPattern: number))
            putByte(0x18)
        case .double(let number):
            start &-= 8
            UnsafeMutableRawPointer(base + start).storeBytes(of: number.bitPattern.littleEndian, as: UInt64.self)
            putByte(0x21)
        case .string(let text):
            return Self.withUTF8(text) { stringPair(field, key: key, keyAlways: keyAlways, value: $0) }
        }
        finishPair(field, end: end, key: key, keyAlways: keyAlways)
    }

    /// The `KeyValue`'s framing in front of its `AnyValue` body, written since `end` (a `start`): the value's
    /// length and tag, the key, the pair's length and tag.
    @inline(__always) private mutating func finishPair(_ field: Int, end: Int, key: UnsafeBufferPointer<UInt8>, keyAlways: Bool) {
        putVarint(UInt64(end &- start))
        putByte(0x12)                                                 // KeyValue.value
        if keyAlways || !key.isEmpty {
            put(key)
            putVarint(UInt64(key.count))
            putByte(0x0A)                                             // KeyValue.key
        }
        putVarint(UInt64(end &- start))
        putVarint(UInt64(field) << 3 | UInt64(WireType.lengthDelimited.rawValue))
    }

    /// The same, the key a literal.
    @inline(__always) mutating func stringPair(_ field: Int, literal key: StaticString, value: UnsafeBufferPointer<UInt8>) {
        stringPair(field, key: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), keyAlways: true, value: value)
    }

    /// The same, the value a string read in place.
    @inline(__always) mutating func stringPair(_ field: Int, literal key: StaticString, _ value: borrowing String) {
        Self.withUTF8(value) { stringPair(field, literal: key, value: $0) }
    }

    /// The same, the value read where it is stored, in a row the caller borrows (see ``StoredUTF8``).
    @inline(__always) mutating func stringPair(_ field: Int, literal key: StaticString, at value: UnsafePointer<String>) {
        guard readsInPlace, let stored = StoredUTF8.bytes(at: value) else {
            return Self.withUTF8(value.pointee) { stringPair(field, literal: key, value: $0) }
        }
        stringPair(field, literal: key, value: stored)
    }

    /// The same for an optional string: nothing when it is nil.
    @inline(__always) mutating func stringPair(_ field: Int, literal key: StaticString, at value: UnsafePointer<String?>) {
        guard value.pointee != nil else { return }
        guard readsInPlace, let stored = StoredUTF8.bytes(at: value) else {
            return Self.withUTF8(value.pointee ?? "") { stringPair(field, literal: key, value: $0) }
        }
        stringPair(field, literal: key, value: stored)
    }

    /// A `KeyValue` of an attribute read where it is stored: its key, and its value in place when a string.
    @inline(__always) mutating func pair(_ field: Int, attributeAt attribute: UnsafePointer<Attribute>) {
        let key = attribute.pointer(to: \.key).unsafelyUnwrapped, value = attribute.pointer(to: \.value).unsafelyUnwrapped
        if case .string = value.pointee { return stringPair(field, keyAt: key, stringAt: value) }
        guard readsInPlace, let storedKey = StoredUTF8.bytes(at: key) else {
            return Self.withUTF8(key.pointee) { scalarPair(field, key: $0, keyAlways: false, value: value.pointee) }
        }
        scalarPair(field, key: storedKey, keyAlways: false, value: value.pointee)
    }

    /// The same, the key and the value (whose case is `.string`) read where they are stored.
    @inline(__always) mutating func stringPair(_ field: Int, keyAt key: UnsafePointer<String>, stringAt value: UnsafePointer<AttributeValue>) {
        guard readsInPlace, let storedKey = StoredUTF8.bytes(at: key), let storedValue = StoredUTF8.bytes(ofStringAt: value) else {
            guard case .string(let text) = value.pointee else { return }
            return Self.withUTF8(key.pointee) { k in Self.withUTF8(text) { stringPair(field, key: k, keyAlways: false, value: $0) } }
        }
        stringPair(field, key: storedKey, keyAlways: false, value: storedValue)
    }

    // Writes for room already reserved.
    @inline(__always) private mutating func putByte(_ byte: UInt8) {
        start &-= 1
        base[start] = byte
    }

    @inline(__always) private mutating func put(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        start &-= raw.count
        Self.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base + start), count: raw.count)
    }

    @inline(__always) private mutating func putVarint(_ value: UInt64) {
        if value < 0x80 { return putByte(UInt8(truncatingIfNeeded: value)) }
        var width = 2
        while value >> (7 * width) != 0 { width &+= 1 }
        start &-= width
        var v = value
        var index = start
        while v >= 0x80 {
            base[index] = UInt8(truncatingIfNeeded: v) | 0x80
            index &+= 1
            v >>= 7
        }
        base[index] = UInt8(truncatingIfNeeded: v)
    }

    /// A string field from a literal (keys, names): its bytes are in the binary, read without a call into
    /// the standard library or a retain.
    @inline(__always) mutating func string(_ field: Int, literal value: StaticString) {
        lengthDelimited(field, UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount), always: true)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        value.withUnsafeBufferPointer { lengthDelimited(field, $0, always: false) }
    }

    /// Hex digits as their bytes, decoded straight into the output; nothing is written when the text is
    /// empty, of odd length or not hex (ids are checked before they get here).
    mutating func hexBytes(_ field: Int, _ hex: borrowing String) {
        Self.withUTF8(hex) { hexBytes(field, digits: $0) }
    }

    /// The same for hex digits stored in a row the caller borrows, read in place (see ``StoredUTF8``).
    @inline(__always) mutating func hexBytes(_ field: Int, at pointer: UnsafePointer<String>) {
        guard readsInPlace, let stored = StoredUTF8.bytes(at: pointer) else { return hexBytes(field, pointer.pointee) }
        hexBytes(field, digits: stored)
    }

    /// The same for an optional string, written when it is not nil and, if `length` is given, has that
    /// many digits.
    @inline(__always) mutating func hexBytes(_ field: Int, at pointer: UnsafePointer<String?>, length: Int? = nil) {
        guard pointer.pointee != nil else { return }
        guard readsInPlace, let stored = StoredUTF8.bytes(at: pointer) else {
            return Self.withUTF8(pointer.pointee ?? "") { hexBytes(field, digits: $0, length: length) }
        }
        hexBytes(field, digits: stored, length: length)
    }

    private mutating func hexBytes(_ field: Int, digits: UnsafeBufferPointer<UInt8>, length required: Int? = nil) {
        if let required, digits.count != required { return }
        guard !digits.isEmpty, digits.count % 2 == 0 else { return }
        let length = digits.count / 2
        reserve(length)
        let first = start - length
        // Without a branch per digit (ids are hex nearly always): the bytes are written in front of the output
        // and kept only when every digit was hex.
        var notHex: UInt8 = 0
        for index in 0..<length {
            let high = digits[2 &* index], low = digits[2 &* index &+ 1]
            notHex |= Self.notHexDigit(high) | Self.notHexDigit(low)
            base[first &+ index] = Self.hexValue(high) << 4 | Self.hexValue(low)
        }
        if notHex != 0 { return }
        start = first
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

    /// A string's UTF-8 bytes, read in place (a small string's from the stack). `utf8Span` did the same
    /// through a call into the standard library for every field, a tenth of the encoding time; this one
    /// is inlined. Only a bridged string, which has no contiguous UTF-8, is copied.
    @inline(__always) private static func withUTF8<R>(_ value: borrowing String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = value.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = copy value
        return copy.withUTF8(body)
    }

    @inline(__always) mutating func fixed64(_ field: Int, _ value: UInt64, always: Bool = false) {
        if value == 0 && !always { return }
        reserve(8)
        start -= 8
        UnsafeMutableRawPointer(base + start).storeBytes(of: value.littleEndian, as: UInt64.self)
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
        prepend(value ? 1 : 0)
        tag(field, .varint)
    }

    /// Packed varints, in the order given (written last to first).
    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        message(field) { w in for value in values.reversed() { w.varint(UInt64(bitPattern: value)) } }
    }

    /// A nested message field, its body written by `body`, last field first (present even when empty).
    @inline(__always) mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        let mark = count
        body(&self)
        endMessage(field, mark)
    }

    /// Ends a nested message field whose body is what was written since `mark` (a ``count``): writes its
    /// length and tag in front. For the per-item writers: no closure, so nothing the body reads is
    /// captured (or copied).
    @inline(__always) mutating func endMessage(_ field: Int, _ mark: Int) {
        varint(UInt64(count - mark))
        tag(field, .lengthDelimited)
    }
}
