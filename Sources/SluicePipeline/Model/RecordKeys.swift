/// The idempotency keys of a message's records (`<event id>:<n>`, n the record's place among its event's
/// records), kept as the events' ids and made into strings only when asked for: the summary and the
/// aggregators never ask, and a `String` per record cost a twentieth of recognition.
public struct RecordKeys: Sendable {
    /// Keys given whole, instead of the events' ids.
    private var given: [String]?
    /// The ids of the events that gave records, end to end; where each ends; each record's event.
    private var ids: [UInt8] = []
    private var ends: [Int32] = []
    private var recordEvents: [Int32] = []

    init(_ keys: [String]) { given = keys }

    /// No records yet.
    init() {}

    /// Adds `records` records from the event with id `id`.
    mutating func append(id: UnsafeBufferPointer<UInt8>, records: Int) {
        ids.append(contentsOf: id)
        ends.append(Int32(truncatingIfNeeded: ids.count))
        let event = Int32(truncatingIfNeeded: ends.count - 1)
        for _ in 0..<records { recordEvents.append(event) }
    }

    /// The keys, one per record.
    public var strings: [String] {
        if let given { return given }
        var keys: [String] = []
        keys.reserveCapacity(recordEvents.count)
        var n = 0
        ids.withUnsafeBufferPointer { all in
            for (index, event) in recordEvents.enumerated() {
                n = index > 0 && recordEvents[index - 1] == event ? n + 1 : 0
                let start = event == 0 ? 0 : Int(ends[Int(event) - 1])
                keys.append(RecordKeys.key(UnsafeBufferPointer(rebasing: all[start..<Int(ends[Int(event)])]), n))
            }
        }
        return keys
    }

    /// `<event id>:<n>`, written straight into one new string: interpolating made the id a `String` first,
    /// then grew a second one piece by piece.
    static func key(_ id: UnsafeBufferPointer<UInt8>, _ n: Int) -> String {
        var digits = 1
        var rest = n / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return String(unsafeUninitializedCapacity: id.count + 1 + digits) { out in
            _ = out.initialize(fromContentsOf: id)
            out[id.count] = UInt8(ascii: ":")
            var value = n
            for k in stride(from: id.count + digits, to: id.count, by: -1) {
                out[k] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return id.count + 1 + digits
        }
    }
}
