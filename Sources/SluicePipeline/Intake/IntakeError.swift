/// Why the intake rejected a payload. Each case says what was wrong and where: the field the bytes came
/// from (`awslogs.data`, `Records[2].kinesis.data`), a JSON path (`logEvents[3].timestamp`) or a byte offset.
///
/// A rejection is permanent: retrying the same bytes gives the same error, so a consumer reports and counts
/// it and goes on with the rest of the batch.
public enum IntakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input holds no bytes (or only whitespace).
    case emptyInput
    /// The input could not be read at all (missing file, no permission); `reason` says why.
    case unreadableInput(reason: String)
    /// The input is neither JSON nor gzip.
    case unrecognizedInput(offset: Int, byte: UInt8)
    /// A JSON object that is none of the supported payload forms.
    case unrecognizedDocument(offset: Int, keys: [String])
    /// The JSON text in `context` is malformed.
    case invalidJSON(context: String, error: JSONError)
    /// A base64 field holds a byte outside the base64 alphabet.
    case invalidBase64(field: String, offset: Int, byte: UInt8)
    /// A base64 field's length cannot be a base64 encoding (a single dangling character).
    case invalidBase64Length(field: String, length: Int)
    /// Decoded data that should be gzip does not start with the gzip magic bytes.
    case notGzip(field: String, leadingBytes: [UInt8])
    /// The gzip stream ends before its end marker.
    case truncatedGzip(field: String, compressedBytes: Int, decompressedBytes: Int)
    /// The gzip stream is damaged (zlib's reason given).
    case corruptGzip(field: String, offset: Int, reason: String)
    /// The gzip stream inflates to more than the configured limit (a gzip bomb, or a limit set too low).
    case decompressedTooLarge(field: String, limit: Int, compressedOffset: Int)
    /// More log events than the configured limit.
    case tooManyEvents(count: Int, limit: Int)
    /// One event's message is longer than the configured limit.
    case messageTooLong(path: String, length: Int, limit: Int)
    /// A field has the wrong JSON type.
    case wrongType(path: String, expected: String, found: String)
    /// A required field is absent.
    case missingField(path: String)
    /// A DATA_MESSAGE without any log event (CloudWatch never sends one).
    case emptyLogEvents
    /// A `messageType` other than DATA_MESSAGE and CONTROL_MESSAGE.
    case unknownMessageType(String)
    /// A number outside the range its field allows, and the range.
    case valueOutOfRange(path: String, value: String, allowed: String)

    /// A stable identifier of the case, for the JSON summary and for scripts.
    public var kind: String {
        switch self {
        case .emptyInput: "empty_input"
        case .unreadableInput: "unreadable_input"
        case .unrecognizedInput: "unrecognized_input"
        case .unrecognizedDocument: "unrecognized_document"
        case .invalidJSON: "invalid_json"
        case .invalidBase64: "invalid_base64"
        case .invalidBase64Length: "invalid_base64_length"
        case .notGzip: "not_gzip"
        case .truncatedGzip: "truncated_gzip"
        case .corruptGzip: "corrupt_gzip"
        case .decompressedTooLarge: "decompressed_too_large"
        case .tooManyEvents: "too_many_events"
        case .messageTooLong: "message_too_long"
        case .wrongType: "wrong_type"
        case .missingField: "missing_field"
        case .emptyLogEvents: "empty_log_events"
        case .unknownMessageType: "unknown_message_type"
        case .valueOutOfRange: "value_out_of_range"
        }
    }

    public var description: String {
        switch self {
        case .emptyInput:
            return "the input is empty: expected a subscription payload (JSON or gzip)"
        case .unreadableInput(let reason):
            return "the input could not be read: \(reason)"
        case .unrecognizedInput(let offset, let byte):
            return "not a subscription payload: \(JSONError.describe(byte)) at byte \(offset); expected a JSON object or gzip data (1f 8b)"
        case .unrecognizedDocument(let offset, let keys):
            let shown = keys.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            return "the JSON object at byte \(offset) is no known payload form (keys: \(shown.isEmpty ? "none" : shown)); expected {\"awslogs\":{\"data\":…}}, a DATA_MESSAGE, a Kinesis event (Records[].kinesis.data) or a Firehose event (records[].data)"
        case .invalidJSON(let context, let error):
            return "\(context): \(error)"
        case .invalidBase64(let field, let offset, let byte):
            return "\(field): invalid base64: \(JSONError.describe(byte)) at character \(offset)"
        case .invalidBase64Length(let field, let length):
            return "\(field): invalid base64: \(length) characters cannot be a base64 encoding (truncated?)"
        case .notGzip(let field, let leadingBytes):
            let hex = leadingBytes.map { JSONError.hex($0) }.joined(separator: " ")
            return "\(field): decoded data is not gzip (starts \(hex.isEmpty ? "with nothing" : hex); gzip starts 1f 8b)"
        case .truncatedGzip(let field, let compressedBytes, let decompressedBytes):
            return "\(field): gzip stream is truncated: all \(compressedBytes) compressed bytes read, \(decompressedBytes) bytes inflated, end of stream missing"
        case .corruptGzip(let field, let offset, let reason):
            return "\(field): gzip stream is corrupt near compressed byte \(offset): \(reason)"
        case .decompressedTooLarge(let field, let limit, let compressedOffset):
            return "\(field): inflates past the limit of \(limit) bytes (after \(compressedOffset) compressed bytes); refused as a possible gzip bomb (raise --max-decompressed-bytes if it is genuine)"
        case .tooManyEvents(let count, let limit):
            return "logEvents: more than \(limit) events (at least \(count)); raise --max-events if genuine"
        case .messageTooLong(let path, let length, let limit):
            return "\(path): message of \(length) bytes exceeds the limit of \(limit) bytes"
        case .wrongType(let path, let expected, let found):
            return "\(path): expected \(expected), found \(found)"
        case .missingField(let path):
            return "\(path): required field is missing"
        case .emptyLogEvents:
            return "logEvents: a DATA_MESSAGE with no events"
        case .unknownMessageType(let type):
            return "messageType: unknown value \"\(type)\"; expected DATA_MESSAGE or CONTROL_MESSAGE"
        case .valueOutOfRange(let path, let value, let allowed):
            return "\(path): \(value) is out of range; expected \(allowed)"
        }
    }
}
