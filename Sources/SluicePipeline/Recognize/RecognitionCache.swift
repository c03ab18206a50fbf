/// What recognition keeps from one event to the next to make repeated values once: long strings (metric
/// names, New Relic's above all) and metrics' dimension sets (EMF directives', New Relic's scopes, Datadog's
/// tags), each found again by its bytes: shared, the sets are known by their storage to the metric aggregator.
/// Held by the ``Recognizer`` for as long as it lives (one payload in `serve` and the Lambda consumer, a whole
/// `replay`); bounded by its caches.
struct RecognitionCache: Sendable {
    /// Strings longer than a small string (15 bytes, which need no allocation), by their bytes.
    private var strings = ByteKeyedCache<String>()
    /// An EMF directive's dimension sets, by the bytes of their names and values (``EMFRecognizer``).
    var dimensionSets = ByteKeyedCache<[[Attribute]]>(capacity: 128)
    /// New Relic's `scope` dimension, by the scope's bytes: a payload names a handful of scopes (its
    /// transactions) for many metrics, and the next payloads the same ones.
    var newRelicScopes = ByteKeyedCache<[Attribute]>(capacity: 64)
    /// Datadog metric lines' sorted tags, by the bytes of their `t` array.
    var datadogTags = ByteKeyedCache<[Attribute]>(capacity: 64)
    /// Where a composite key is written before it is looked up, kept to reuse its storage.
    var scratch: [UInt8] = []

    /// `bytes` (valid UTF-8) as a `String`: made once for every long string and then shared.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        return strings.value(for: bytes) { String(decoding: bytes, as: UTF8.self) }
    }

    /// The text of an object's key (a string entry of `document`): keys repeat from record to record (New
    /// Relic's span attributes), and the long ones are made once; a key with escapes is decoded each time.
    mutating func key(_ entry: JSONTape.Entry, in document: UnsafeBufferPointer<UInt8>) -> String {
        if entry.needsDecoding { return JSONView.decode(document, entry) }
        return string(UnsafeBufferPointer(rebasing: document[Int(entry.start)..<Int(entry.end)]))
    }
}
