/// What one subscription document turned out to be.
public enum SubscriptionMessage: Sendable {
    case data(DataMessage)
    /// A `CONTROL_MESSAGE` (CloudWatch checking that the destination is reachable): counted, skipped.
    case control
}

/// Reads one `DATA_MESSAGE` or `CONTROL_MESSAGE` JSON object straight from UTF-8 bytes.
///
/// Only what is kept is decoded: known keys in any order, unknown keys skipped; each event's message is
/// unescaped once into the message's storage and never becomes a `String` here.
struct DataMessageDecoder {
    let configuration: IntakeConfiguration

    /// Decodes the object at the reader's cursor, a reader over `buffer`'s bytes; ids and messages are
    /// unescaped in place in `buffer`. On success the cursor is after the object.
    /// Throws ``IntakeError`` or ``JSONError``.
    func decode(_ reader: inout JSONReader, buffer: ByteBuffer, source: String) throws -> SubscriptionMessage {
        let documentStart = reader.position
        var messageType: String?
        var owner: String?
        var logGroup: String?
        var logStream: String?
        var filters: [String] = []
        var policyLevel: String?
        var events: [LogEvent]?
        var overflow: [UInt8] = []
        let writable = buffer.base
        let replacementsBefore = reader.replacements

        func string(_ reader: inout JSONReader, _ path: String) throws -> String {
            guard reader.peek() == UInt8(ascii: "\"") else {
                throw try reader.typeMismatch(path: path, expected: "a string")
            }
            return try reader.readString()
        }

        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            if reader.keyEquals("logEvents") {
                events = try decodeEvents(&reader, writable: writable, overflow: &overflow)
            } else if reader.keyEquals("messageType") {
                messageType = try string(&reader, "messageType")
            } else if reader.keyEquals("owner") {
                owner = try string(&reader, "owner")
            } else if reader.keyEquals("logGroup") {
                logGroup = try string(&reader, "logGroup")
            } else if reader.keyEquals("logStream") {
                logStream = try string(&reader, "logStream")
            } else if reader.keyEquals("subscriptionFilters") {
                guard reader.peek() == UInt8(ascii: "[") else {
                    throw try reader.typeMismatch(path: "subscriptionFilters", expected: "an array of strings")
                }
                try reader.beginArray()
                var firstFilter = true
                while try reader.nextElement(&firstFilter) {
                    filters.append(try string(&reader, "subscriptionFilters[\(filters.count)]"))
                }
            } else if reader.keyEquals("policyLevel") {
                policyLevel = try string(&reader, "policyLevel")
            } else {
                try reader.skipValue()
            }
        }

