/// Text a record holds: a slice of the message it came from, decoded into a `String` only when asked for,
/// or a `String` already made (values read out of JSON).
public struct Text: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    enum Storage: Sendable {
        case slice(ByteBuffer, Range<Int>)
        case string(String)
    }

    let storage: Storage

    public init(_ string: String) { storage = .string(string) }
    public init(stringLiteral value: String) { storage = .string(value) }

    /// Bytes `range` of `buffer` (valid UTF-8).
    init(_ buffer: ByteBuffer, _ range: Range<Int>) { storage = .slice(buffer, range) }

    /// The text as a `String` (made now for a slice).
    public var string: String {
        switch storage {
        case .string(let s): return s
        case .slice(let buffer, let range):
            return buffer.withBytes { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        }
    }

    public var description: String { string }

    /// Calls `body` with the text's UTF-8 bytes.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch storage {
        case .slice(let buffer, let range):
            return buffer.withBytes { body(UnsafeBufferPointer(rebasing: $0[range])) }
        case .string(var s):
            return s.withUTF8(body)
        }
    }

    public static func == (a: Text, b: Text) -> Bool {
        a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }
}
