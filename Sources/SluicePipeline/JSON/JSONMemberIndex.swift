/// An object's members found by name in constant time, for documents whose keys are looked up by names
/// read elsewhere (EMF's metric and dimension names name top-level members). Keys are hashed as bytes:
/// no `String` is made for a member nobody asks for. The last of duplicate keys wins, as in ``JSONView``.
struct JSONMemberIndex {
    private let object: JSONView?
    /// Open addressing: a slot holds a key's entry index + 1 (0 is empty).
    private var slots: [Int32]
    private let mask: Int

    init(_ object: JSONView?) {
        self.object = object
        var count = 0
        var members = object.members
        while members.nextRaw() != nil { count += 1 }
        var size = 8
        while size < count * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        guard let object, object.kind == .object else { return }
        var i = object.index + 1
        let end = Int(object.entry.next)
        while i < end {
            let key = object.entries[i]
            JSONView.withText(object.document, key) { bytes in
                var slot = Self.hash(bytes) & mask
                // A later duplicate takes the earlier one's slot.
                while slots[slot] != 0 && !Self.matches(object, object.entries[Int(slots[slot]) - 1], bytes) {
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(i + 1)
            }
            i = Int(object.entries[i + 1].next)
        }
    }

    /// The value of the member named `name`.
    subscript(name: String) -> JSONView? {
        var name = name
        return name.withUTF8 { self[bytes: $0] }
    }

    /// The value of the member whose key's text is `wanted`.
    subscript(bytes wanted: UnsafeBufferPointer<UInt8>) -> JSONView? {
        guard let object else { return nil }
        var slot = Self.hash(wanted) & mask
        while slots[slot] != 0 {
            let keyIndex = Int(slots[slot]) - 1
            if Self.matches(object, object.entries[keyIndex], wanted) {
                return JSONView(entries: object.entries, bytes: object.document, index: keyIndex + 1)
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private static func matches(_ object: JSONView, _ key: JSONTape.Entry, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        JSONView.withText(object.document, key) { equal($0, wanted) }
    }

    /// FNV-1a: keys are short, and the table is private to one document.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
    }
}
