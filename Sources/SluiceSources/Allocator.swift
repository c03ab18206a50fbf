import CJemalloc

/// The allocator every role of `sluice` runs on (replay, serve, the Lambda consumer), and the benchmark
/// too, so that it measures what they run: jemalloc (Debian's `libjemalloc-dev`), linked in, so that it
/// serves every `malloc` of the process in place of glibc's, in the dynamic build and the static one alike.
///
/// Recognition makes a few strings and arrays for every record and frees them a payload later, thousands a
/// payload. glibc's malloc keeps seven freed blocks of a size for the thread; past them, every free merged
/// the block with its neighbours and every larger request swept them together again (`malloc_consolidate`,
/// `unlink_chunk`: a tenth of recognition's profile). With jemalloc, recognition of the typical payload went
/// from 977 - 1000 to 874 - 895 µs (fastest of 300 runs, alternating builds), building its batch from 375 - 392
/// to 353 - 355 µs.
///
/// jemalloc also keeps freed memory for reuse for ten seconds before it gives it back, so the 0.3 to 2 MB
/// buffers a payload allocates (the inflated payload, New Relic's documents, the OTLP requests) are not
/// faulted in again for the next one, which glibc's mmap and trim thresholds had to be raised for.
public enum Allocator {
    /// jemalloc's version as it reports it; `nil` if `mallctl` does not answer.
    ///
    /// The Lambda consumer logs it as it starts (at debug level) and the benchmark prints it.
    public static var version: String? {
        var text: UnsafePointer<CChar>? = nil
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &text, &size, nil, 0) == 0, let text else { return nil }
        return String(cString: text)
    }
}
