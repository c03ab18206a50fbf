extension Int64 {
    /// The sum, held at the type's ends instead of trapping: metric counts are a sender's numbers (New
    /// Relic's and OpenTelemetry's run to 2^63 - 1), and two of them added together overflowed.
    package func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// The product, held at the type's ends instead of trapping (a window of 2^63 - 1 seconds in
    /// milliseconds overflowed).
    package func saturatingMultiplied(by factor: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: factor)
        return overflow ? ((self > 0) == (factor > 0) ? .max : .min) : product
    }
}
