/// Turns any form of CloudWatch Logs subscription payload into ``DataMessage``s, detecting the form.
///
/// Accepted, without the caller naming it: the Lambda event `{"awslogs":{"data":…}}`; DATA_MESSAGE JSON
/// (one, or several concatenated); gzip holding DATA_MESSAGEs (S3 objects from Firehose, one member or
/// many); Kinesis events (`Records[].kinesis.data`); Firehose events (`records[].data`). Every payload
/// is decoded on its own: a bad one becomes a ``PayloadRejection`` and the rest of the input goes on.
public struct PayloadDecoder: Sendable {
    public var configuration: IntakeConfiguration

    public init(configuration: IntakeConfiguration = .default) {
        self.configuration = configuration
    }

    /// Decodes everything in `input`; `source` names it in rejections (a file path, `stdin`, a request id).
    public func decode(_ input: [UInt8], source: String) -> IntakeBatch {
        input.withUnsafeBufferPointer { decode($0, source: source) }
    }

    /// Decodes everything in `input`; `source` names it in rejections.
    public func decode(_ input: UnsafeBufferPointer<UInt8>, source: String) -> IntakeBatch {
        var batch = IntakeBatch()
        batch.bytesIn = input.count
        var start = 0
        if input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { start = 3 }
        while start < input.count, Self.isWhitespace(input[start]) { start += 1 }
        guard start < input.count else {
            batch.rejections.append(PayloadRejection(source: source, error: .emptyInput))
            return batch
        }
        if GzipDecoder.isGzip(UnsafeBufferPointer(rebasing: input[start...])) {
            decodeGzip(UnsafeBufferPointer(rebasing: input[start...]), field: "gzip data", context: "\(source) (after gunzip)",
                       source: source, envelopes: true, form: .gzip, into: &batch)
            return batch
        }
        // Borrowed: only if a DATA_MESSAGE turns up is the input copied into a buffer of its own (messages
        // are decoded in place); an envelope's own JSON is only read.
        decodeDocuments(UnsafeBufferPointer(rebasing: input[start...]), buffer: nil, context: source, source: source,
                        envelopes: true, form: nil, incompleteIsExplained: false, into: &batch)
        return batch
    }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    // MARK: - Documents

    /// Decodes a sequence of JSON documents. `envelopes` allows Lambda/Kinesis/Firehose events (top-level
    /// input); decoded `data` fields may hold DATA_MESSAGEs only. `form` is the form to count plain
    /// DATA_MESSAGEs under (`nil`: `.dataMessage`).
    func decodeDocuments(
        _ buffer: ByteBuffer, context: String, source: String, envelopes: Bool, form: InputForm?,
        incompleteIsExplained: Bool, into batch: inout IntakeBatch
    ) {
        buffer.withBytes { bytes in
            decodeDocuments(bytes, buffer: buffer, context: context, source: source, envelopes: envelopes, form: form,
                            incompleteIsExplained: incompleteIsExplained, into: &batch)
        }
    }

    /// `buffer` owns `bytes` (they may be written), or is `nil` when they are borrowed.
    private func decodeDocuments(
        _ bytes: UnsafeBufferPointer<UInt8>, buffer: ByteBuffer?, context: String, source: String, envelopes: Bool,
        form: InputForm?, incompleteIsExplained: Bool, startingAt first: Int = 0, documentIndex firstIndex: Int = 0,
        into batch: inout IntakeBatch
    ) {
        var reader = JSONReader(bytes, startingAt: first, maxDepth: configuration.maxJSONDepth)
        var documentIndex = firstIndex
        while true {
            reader.skipWhitespace()
            if reader.isAtEnd { return }
            documentIndex += 1
            let start = reader.position
            let documentSource = documentIndex == 1 ? source : "\(source) [document \(documentIndex) at byte \(start)]"
            var detected = form ?? .unrecognized
            do {
                guard bytes[start] == UInt8(ascii: "{") else {
                    throw IntakeError.unrecognizedInput(offset: start, byte: bytes[start])
                }
                detected = try Self.detectForm(bytes, at: start, maxDepth: configuration.maxJSONDepth)
                if !envelopes && detected != .dataMessage {
                    throw IntakeError.unrecognizedDocument(offset: start, keys: Self.topLevelKeys(bytes, at: start))
                }
                if detected == .dataMessage, let form { detected = form }
                reader.depth = 0
                switch detected {
                case .lambdaEvent where envelopes:
                    try decodeLambdaEvent(&reader, source: documentSource, into: &batch)
                case .kinesisEvent where envelopes, .firehoseEvent where envelopes:
                    try decodeRecordsEvent(&reader, form: detected, source: documentSource, into: &batch)
                default:
                    guard let buffer else {
                        let owned = ByteBuffer(copying: bytes)
                        owned.withBytes { ownedBytes in
                            decodeDocuments(ownedBytes, buffer: owned, context: context, source: source, envelopes: envelopes, form: form,
                                            incompleteIsExplained: incompleteIsExplained, startingAt: start,
                                            documentIndex: documentIndex - 1, into: &batch)
                        }
                        return
                    }
                    let message = try DataMessageDecoder(configuration: configuration).decode(&reader, buffer: buffer, source: documentSource)
                    batch.bytesDecoded += reader.position - start
                    batch.forms[detected, default: 0] += 1
                    record(message, into: &batch)
                }
            } catch {
                let intakeError: IntakeError
                if let e = error as? IntakeError {
                    intakeError = e
                } else if let e = error as? JSONError {
                    if incompleteIsExplained, case .unexpectedEnd = e { return }
                    intakeError = .invalidJSON(context: context, error: e)
                } else {
                    intakeError = .invalidJSON(context: context, error: .unexpectedEnd(offset: start, expected: "a document"))
                }
                batch.rejections.append(PayloadRejection(source: documentSource, error: intakeError))
                batch.forms[detected, default: 0] += 1
                // Resume at the next document that looks like a payload, so one bad document does not
                // cost the rest of a concatenated file.
                guard let next = Self.resynchronize(bytes, after: start) else { return }
                reader.position = next
            }
        }
    }

