/// Values recognition already made, found again by the bytes they were made from: a payload repeats the same
/// metric names and dimension sets in event after event (the 13 New Relic harvests of mixed-250k name 48
/// metrics 401 times, 33 of them, 275 times, longer than a small string), and making each again cost an
/// allocation, a copy and a free where a hit costs a hash, a comparison and a retain.
///
/// Bounded: at most ``capacity`` values and ``keyCapacity`` bytes of keys; when either is full, everything
/// is forgotten and the cache fills again.
struct ByteKeyedCache<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var start: Int32
        var count: Int32
        var value: Value
    }

    let capacity: Int
    let keyCapacity: Int
    /// The keys' bytes, one after another.
    private var keys: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing over twice the capacity: an entry's index + 1, 0 for an empty slot.
    private var slots: [Int32]
    private let mask: Int

    init(capacity: Int = 512, keyCapacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        self.capacity = capacity
        self.keyCapacity = keyCapacity
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    /// The value made from `key` before, else `make()`'s, kept for the next time. `make` must give equal
    /// values for equal bytes: the cache answers for it.
    mutating func value(for key: UnsafeBufferPointer<UInt8>, make: () -> Value) -> Value {
        var hasher = ByteHasher()
        hasher.combine(key)
        let hash = hasher.finalize()
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot]) &- 1]
            if entry.hash == hash && keys.withUnsafeBufferPointer({ stored in
                ByteHasher.equalLength(UnsafeBufferPointer(rebasing: stored[Int(entry.start)..<Int(entry.start &+ entry.count)]), key)
            }) {
                return entry.value
            }
            slot = (slot &+ 1) & mask
        }
        let value = make()
        if key.count > keyCapacity { return value }
        if entries.count == capacity || keys.count + key.count > keyCapacity {
            forget()
            slot = Int(truncatingIfNeeded: hash) & mask
        }
        entries.append(Entry(hash: hash, start: Int32(keys.count), count: Int32(key.count), value: value))
        keys.append(contentsOf: key)
        slots[slot] = Int32(entries.count)
        return value
    }

    private mutating func forget() {
        keys.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }
}
