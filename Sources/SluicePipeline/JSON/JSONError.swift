/// Why a JSON document could not be read, and at which byte offset of that document.
///
/// Offsets count from the first byte of the document being read (for a subscription payload: the first
/// byte of the decompressed DATA_MESSAGE), so a person can find the spot with `head -c` or `dd`.
public enum JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document ended while `expected` was still needed.
    case unexpectedEnd(offset: Int, expected: String)
    /// A byte that cannot stand where it stands.
    case unexpectedByte(offset: Int, byte: UInt8, expected: String)
    /// A backslash followed by something other than `"\/bfnrtu`.
    case invalidEscape(offset: Int)
    /// `\u` not followed by four hexadecimal digits.
    case invalidUnicodeEscape(offset: Int)
    /// A raw control character (below U+0020) inside a string; JSON requires it to be escaped.
    case controlCharacterInString(offset: Int, byte: UInt8)
    /// A number that does not follow JSON's grammar (leading zeros, a lone `-`, `1.`, `1e`).
    case invalidNumber(offset: Int)
    /// Objects and arrays nested deeper than the configured limit.
    case depthLimitExceeded(offset: Int, limit: Int)
    /// More content after the end of the single document that was expected.
    case trailingContent(offset: Int)

    /// Byte offset of the problem within the document.
    public var offset: Int {
        switch self {
        case .unexpectedEnd(let offset, _), .unexpectedByte(let offset, _, _), .invalidEscape(let offset),
            .invalidUnicodeEscape(let offset), .controlCharacterInString(let offset, _),
            .invalidNumber(let offset), .depthLimitExceeded(let offset, _), .trailingContent(let offset):
            return offset
        }
    }

    public var description: String {
        switch self {
        case .unexpectedEnd(let offset, let expected):
            return "JSON ends at byte \(offset) where \(expected) was expected (truncated document?)"
        case .unexpectedByte(let offset, let byte, let expected):
            return "unexpected \(JSONError.describe(byte)) at byte \(offset); expected \(expected)"
        case .invalidEscape(let offset):
            return "invalid escape sequence at byte \(offset); JSON allows only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"
        case .invalidUnicodeEscape(let offset):
            return "invalid \\u escape at byte \(offset); four hexadecimal digits must follow \\u"
        case .controlCharacterInString(let offset, let byte):
            return "unescaped control character 0x\(JSONError.hex(byte)) inside a string at byte \(offset); JSON requires it escaped"
        case .invalidNumber(let offset):
            return "malformed number at byte \(offset)"
        case .depthLimitExceeded(let offset, let limit):
            return "objects and arrays nest deeper than the limit of \(limit) at byte \(offset)"
        case .trailingContent(let offset):
            return "unexpected content after the end of the JSON document at byte \(offset)"
        }
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(hex(byte))"
    }

    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
