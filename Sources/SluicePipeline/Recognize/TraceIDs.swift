/// Trace ids in the forms producers write them, as 32 lowercase hex digits.
enum TraceIDs {
    /// `1-5e61292c-cc1229a4dfbeae1043928548` (X-Ray) → `5e61292ccc1229a4dfbeae1043928548`.
    static func fromXRay(_ text: some StringProtocol) -> String? {
        let b = Array(text.utf8)
        guard b.count == 35, b[0] == UInt8(ascii: "1"), b[1] == 0x2D, b[10] == 0x2D else { return nil }
        var hex = [UInt8]()
        hex.reserveCapacity(32)
        for i in 2..<35 where i != 10 {
            var c = b[i]
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F") { c += 32 }
            guard (c >= 0x30 && c <= 0x39) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) else { return nil }
            hex.append(c)
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The `Root=` of an `X-Amzn-Trace-Id` header value, as 32 hex digits.
    static func fromTraceHeader(_ value: some StringProtocol) -> String? {
        for part in value.split(separator: ";") where part.hasPrefix("Root=") {
            return fromXRay(part.dropFirst(5))
        }
        return nil
    }
}
