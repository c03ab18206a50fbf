/// A seeded 64-bit hash of byte strings for the aggregators' own tables (and the OTLP encoder's grouping of request
/// ids): the folded 128-bit product of each 8-byte word with the running state (as wyhash mixes), about a tenth of
/// what `Hasher`'s SipHash cost a metric sample. Strings are hashed and compared by their UTF-8 bytes, so two
/// spellings of one canonical string are two names, as they are to CloudWatch and to OpenTelemetry.
///
/// The seed is drawn once per process, so an input cannot be made to collide everywhere.
package struct ByteHasher {
    private var state: UInt64

    private static let seed: UInt64 = UInt64.random(in: .min ... .max)
    private static let k0: UInt64 = 0xA076_1D64_78BD_642F
    private static let k1: UInt64 = 0xE703_7ED1_A0B4_28DB

    package init() { state = Self.seed }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    @inline(__always)
    mutating func combine(_ value: UInt64) {
        state = Self.fold(state ^ Self.k0, value ^ Self.k1)
    }

    /// Adds `bytes` and their length (so that `"ab" + "c"` and `"a" + "bc"` differ).
    @inline(__always)
    package mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            state = Self.fold(state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), Self.k1)
            offset += 8
        }
        var tail = UInt64(truncatingIfNeeded: raw.count) << 56
        var shift: UInt64 = 0
        while offset < raw.count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        combine(tail)
    }

    @inline(__always)
    mutating func combine(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ combine($0) }) != nil { return }
        let copy = Array(string.utf8)
        copy.withUnsafeBufferPointer { combine($0) }
    }

    /// Adds `string`, or a marker no string gives when it is nil.
    @inline(__always)
    mutating func combine(_ string: String?) {
        if let string { combine(string) } else { combine(UInt64.max) }
    }

    package func finalize() -> UInt64 { Self.fold(state, Self.k0) }

    /// Whether two strings have the same UTF-8 bytes (`==` on `String` compares canonical equivalence).
    @inline(__always)
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let answer: Bool? = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                Self.equalLength(x, y)
            }
        } ?? nil
        return answer ?? a.utf8.elementsEqual(b.utf8)
    }

    /// Equal buffers of equal length, eight bytes at a time.
    @inline(__always)
    private static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = UnsafeRawBufferPointer(x), b = UnsafeRawBufferPointer(y)
        var offset = 0
        while offset + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < a.count {
            if a[offset] != b[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Buffers of the same length with the same bytes.
    @inline(__always)
    static func equalLength(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        x.count == y.count && equal(x, y)
    }

    @inline(__always)
    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): sameBytes(x, y)
        default: false
        }
    }
}
