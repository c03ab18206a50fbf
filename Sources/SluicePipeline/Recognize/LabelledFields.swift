/// The `Label: value` pairs of a Lambda platform text line, found in one pass over its bytes and read
/// in place: after the leading keyword (`REPORT`, `START`, ...), fields follow one another separated by
/// tabs, newlines or spaces (all three appear in the wild): a label runs to `": "`, a value is one token,
/// with its unit (`ms`, `MB`) when one follows. A label given twice reads as its last value.
struct LabelledFields {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var fields: [(label: Range<Int>, value: Range<Int>)] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A REPORT line has up to a dozen fields: room for them at once rather than grown by doubling.
        fields.reserveCapacity(16)
        let n = bytes.count
        // Zero past the end: every look-ahead below stops there.
        func at(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0 }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        var i = 0
        while i < n && !isSpace(bytes[i]) { i += 1 }  // the keyword
        while i < n {
            while i < n && isSpace(bytes[i]) { i += 1 }
            let labelStart = i
            // The label: up to ": " (it may hold single spaces: "Billed Duration").
            while i < n && !(bytes[i] == 0x3A && at(i + 1) == 0x20) && bytes[i] != 0x09 && bytes[i] != 0x0A { i += 1 }
            guard i < n, bytes[i] == 0x3A else { continue }
            let label = labelStart..<i
            i += 2
            let valueStart = i
            while i < n && !isSpace(bytes[i]) { i += 1 }
            var valueEnd = i
            // A unit after a single space belongs to the value.
            if at(i) == 0x20 && i + 3 <= n {
                let u0 = bytes[i + 1], u1 = bytes[i + 2]
                if (u0 == UInt8(ascii: "m") && u1 == UInt8(ascii: "s")) || (u0 == UInt8(ascii: "M") && u1 == UInt8(ascii: "B")) {
                    if i + 3 == n || isSpace(bytes[i + 3]) {
                        valueEnd = i + 3
                        i += 3
                    }
                }
            }
            fields.append((label, valueStart..<min(valueEnd, n)))
        }
    }

    /// The bytes of the value labelled `label`.
    func value(_ label: StaticString) -> UnsafeBufferPointer<UInt8>? {
        let n = label.utf8CodeUnitCount
        for field in fields.reversed() where field.label.count == n && Bytes(bytes).hasPrefix(label, at: field.label.lowerBound) {
            return UnsafeBufferPointer(rebasing: bytes[field.value])
        }
        return nil
    }

    func string(_ label: StaticString) -> String? {
        value(label).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `619.31 ms`, `128 MB`, `3.00`: the number the value starts with.
    func number(_ label: StaticString) -> Double? {
        value(label).flatMap(LabelledFields.number)
    }

    /// The number `text` starts with (its digits, points and minus signs), as `Double` reads it: exactly
    /// without a `String` when its digits allow (``JSONView/exactDouble(_:)``), through `Double` otherwise.
    static func number(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var end = 0
        while end < text.count, text[end] &- UInt8(ascii: "0") < 10 || text[end] == UInt8(ascii: ".") || text[end] == UInt8(ascii: "-") { end += 1 }
        let digits = UnsafeBufferPointer(rebasing: text[..<end])
        return JSONView.exactDouble(digits) ?? Double(String(decoding: digits, as: UTF8.self))
    }
}
