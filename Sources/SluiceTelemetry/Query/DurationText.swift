import SluicePipeline

/// Durations people type: `90s`, `15m`, `12h`, `7d`, `500ms` (a bare number is seconds).
public enum DurationText {
    /// The duration in milliseconds; nil when `text` is not one, or is not positive, or is longer than the
    /// 146 years the times of records span (``RecordBounds``): `since=9223372036854775807ms` went back past
    /// what a time in nanoseconds holds, and stopped `serve` in the store's query.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" comes before "s" and "m" in the list, so "500ms" is not read as 500 minutes or seconds.
            if let value = Int64(number), value > 0, value <= RecordBounds.maxMilliseconds / scale { return value * scale }
        }
        if let value = Int64(text), value > 0, value <= RecordBounds.maxMilliseconds / 1000 { return value * 1000 }
        return nil
    }
}
