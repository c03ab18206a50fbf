/// The allocator settings every role of `sluice` starts with (replay, serve, the Lambda consumer), and the
/// benchmark too, so that it measures what they run.
///
/// glibc serves an allocation above its mmap threshold (128 KiB at first, raised as such blocks are freed)
/// with a fresh mapping, and hands free memory above its trim threshold back to the kernel. The pipeline
/// allocates and frees buffers of 0.3 to 2 MB for every payload (the inflated payload, New Relic's inner
/// documents, the OTLP requests), so each payload faulted its pages in again: in the benchmark, encoding the
/// 1 MB payload's OTLP requests took 1.2 to 1.7x its inflate, 0.67 to 1.04x with these settings, which keep
/// such buffers in the heap for the next payload. What stays in the heap adds to peak memory: about 0.5 MB
/// replaying the 1 MB payload, 1.2 MB writing it to SQLite.
public enum AllocatorSettings {
    /// Blocks up to this size come from the heap.
    public static let mmapThreshold: Int32 = 4 << 20
    /// Free memory at the top of the heap up to this size stays there.
    public static let trimThreshold: Int32 = 8 << 20

    /// Applies the settings to this process; call it before the first payload.
    public static func apply() {
        #if os(Linux)
        _ = glibcMallopt(mmapThresholdParameter, mmapThreshold)
        _ = glibcMallopt(trimThresholdParameter, trimThreshold)
        #endif
    }

    // `<malloc.h>` is not part of Swift's Glibc module: glibc's `mallopt` and its parameters
    // `M_TRIM_THRESHOLD` (-1) and `M_MMAP_THRESHOLD` (-3), fixed in its ABI.
    private static let trimThresholdParameter: Int32 = -1
    private static let mmapThresholdParameter: Int32 = -3
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
