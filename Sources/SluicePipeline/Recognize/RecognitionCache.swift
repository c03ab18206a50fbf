/// What recognition keeps from one event to the next to make repeated values once: long strings (metric
/// names, New Relic's above all) and EMF directives' dimension sets, each found again by its bytes.
/// Held by the ``Recognizer``, so a stream's later payloads find what earlier ones made; bounded by its caches.
struct RecognitionCache: Sendable {
    /// Strings longer than a small string (15 bytes, which need no allocation), by their bytes.
    private var strings = ByteKeyedCache<String>()
    /// An EMF directive's dimension sets, by the bytes of their names and values (``EMFRecognizer``).
    var dimensionSets = ByteKeyedCache<[[Attribute]]>(capacity: 128)
    /// Where a composite key is written before it is looked up, kept to reuse its storage.
    var scratch: [UInt8] = []

    /// `bytes` (valid UTF-8) as a `String`: made once for every long string and then shared.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        return strings.value(for: bytes) { String(decoding: bytes, as: UTF8.self) }
    }
}
