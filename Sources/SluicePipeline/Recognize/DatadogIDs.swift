/// Datadog's ids: 64-bit decimal span ids, trace ids as 32 hex digits or as a 64-bit decimal.
enum DatadogIDs {
    static func traceID(_ text: some StringProtocol) -> String? {
        if text.count == 32, text.allSatisfy({ $0.isHexDigit }) { return text == String(repeating: "0", count: 32) ? nil : text.lowercased() }
        guard let value = UInt64(text), value != 0 else { return nil }
        return String(repeating: "0", count: 16) + hex16(value)
    }

    static func spanID(_ text: some StringProtocol) -> String? {
        guard let value = UInt64(text), value != 0 else { return nil }
        return hex16(value)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
