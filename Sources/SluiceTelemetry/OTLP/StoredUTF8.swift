import SluicePipeline

/// Reads the UTF-8 bytes of a `String` where it is stored (a field of a batch row), without retaining it.
///
/// Passing a row's string to a function, or reading it through a pointer, costs a retain and a release:
/// the compiler cannot see that nothing frees the string while the writer writes, so it keeps its own
/// reference. For OTLP encoding these pairs were a fifth of the time. The encoder only reads rows of a
/// batch it borrows, so the storage cannot go away; this reads the string's two words and finds its bytes
/// as the standard library's inlined code does: in the words themselves for a small string, after the
/// header of its native storage or literal for a large one. Any other form (a shared or foreign string)
/// gives nil, and the caller reads the string the ordinary way.
///
/// The layout is the standard library's (`_StringObject`), compiled into every binary that reads a string.
/// ``isUsable`` checks it once against the standard library's own view of a small, a native and a literal
/// string; if they ever disagree, nothing is read this way.
enum StoredUTF8 {
    /// Whether the reader agrees with the standard library in this build.
    static let isUsable: Bool = selfCheck()

    /// The bytes of the string at `pointer`, valid while that string is neither changed nor destroyed; nil
    /// when its form is not one read here. Only for use when ``isUsable`` (callers check it once).
    @inline(__always) static func bytes(at pointer: UnsafePointer<String>) -> UnsafeBufferPointer<UInt8>? {
        read(UnsafeRawPointer(pointer))
    }

    /// The same for an optional string that is not nil: the `some` case stores its `String` unchanged.
    @inline(__always) static func bytes(at pointer: UnsafePointer<String?>) -> UnsafeBufferPointer<UInt8>? {
        read(UnsafeRawPointer(pointer))
    }

    /// The string of an attribute value whose case is `.string`: an enum whose other payloads have no
    /// spare bits keeps its tag in a byte after them, so the `String` is stored unchanged at the start.
    @inline(__always) static func bytes(ofStringAt pointer: UnsafePointer<AttributeValue>) -> UnsafeBufferPointer<UInt8>? {
        read(UnsafeRawPointer(pointer))
    }

    #if _pointerBitWidth(_64) && _endian(little)
    @inline(__always) private static func read(_ raw: UnsafeRawPointer) -> UnsafeBufferPointer<UInt8>? {
        let countAndFlags = raw.load(as: UInt64.self)
        let object = raw.load(fromByteOffset: 8, as: UInt64.self)
        if object & smallFlag != 0 {
            // Up to 15 bytes in the two words, the count in the top byte's low nibble.
            return UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: Int((object >> 56) & 0xF))
        }
        // Large: only forms with contiguous bytes after a 32-byte header (native storage, literals).
        guard object & notFastFlag == 0, countAndFlags & tailAllocatedFlag != 0,
              let start = UnsafePointer<UInt8>(bitPattern: UInt(object & addressMask) &+ 32)
        else { return nil }
        return UnsafeBufferPointer(start: start, count: Int(countAndFlags & countMask))
    }

    private static let smallFlag: UInt64 = 1 << 61
    private static let notFastFlag: UInt64 = 1 << 60
    private static let tailAllocatedFlag: UInt64 = 1 << 60
    private static let addressMask: UInt64 = 0x0FFF_FFFF_FFFF_FFFF
    private static let countMask: UInt64 = 0x0000_FFFF_FFFF_FFFF
    #else
    @inline(__always) private static func read(_ raw: UnsafeRawPointer) -> UnsafeBufferPointer<UInt8>? { nil }
    #endif

    /// Strings of every form read here, each compared with the standard library's own bytes.
    static func selfCheck() -> Bool {
        guard MemoryLayout<String>.size == 16, MemoryLayout<String?>.size == 16 else { return false }
        let literal = "a literal string longer than fifteen bytes"
        var native = String(repeating: "native é ", count: 5)
        native.append("ü")
        let samples: [String?] = ["", "small", "smäll ü", "fifteen bytes!!", literal, native, String(native.dropFirst(3))]
        for sample in samples {
            guard let string = sample else { continue }
            let expected = Array(string.utf8)
            let agreed = withUnsafePointer(to: string) { pointer in
                read(UnsafeRawPointer(pointer)).map { Array($0) == expected } ?? true
            } && withUnsafePointer(to: sample) { pointer in
                read(UnsafeRawPointer(pointer)).map { Array($0) == expected } ?? true
            }
            let value = AttributeValue.string(string)
            let agreedInValue = withUnsafePointer(to: value) { pointer in
                read(UnsafeRawPointer(pointer)).map { Array($0) == expected } ?? true
            }
            guard agreed, agreedInValue else { return false }
        }
        // The common forms must be read here, or the check proves nothing about them.
        return withUnsafePointer(to: literal) { read(UnsafeRawPointer($0)) != nil }
            && withUnsafePointer(to: native) { read(UnsafeRawPointer($0)) != nil }
            && withUnsafePointer(to: AttributeValue.string(native)) { read(UnsafeRawPointer($0)) != nil }
    }
}
