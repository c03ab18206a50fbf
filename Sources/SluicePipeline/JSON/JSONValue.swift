/// A parsed JSON value, for the places that need a whole document (corpus files, envelopes, tests).
///
/// The hot path does not build these: it reads only what it keeps with ``JSONReader``. Objects keep their
/// members in document order, duplicates included; ``subscript(_:)`` answers with the last one, as most
/// JSON libraries do.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// Parses one complete document (any value at the top level; whitespace around it allowed).
    ///
    /// - Parameter replacements: receives the number of invalid UTF-8 sequences and lone surrogates that
    ///   were replaced by U+FFFD.
    public static func parse(
        _ bytes: some Collection<UInt8>, maxDepth: Int = 512, replacements: inout Int
    ) throws(JSONError) -> JSONValue {
        let contiguous = Array(bytes)
        let result: Result<(JSONValue, Int), JSONError> = contiguous.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer, maxDepth: maxDepth)
            do throws(JSONError) {
                let value = try reader.readValue()
                reader.skipWhitespace()
                if !reader.isAtEnd { throw JSONError.trailingContent(offset: reader.position) }
                return .success((value, reader.replacements))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let (value, count)):
            replacements += count
            return value
        case .failure(let error):
            throw error
        }
    }

    /// Parses one complete document, ignoring how many invalid sequences were replaced.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 512) throws(JSONError) -> JSONValue {
        var ignored = 0
        return try parse(bytes, maxDepth: maxDepth, replacements: &ignored)
    }

    /// The value of the last member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The element at `index`, when this is an array and it has one.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var int64Value: Int64? {
        if case .number(let n) = self { return n.int64Value }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { return n.doubleValue }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON number, kept as its source text so no precision is lost until a consumer chooses a type.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number exactly as written in the document.
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public init(_ value: Int64) {
        self.text = String(value)
    }

    /// The value as an integer, when it is written without fraction or exponent and fits.
    public var int64Value: Int64? { Int64(text) }

    /// The value as the nearest `Double`.
    public var doubleValue: Double { Double(text) ?? .nan }

    /// Whether the number is written as an integer (no `.`, no exponent).
    public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

    public var description: String { text }
}

extension JSONReader {
    /// Reads any value into a ``JSONValue`` tree.
    mutating func readValue() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position, expected: "a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [JSONMember] = []
            var first = true
            while try nextKey(&first) {
                let key = currentKey()
                members.append(JSONMember(key, try readValue()))
            }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var elements: [JSONValue] = []
            var first = true
            while try nextElement(&first) {
                elements.append(try readValue())
            }
            return .array(elements)
        case UInt8(ascii: "t"):
            try readLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try scanNumber()
            return .number(JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)))
        default:
            throw .unexpectedByte(offset: position, byte: bytes[position], expected: "a value")
        }
    }
}
