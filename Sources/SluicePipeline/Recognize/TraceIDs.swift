/// Trace ids in the forms producers write them, as 32 lowercase hex digits. Read on the bytes: splitting
/// the header and copying the id through `String` and `Character` indices was a sixth of recognising a
/// Lambda `platform.report`.
enum TraceIDs {
    /// `1-5e61292c-cc1229a4dfbeae1043928548` (X-Ray) → `5e61292ccc1229a4dfbeae1043928548`.
    static func fromXRay(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard b.count == 35, b[0] == UInt8(ascii: "1"), b[1] == 0x2D, b[10] == 0x2D else { return nil }
        for i in 2..<35 where i != 10 && JSONReader.hexValue(b[i]) == nil { return nil }
        return String(unsafeUninitializedCapacity: 32) { out in
            var n = 0
            for i in 2..<35 where i != 10 {
                // A-F to a-f; digits and a-f as they are.
                out[n] = b[i] >= UInt8(ascii: "A") && b[i] <= UInt8(ascii: "F") ? b[i] | 0x20 : b[i]
                n += 1
            }
            return n
        }
    }

    /// The `Root=` of an `X-Amzn-Trace-Id` header value (`Root=...;Parent=...;Sampled=1`), as 32 hex digits.
    static func fromTraceHeader(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        while start < b.count {
            var end = start
            while end < b.count && b[end] != UInt8(ascii: ";") { end += 1 }
            let part = UnsafeBufferPointer(rebasing: b[start..<end])
            if Bytes(part).hasPrefix("Root=") { return fromXRay(UnsafeBufferPointer(rebasing: part[(part.startIndex + 5)...])) }
            start = end + 1
        }
        return nil
    }
}