    func record(_ message: SubscriptionMessage, into batch: inout IntakeBatch) {
        switch message {
        case .data(let data): batch.messages.append(data)
        case .control: batch.controlMessages += 1
        }
    }

    // MARK: - Form detection

    static let dataMessageKeys: [StaticString] = ["messageType", "logEvents", "owner", "logGroup", "logStream", "subscriptionFilters"]

    /// Detects the form of the object at `start` from its first key that only one form has.
    static func detectForm(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, maxDepth: Int) throws -> InputForm {
        var reader = JSONReader(bytes, startingAt: start, maxDepth: maxDepth)
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            if reader.keyEquals("awslogs") { return .lambdaEvent }
            if reader.keyEquals("Records") { return .kinesisEvent }
            if reader.keyEquals("records") { return .firehoseEvent }
            for key in dataMessageKeys where reader.keyEquals(key) { return .dataMessage }
            try reader.skipValue()
        }
        throw IntakeError.unrecognizedDocument(offset: start, keys: topLevelKeys(bytes, at: start))
    }

    static func topLevelKeys(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> [String] {
        var reader = JSONReader(bytes, startingAt: start, maxDepth: 1 << 20)
        var keys: [String] = []
        guard (try? reader.beginObject()) != nil else { return keys }
        var first = true
        while (try? reader.nextKey(&first)) == true {
            keys.append(reader.currentKey())
            guard (try? reader.skipValue()) != nil else { break }
        }
        return keys
    }

    static let resyncMarkers: [[UInt8]] = [
        Array(#"{"messageType""#.utf8), Array(#"{"awslogs""#.utf8), Array(#"{"Records""#.utf8), Array(#"{"records""#.utf8),
    ]

    /// The offset of the next `{"messageType"` (or envelope key) after `start`, if any.
    static func resynchronize(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{") {
                for marker in resyncMarkers where i + marker.count <= bytes.count {
                    var match = true
                    for k in 1..<marker.count where bytes[i + k] != marker[k] {
                        match = false
                        break
                    }
                    if match { return i }
                }
            }
            i += 1
        }
        return nil
    }

    // MARK: - Envelopes

    /// `{"awslogs":{"data":"<base64 gzip>"}}`
    func decodeLambdaEvent(_ reader: inout JSONReader, source: String, into batch: inout IntakeBatch) throws {
        var data: [UInt8]?
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            guard reader.keyEquals("awslogs") else {
                try reader.skipValue()
                continue
            }
            guard reader.peek() == UInt8(ascii: "{") else {
                throw try reader.typeMismatch(path: "awslogs", expected: "an object")
            }
            try reader.beginObject()
            var innerFirst = true
            while try reader.nextKey(&innerFirst) {
                if reader.keyEquals("data") {
                    data = try readBase64Field(&reader, path: "awslogs.data")
                } else {
                    try reader.skipValue()
                }
            }
        }
        guard let data else { throw IntakeError.missingField(path: "awslogs.data") }
        decodeEncodedPayload(data, field: "awslogs.data", source: source, form: .lambdaEvent, into: &batch)
    }

    /// `{"Records":[{"kinesis":{"data":…}}…]}` or `{"records":[{"data":…}…]}`: every record a payload.
    func decodeRecordsEvent(_ reader: inout JSONReader, form: InputForm, source: String, into batch: inout IntakeBatch) throws {
        let kinesis = form == .kinesisEvent
        let arrayKey = kinesis ? "Records" : "records"
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            guard kinesis ? reader.keyEquals("Records") : reader.keyEquals("records") else {
                try reader.skipValue()
                continue
            }
            guard reader.peek() == UInt8(ascii: "[") else {
                throw try reader.typeMismatch(path: arrayKey, expected: "an array")
            }
            try reader.beginArray()
            var index = 0
            var firstRecord = true
            while try reader.nextElement(&firstRecord) {
                defer { index += 1 }
                let recordPath = "\(arrayKey)[\(index)]"
                let field = kinesis ? "\(recordPath).kinesis.data" : "\(recordPath).data"
                let recordSource = "\(source) [\(recordPath)]"
                do {
                    let data = try readRecordData(&reader, kinesis: kinesis, recordPath: recordPath)
                    decodeEncodedPayload(data, field: field, source: recordSource, form: form, into: &batch)
                } catch let error as IntakeError {
                    // A malformed record costs only itself; the envelope's JSON is still readable.
                    batch.rejections.append(PayloadRejection(source: recordSource, error: error))
                    batch.forms[form, default: 0] += 1
                }
            }
        }
    }

    /// Reads one record object, returning its decoded `data`; leaves the cursor after the record.
    private func readRecordData(_ reader: inout JSONReader, kinesis: Bool, recordPath: String) throws -> [UInt8] {
        guard reader.peek() == UInt8(ascii: "{") else {
            throw try reader.typeMismatch(path: recordPath, expected: "an object")
        }
        var data: [UInt8]?
        var pending: IntakeError?
        try reader.beginObject()
        var first = true
        while try reader.nextKey(&first) {
            if kinesis && reader.keyEquals("kinesis") {
                guard reader.peek() == UInt8(ascii: "{") else {
                    let mismatch = try reader.typeMismatch(path: "\(recordPath).kinesis", expected: "an object")
                    pending = pending ?? mismatch
                    continue
                }
                try reader.beginObject()
                var innerFirst = true
                while try reader.nextKey(&innerFirst) {
                    if reader.keyEquals("data") {
                        do { data = try readBase64Field(&reader, path: "\(recordPath).kinesis.data") } catch let e as IntakeError { pending = pending ?? e }
                    } else {
                        try reader.skipValue()
                    }
                }
            } else if !kinesis && reader.keyEquals("data") {
                do { data = try readBase64Field(&reader, path: "\(recordPath).data") } catch let e as IntakeError { pending = pending ?? e }
            } else {
                try reader.skipValue()
            }
        }
        if let pending { throw pending }
        guard let data else { throw IntakeError.missingField(path: kinesis ? "\(recordPath).kinesis.data" : "\(recordPath).data") }
        return data
    }

    /// Reads a JSON string holding base64 and decodes it. On a base64 error the cursor is after the string.
    private func readBase64Field(_ reader: inout JSONReader, path: String) throws -> [UInt8] {
        guard reader.peek() == UInt8(ascii: "\"") else {
            throw try reader.typeMismatch(path: path, expected: "a base64 string")
        }
        let start = reader.position + 1
        let (end, clean) = try reader.scanString()
        if clean {
            return try Base64Decoder.decode(UnsafeBufferPointer(rebasing: reader.bytes[start..<end]), field: path)
        }
        // Some serialisers escape '/' as "\/": unescape first.
        let after = reader.position
        reader.position = start - 1
        var text: [UInt8] = []
        try reader.readString(appendingTo: &text)
        reader.position = after
        return try Base64Decoder.decode(text, field: path)
    }

    /// base64-decoded `data` → gunzip → DATA_MESSAGE document(s).
    func decodeEncodedPayload(_ data: [UInt8], field: String, source: String, form: InputForm, into batch: inout IntakeBatch) {
        data.withUnsafeBufferPointer { compressed in
            decodeGzip(compressed, field: field, context: "\(field) (after base64 and gunzip)", source: source,
                       envelopes: false, form: form, into: &batch)
        }
    }

    /// Inflates one gzip member at a time and decodes its documents before the next, so that each
    /// member (one Firehose record in an S3 object) is bounded by the limit on its own. Damage stops the
    /// stream; the documents inflated before it are still decoded.
    func decodeGzip(
        _ compressed: UnsafeBufferPointer<UInt8>, field: String, context: String, source: String, envelopes: Bool,
        form: InputForm, into batch: inout IntakeBatch
    ) {
        var offset = 0
        var member = 0
        while offset < compressed.count {
            member += 1
            let rest = UnsafeBufferPointer(rebasing: compressed[offset...])
            let memberField = member == 1 ? field : "\(field) (gzip member \(member) at byte \(offset))"
            let inflated = GzipDecoder.inflate(rest, limit: configuration.maxDecompressedBytes, field: memberField, singleMember: true)
            // A member refused for its size is not looked into: its beginning is no payload of its own.
            let oversized: Bool
            if case .decompressedTooLarge? = inflated.error { oversized = true } else { oversized = false }
            if inflated.buffer.count > 0 && !oversized {
                decodeDocuments(inflated.buffer, context: context, source: source, envelopes: envelopes, form: form,
                                incompleteIsExplained: inflated.error != nil, into: &batch)
            }
            if let error = inflated.error {
                batch.rejections.append(PayloadRejection(source: source, error: error))
                batch.forms[form, default: 0] += 1
                return
            }
            offset += max(inflated.consumed, 1)
        }
    }
}
