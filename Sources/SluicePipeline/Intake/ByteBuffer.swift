/// Owned bytes without the copies an `Array` would need: what a gzip stream inflated to, or a copy of
/// plain input, which the decoder then turns into messages in place.
///
/// Inflation writes straight into it (pre-sized from the gzip trailer); ``DataMessageDecoder`` unescapes
/// every message where it lies, so events are spans of this buffer. It is written only while one
/// decoder owns it, before any ``DataMessage`` shares it; after that it is never mutated, which is what
/// makes it `Sendable`.
public final class ByteBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes written.
    public internal(set) var count: Int = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    /// Wraps a copy of `bytes` (for plain, uncompressed input).
    convenience init(copying bytes: UnsafeBufferPointer<UInt8>) {
        self.init(capacity: bytes.count)
        if let source = bytes.baseAddress, bytes.count > 0 {
            base.update(from: source, count: bytes.count)
        }
        count = bytes.count
    }

    deinit {
        base.deallocate()
    }

    /// Grows the capacity to `newCapacity`, keeping what was written.
    func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    /// Calls `body` with the bytes written.
    public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written.
    public var bytes: [UInt8] { withBytes { Array($0) } }
}
