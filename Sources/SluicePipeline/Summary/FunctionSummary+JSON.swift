extension FunctionSummary {
    /// Writes `functions` as the `"functions"` array of `replay --format json` (and of `sluice query functions`).
    public static func writeJSON(_ functions: [FunctionSummary], to w: inout JSONWriter) {
        w.beginArray()
        for f in functions {
            let window = f.window
            let duration = f.duration
            w.beginObject()
            w.key("log_group"); w.string(f.logGroup)
            w.key("owner"); w.string(f.owner)
            w.key("function"); w.string(f.function)
            w.key("log_streams"); w.int(window.streams.count)
            w.key("invocations"); w.int(f.invocations)
            w.key("cold_starts"); w.int(f.coldStarts)
            w.key("errors"); w.int(f.errors)
            w.key("timeouts"); w.int(f.timeouts)
            w.key("out_of_memory"); w.int(window.outOfMemory.count)
            w.key("max_concurrency"); w.int(window.maxConcurrency)
            w.key("duration_ms")
            w.beginObject()
            w.key("count"); w.int(duration.count)
            w.key("sum"); w.double(ReplaySummary.rounded(duration.sum))
            w.key("min"); duration.count > 0 ? w.double(duration.min) : w.null()
            w.key("max"); duration.count > 0 ? w.double(duration.max) : w.null()
            for (name, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
                w.key(name)
                if let value = duration.quantile(q) { w.double(ReplaySummary.rounded(value)) } else { w.null() }
            }
            w.endObject()
            w.key("billed_duration_ms"); w.beginObject(); w.key("sum"); w.double(ReplaySummary.rounded(window.billedDurationSum)); w.endObject()
            w.key("memory_size_mb"); w.int(window.memorySizeMB)
            w.key("max_memory_used_mb"); window.maxMemoryUsed.count > 0 ? w.double(window.maxMemoryUsed.max) : w.null()
            w.key("init_duration_ms")
            w.beginObject()
            w.key("count"); w.int(window.initDuration.count)
            w.key("sum"); w.double(ReplaySummary.rounded(window.initDuration.sum))
            w.endObject()
            w.key("estimated_cost_usd"); w.double((window.estimatedCostUSD * 1e12).rounded() / 1e12)
            w.endObject()
        }
        w.endArray()
    }
}
