/// The range of the times, durations and sizes a record holds, and the readings of input numbers into it.
///
/// Every time becomes nanoseconds somewhere (spans, OTLP's unsigned times), and a span's end is its start
/// plus its duration: held from the epoch to 2^62 ns (early 2116), a time, a duration and their sum all fit
/// an `Int64`. A number a line writes outside the range (`"e": 1e300`, a start of `9223372036854775807` or
/// `-1`) is read as if the line had not written it, as a field of the wrong type is: converting it trapped,
/// and lost the whole batch.
package enum RecordBounds {
    /// Nanoseconds a time or duration stays below.
    package static let nanosecondLimit: Int64 = 1 << 62
    /// The largest time or duration in milliseconds (its nanoseconds stay within ``nanosecondLimit``).
    package static let maxMilliseconds: Int64 = (nanosecondLimit - 1) / 1_000_000

    /// Milliseconds within the range; nil otherwise.
    static func milliseconds(_ value: Int64?) -> Int64? {
        guard let value, value >= 0, value <= maxMilliseconds else { return nil }
        return value
    }

    /// Fractional milliseconds truncated toward zero (as `Int64(_:)` reads them), within the range.
    static func milliseconds(_ value: Double?) -> Int64? {
        guard let value, value >= 0, value < Double(maxMilliseconds) else { return nil }
        return Int64(value)
    }

    /// Seconds (an epoch time as Datadog and New Relic write it) in whole milliseconds, rounded.
    static func milliseconds(seconds: Double?) -> Int64? {
        guard let seconds else { return nil }
        let ms = (seconds * 1000).rounded()
        guard ms >= 0, ms <= Double(maxMilliseconds) else { return nil }
        return Int64(ms)
    }

    /// Milliseconds (a bound a caller asks with, which may be anything) in nanoseconds, held within the
    /// range's width either side of zero: every stored time compares with it as with the exact value.
    package static func nanoseconds(clampingMilliseconds value: Int64) -> Int64 {
        Swift.min(Swift.max(value, -maxMilliseconds), maxMilliseconds) * 1_000_000
    }

    /// Nanoseconds within the range.
    static func nanoseconds(_ value: Int64?) -> Int64? {
        guard let value, value >= 0, value < nanosecondLimit else { return nil }
        return value
    }

    /// Seconds in whole nanoseconds, rounded.
    static func nanoseconds(seconds: Double?) -> Int64? {
        guard let seconds else { return nil }
        let ns = (seconds * 1e9).rounded()
        guard ns >= 0, ns < Double(nanosecondLimit) else { return nil }
        return Int64(ns)
    }

    /// A span's duration from its start and end (both within the range): an end before the start (a clock
    /// stepped back between them) is a zero-length span at its start, as New Relic's and Datadog's spans,
    /// which carry a duration, are read. OTLP has no negative duration: a collector, `serve` among them,
    /// refuses a span ending before it starts, while a local replay kept it, so the two stored different things.
    static func duration(from start: Int64, to end: Int64) -> Int64 { Swift.max(0, end - start) }

    /// A duration in milliseconds (reports, agents): not negative, and within the range.
    static func duration(milliseconds value: Double?) -> Double? {
        guard let value, value >= 0, value <= Double(maxMilliseconds) else { return nil }
        return value
    }

    /// A size in megabytes (Lambda's memory figures): a whole number from 0 to 2^40 (a terabyte of
    /// megabytes; Lambda allows 10 240), truncated as `Int(_:)` reads it.
    static func megabytes(_ value: Double?) -> Int? {
        guard let value, value >= 0, value < 1_099_511_627_776 else { return nil }
        return Int(value)
    }
}
