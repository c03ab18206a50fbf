/// Reading the timestamps producers write, without Foundation.
enum Timestamps {
    /// Milliseconds since the epoch of `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` (offset
    /// omitted means UTC). Nil when the text is not such a time.
    static func epochMilliseconds(iso text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { epochMilliseconds(iso: $0) }
    }

    /// The time of a JSON string holding such a time, read from its bytes (no `String`, no copy).
    static func epochMilliseconds(iso value: JSONView?) -> Int64? {
        value?.withStringBytes { epochMilliseconds(iso: $0) } ?? nil
    }

    static func epochMilliseconds(iso b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let d = Int(b[at + k]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 19, b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D, let day = digits(8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == 0x20, let hour = digits(11, 2), b[13] == 0x3A, let minute = digits(14, 2),
            b[16] == 0x3A, let second = digits(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < b.count && (b[i] == 0x2E || b[i] == 0x2C) {
            i += 1
            var scale = 100
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                millis += Int(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                guard let h = digits(i + 1, 2) else { return nil }
                var m = 0
                if let mm = digits(i + 3, 2) {
                    m = mm
                } else if i + 3 < b.count, b[i + 3] == 0x3A, let mm = digits(i + 4, 2) {
                    m = mm
                }
                offsetMinutes = sign * (h * 60 + m)
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return RecordBounds.milliseconds(seconds * 1000 + Int64(millis))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
