import FoundationEssentials
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
///
/// The writer owns the bytes and grows them; the fields themselves are written by a ``ProtobufCursor``
/// into room checked once for a group of them (``withRoom(_:_:)``).
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

    /// The bytes written, copied.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base + start, count: count)) }

    /// The bytes written, handed over without a copy: the writer's buffer becomes the `Data`'s and is freed
    /// with it. Copying a request into an array was the last pass over every byte (7 % of encoding, and
    /// the request's size again in memory until the copy was done).
    consuming func finish() -> Data {
        let (base, start, count) = (self.base, self.start, self.count)
        discard self
        guard count > 0 else {
            base.deallocate()
            return Data()
        }
        // The allocation starts before the bytes (they were written back to front): the deallocator frees
        // it by its own address, kept as a number to cross into the `@Sendable` closure.
        let allocation = UInt(bitPattern: base)
        return Data(bytesNoCopy: base + start, count: count, deallocator: .custom { _, _ in
            UnsafeMutablePointer<UInt8>(bitPattern: allocation)?.deallocate()
        })
    }

    /// Writes through `body` at most `bound` bytes, the room for them checked once.
    @inline(__always) mutating func withRoom<R>(_ bound: Int, _ body: (inout ProtobufCursor) -> R) -> R {
        if start < bound { grow(count + bound) }
        var cursor = ProtobufCursor(base: base, position: start, capacity: capacity)
        let result = body(&cursor)
        start = cursor.position
        return result
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

    /// The bytes written between the marks `low` and `high` (two ``count``s, `low` ≤ `high` ≤ ``count``)
    /// written again in front: a block repeated from the output itself, where growing keeps it.
    mutating func repeatWritten(from low: Int, to high: Int) {
        withRoom(high &- low) { $0.repeatWritten(from: low, to: high) }
    }

    /// A string field; left out when empty unless `always` (a oneof member keeps its presence).
    /// Reads the string's storage in place: no copy, no retain.
    mutating func string(_ field: Int, _ value: borrowing String, always: Bool = false) {
        Self.withUTF8(value) { lengthDelimited(field, $0, always: always) }
    }

    /// A length-delimited field of `bytes`; left out when empty unless `always`.
    @inline(__always) private mutating func lengthDelimited(_ field: Int, _ bytes: UnsafeBufferPointer<UInt8>, always: Bool) {
        withRoom(bytes.count &+ 20) { $0.lengthDelimited(field, bytes, always: always) }
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
        withRoom(key.count &+ value.count &+ 70) { c in
            let mark = c.count
            c.lengthDelimited(1, value, always: true)                 // AnyValue.string_value
            c.finishPair(field, valueFrom: mark, key: key, keyAlways: keyAlways)
        }
    }

    /// The same for a bool, an integer or a double value (`AnyValue` fields 2, 3 and 4, written even when
    /// zero, as a oneof member is); a string value is written by ``stringPair(_:key:keyAlways:value:)``.
    @inline(__always) mutating func scalarPair(_ field: Int, key: UnsafeBufferPointer<UInt8>, keyAlways: Bool, value: AttributeValue) {
        if case .string(let text) = value {
            return Self.withUTF8(text) { stringPair(field, key: key, keyAlways: keyAlways, value: $0) }
        }
        withRoom(key.count &+ 70) { c in
            let mark = c.count
            switch value {
            case .bool(let flag): c.bool(2, flag, always: true)
            case .int(let number): c.int64(3, number, always: true)
            case .double(let number): c.double(4, number, always: true)
            case .string: break
            }
            c.finishPair(field, valueFrom: mark, key: key, keyAlways: keyAlways)
        }
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
        withRoom(digits.count / 2 &+ 20) { $0.hexBytes(field, digits: digits) }
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
        withRoom(20) { $0.fixed64(field, value, always: always) }
    }

    @inline(__always) mutating func double(_ field: Int, _ value: Double, always: Bool = false) {
        withRoom(20) { $0.double(field, value, always: always) }
    }

    @inline(__always) mutating func int64(_ field: Int, _ value: Int64, always: Bool = false) {
        withRoom(20) { $0.int64(field, value, always: always) }
    }

    @inline(__always) mutating func sint32(_ field: Int, _ value: Int32) {
        withRoom(20) { $0.sint32(field, value) }
    }

    @inline(__always) mutating func bool(_ field: Int, _ value: Bool, always: Bool = false) {
        withRoom(20) { $0.bool(field, value, always: always) }
    }

    /// Packed varints, in the order given (written last to first), in room checked once: a histogram's
    /// buckets are hundreds of them, mostly a single byte.
    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        values.withUnsafeBufferPointer { values in
            withRoom(values.count &* 10 &+ 20) { c in
                let mark = c.count
                for value in values.reversed() { c.varint(UInt64(bitPattern: value)) }
                c.endMessage(field, mark)
            }
        }
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
        withRoom(20) { $0.endMessage(field, mark) }
    }
}