        guard let messageType else { throw IntakeError.missingField(path: "messageType") }
        switch messageType {
        case "CONTROL_MESSAGE":
            return .control
        case "DATA_MESSAGE":
            break
        default:
            throw IntakeError.unknownMessageType(messageType)
        }
        guard let owner else { throw IntakeError.missingField(path: "owner") }
        guard let logGroup else { throw IntakeError.missingField(path: "logGroup") }
        guard let logStream else { throw IntakeError.missingField(path: "logStream") }
        guard let events else { throw IntakeError.missingField(path: "logEvents") }
        if events.isEmpty { throw IntakeError.emptyLogEvents }
        return .data(
            DataMessage(
                owner: owner, logGroup: logGroup, logStream: logStream, subscriptionFilters: filters,
                policyLevel: policyLevel, events: events, buffer: buffer, overflow: overflow,
                replacedInvalidUTF8: reader.replacements - replacementsBefore,
                documentBytes: reader.position - documentStart, source: source))
    }

    private func decodeEvents(_ reader: inout JSONReader, writable: UnsafeMutablePointer<UInt8>, overflow: inout [UInt8]) throws -> [LogEvent] {
        guard reader.peek() == UInt8(ascii: "[") else {
            throw try reader.typeMismatch(path: "logEvents", expected: "an array")
        }
        try reader.beginArray()
        var events: [LogEvent] = []
        var first = true
        while try reader.nextElement(&first) {
            if events.count >= configuration.maxEventsPerPayload {
                throw IntakeError.tooManyEvents(count: events.count + 1, limit: configuration.maxEventsPerPayload)
            }
            events.append(try decodeEvent(&reader, index: events.count, writable: writable, overflow: &overflow))
        }
        return events
    }

    @inline(__always)
    private func decodeEvent(_ reader: inout JSONReader, index: Int, writable: UnsafeMutablePointer<UInt8>, overflow: inout [UInt8]) throws -> LogEvent {
        guard reader.peek() == UInt8(ascii: "{") else {
            throw try reader.typeMismatch(path: "logEvents[\(index)]", expected: "an object")
        }
        try reader.beginObject()
        var id: ByteSpan?
        var timestamp: Int64?
        var message: ByteSpan?
        var extracted: [ExtractedField]?
        var first = true
        while try reader.nextKey(&first) {
            if reader.keyEquals("message") {
                guard reader.peek() == UInt8(ascii: "\"") else {
                    throw try reader.typeMismatch(path: "logEvents[\(index)].message", expected: "a string")
                }
                let span = try reader.readStringInPlace(writable, overflow: &overflow)
                if Int(span.count) > configuration.maxMessageBytes {
                    throw IntakeError.messageTooLong(path: "logEvents[\(index)].message", length: Int(span.count), limit: configuration.maxMessageBytes)
                }
                message = span
            } else if reader.keyEquals("timestamp") {
                switch reader.peek() ?? 0 {
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let numberStart = reader.position
                    guard let value = try reader.readInt64() else {
                        let text = String(decoding: UnsafeBufferPointer(rebasing: reader.bytes[numberStart..<reader.position]), as: UTF8.self)
                        throw IntakeError.wrongType(path: "logEvents[\(index)].timestamp", expected: "an integer (epoch milliseconds)", found: text)
                    }
                    // Every time a record holds is within the range (an event's time is the default of its records').
                    guard RecordBounds.milliseconds(value) != nil else {
                        throw IntakeError.valueOutOfRange(path: "logEvents[\(index)].timestamp", value: String(value),
                                                          allowed: "epoch milliseconds from 0 to \(RecordBounds.maxMilliseconds) (early 2116)")
                    }
                    timestamp = value
                default:
                    throw try reader.typeMismatch(path: "logEvents[\(index)].timestamp", expected: "an integer (epoch milliseconds)")
                }
            } else if reader.keyEquals("id") {
                switch reader.peek() ?? 0 {
                case UInt8(ascii: "\""):
                    id = try reader.readStringInPlace(writable, overflow: &overflow)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    // Emulators such as moto send numeric ids; keep their text.
                    let range = try reader.scanNumber()
                    id = ByteSpan(offset: range.lowerBound, count: range.count)
                default:
                    throw try reader.typeMismatch(path: "logEvents[\(index)].id", expected: "a string or an integer")
                }
            } else if reader.keyEquals("extractedFields") {
                extracted = try decodeExtractedFields(&reader, index: index)
            } else {
                try reader.skipValue()
            }
        }
        guard let id else { throw IntakeError.missingField(path: "logEvents[\(index)].id") }
        guard let timestamp else { throw IntakeError.missingField(path: "logEvents[\(index)].timestamp") }
        guard let message else { throw IntakeError.missingField(path: "logEvents[\(index)].message") }
        return LogEvent(id: id, timestamp: timestamp, message: message, extractedFields: extracted)
    }

    private func decodeExtractedFields(_ reader: inout JSONReader, index: Int) throws -> [ExtractedField] {
        guard reader.peek() == UInt8(ascii: "{") else {
            throw try reader.typeMismatch(path: "logEvents[\(index)].extractedFields", expected: "an object")
        }
        try reader.beginObject()
        var fields: [ExtractedField] = []
        var first = true
        while try reader.nextKey(&first) {
            let name = reader.currentKey()
            if reader.peek() == UInt8(ascii: "\"") {
                fields.append(ExtractedField(name: name, value: try reader.readString()))
            } else {
                let start = reader.position
                try reader.skipValue()
                let text = String(decoding: UnsafeBufferPointer(rebasing: reader.bytes[start..<reader.position]), as: UTF8.self)
                fields.append(ExtractedField(name: name, value: text))
            }
        }
        return fields
    }
}
