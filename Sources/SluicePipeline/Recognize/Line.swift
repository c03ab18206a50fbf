/// One event's message while it is recognised: its bytes, and where they lie in the message buffer, so
/// that records can hold slices of it rather than copies.
struct Line {
    let bytes: UnsafeBufferPointer<UInt8>
    let buffer: ByteBuffer
    let base: Int

    /// The end of the message without its trailing newlines.
    var trimmedEnd: Int {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return end
    }

    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
    func string(_ range: Range<Int>) -> String { String(decoding: slice(range), as: UTF8.self) }

    /// The text of `range`, which is `known` when they have the same bytes: a stream's log lines repeat the
    /// request id of its open invocation, whose `String` is shared rather than made again for every line.
    func string(_ range: Range<Int>, reusing known: String?) -> String {
        if var known, known.withUTF8({ ByteHasher.equalLength($0, slice(range)) }) { return known }
        return string(range)
    }
    func text(_ range: Range<Int>) -> Text { Text(buffer, base + range.lowerBound..<base + range.upperBound) }

    /// The offset of the first tab at or after `start`.
    func tab(from start: Int) -> Int? {
        bytes[start...].firstIndex(of: 0x09)
    }
}
