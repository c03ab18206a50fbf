/// Trace and span ids between the hex text records carry and the bytes OTLP carries.
public enum OTLPIdentifiers {
    /// The bytes of an even-length hex string; nil when it is not one.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A span id OTLP accepts (16 lower-case hex digits): the id itself when it is one, else 64 bits hashed
    /// from it (Thundra's span ids are UUIDs). The same input always gives the same id, so parents still match.
    public static func spanID(_ id: String) -> String {
        switch hexCase(id, count: 16) {
        case .lower: id
        case .upper: id.lowercased()
        case .notHex: hex(ContentKey.hash64(id, seed: 0).bigEndianBytes)
        }
    }

    /// A trace id OTLP accepts (32 lower-case hex digits): the id itself when it is one, else 128 bits
    /// hashed from it. Log records' ids go the same way as spans', so they still point at their spans.
    public static func traceID(_ id: String) -> String {
        switch hexCase(id, count: 32) {
        case .lower: id
        case .upper: id.lowercased()
        case .notHex: ContentKey.of(id)
        }
    }

    enum HexCase { case notHex, lower, upper }

    /// Whether `id` is exactly `count` hex digits, and in which case, read on its bytes: an array of its
    /// bytes, one of their values and a lowered copy, made for every span and traced log record, were a
    /// tenth of building a batch.
    static func hexCase(_ id: String, count: Int) -> HexCase {
        guard id.utf8.count == count else { return .notHex }
        return id.utf8.withContiguousStorageIfAvailable(hexCase) ?? Array(id.utf8).withUnsafeBufferPointer(hexCase)
    }

    private static func hexCase(_ digits: UnsafeBufferPointer<UInt8>) -> HexCase {
        var upper = false
        for c in digits {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "F"): upper = true
            default: return .notHex
            }
        }
        return upper ? .upper : .lower
    }
}

/// Keys for items that arrive without one (OTLP from other senders): a 128-bit hash of their content,
/// so the same item sent twice gets the same key.
public enum ContentKey {
    static func hash64(_ text: String, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        // FNV alone mixes the last bytes poorly: finish with SplitMix64's mixer.
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }

    public static func of(_ text: String) -> String {
        OTLPIdentifiers.hex(hash64(text, seed: 0).bigEndianBytes + hash64(text, seed: 0x9E37_79B9_7F4A_7C15).bigEndianBytes)
    }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }
}
