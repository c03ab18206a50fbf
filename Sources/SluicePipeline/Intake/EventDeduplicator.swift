/// Drops log events already seen, by log stream and CloudWatch event id: a payload delivered twice (a
/// Lambda retry, the same records in a Kinesis and a Firehose copy, a replay over overlapping files)
/// is counted once.
///
/// It remembers a 128-bit digest of every event it has let through, so its memory grows with the
/// number of distinct events: meant for one replay or one invocation, not for a process that runs forever.
public struct EventDeduplicator: Sendable {
    private var seen: Set<Digest> = []
    /// Events dropped as duplicates so far.
    public private(set) var duplicates = 0

    struct Digest: Hashable, Sendable {
        var a: UInt64
        var b: UInt64

        /// One word of the digest is already a hash of the event: hashing both was twice the work for the
        /// same spread.
        func hash(into hasher: inout Hasher) { hasher.combine(a) }
    }

    public init() {}

    /// `message` without the events seen before (itself unchanged when there are none).
    public mutating func filter(_ message: DataMessage) -> DataMessage {
        var streamA: UInt64 = 0xcbf2_9ce4_8422_2325
        var streamB: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in message.logGroup.utf8 + [0] + message.logStream.utf8 {
            streamA = (streamA ^ UInt64(byte)) &* 0x100_0000_01b3
            streamB = (streamB ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9E37_79B9
        }
        var kept: [LogEvent] = []
        var dropped = false
        // Room for every event at once: grown from empty, the set rehashed everything it held at each doubling.
        seen.reserveCapacity(seen.count + message.events.count)
        for (index, event) in message.events.enumerated() {
            var a = streamA
            var b = streamB
            message.withBytes(of: event.id) { id in
                for byte in id {
                    a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
                    b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9E37_79B9
                }
            }
            if seen.insert(Digest(a: a, b: b)).inserted {
                if dropped { kept.append(event) }
            } else {
                if !dropped {
                    kept = Array(message.events[..<index])
                    dropped = true
                }
                duplicates += 1
            }
        }
        guard dropped else { return message }
        var filtered = message
        filtered.events = kept
        return filtered
    }
}
