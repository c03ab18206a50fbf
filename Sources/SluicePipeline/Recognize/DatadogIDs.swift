/// Datadog's ids: 64-bit decimal span ids, trace ids as 32 hex digits or as a 64-bit decimal. Read on the
/// bytes: every Datadog-instrumented log line carries both.
enum DatadogIDs {
    /// 32 lowercase hex digits; nil for an all-zero or unreadable id.
    static func traceID(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        if text.count == 32, text.allSatisfy({ JSONReader.hexValue($0) != nil }) {
            if text.allSatisfy({ $0 == UInt8(ascii: "0") }) { return nil }
            return lowercased(text)
        }
        guard let value = decimal(text), value != 0 else { return nil }
        return hex(value, width: 32)
    }

    /// 16 lowercase hex digits; nil for a zero or unreadable id.
    static func spanID(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        guard let value = decimal(text), value != 0 else { return nil }
        return hex(value, width: 16)
    }

    /// `text` with A-Z lowered (hex ids as Datadog's tracer writes them): no Unicode case mapping, and no
    /// allocation for the usual 16 digits.
    static func lowercased(_ text: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: text.count) { out in
            for (i, b) in text.enumerated() { out[i] = b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b }
            return text.count
        }
    }

    /// An unsigned decimal that fits 64 bits.
    private static func decimal(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var value: UInt64 = 0
        for b in text {
            let digit = b &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// `value` in lowercase hex, zero-padded on the left to `width` digits (16 or 32).
    static func hex(_ value: UInt64, width: Int) -> String {
        String(unsafeUninitializedCapacity: width) { out in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<width {
                let shift = (width - 1 - i) * 4
                out[i] = shift >= 64 ? UInt8(ascii: "0") : digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
            }
            return width
        }
    }
}
