/// Builds subscription payloads in every form the intake reads: the inverse of ``PayloadDecoder``.
///
/// The consumer never needs it; the fixture generator, the tests (decode inverts encode) and the
/// benchmark do.
public enum SubscriptionPayloadEncoder {
    /// A DATA_MESSAGE (or CONTROL_MESSAGE) to encode.
    public struct Document: Sendable, Equatable {
        public var messageType: String
        public var owner: String
        public var logGroup: String
        public var logStream: String
        public var subscriptionFilters: [String]
        public var policyLevel: String?
        public var events: [Event]

        public init(
            messageType: String = "DATA_MESSAGE", owner: String, logGroup: String, logStream: String,
            subscriptionFilters: [String] = [], policyLevel: String? = nil, events: [Event]
        ) {
            self.messageType = messageType
            self.owner = owner
            self.logGroup = logGroup
            self.logStream = logStream
            self.subscriptionFilters = subscriptionFilters
            self.policyLevel = policyLevel
            self.events = events
        }

        /// CloudWatch's health check, as sent to Kinesis and Firehose destinations.
        public static func control(timestamp: Int64) -> Document {
            Document(
                messageType: "CONTROL_MESSAGE", owner: "CloudwatchLogs", logGroup: "", logStream: "",
                events: [Event(id: .string(""), timestamp: timestamp, message: Array("CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.".utf8))])
        }
    }

    /// One event to encode. `message` is raw bytes so that tests can put invalid UTF-8 in it.
    public struct Event: Sendable, Equatable {
        public enum ID: Sendable, Equatable {
            case string(String)
            case integer(Int64)
        }

        public var id: ID
        public var timestamp: Int64
        public var message: [UInt8]
        public var extractedFields: [ExtractedField]?

        public init(id: ID, timestamp: Int64, message: [UInt8], extractedFields: [ExtractedField]? = nil) {
            self.id = id
            self.timestamp = timestamp
            self.message = message
            self.extractedFields = extractedFields
        }
    }

    /// The document as compact JSON, keys in AWS's order.
    public static func json(_ document: Document) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 256 + document.events.reduce(0) { $0 + $1.message.count + 96 })
        w.beginObject()
        w.key("messageType"); w.string(document.messageType)
        w.key("owner"); w.string(document.owner)
        w.key("logGroup"); w.string(document.logGroup)
        w.key("logStream"); w.string(document.logStream)
        w.key("subscriptionFilters")
        w.beginArray()
        for filter in document.subscriptionFilters { w.string(filter) }
        w.endArray()
        if let policyLevel = document.policyLevel {
            w.key("policyLevel"); w.string(policyLevel)
        }
        w.key("logEvents")
        w.beginArray()
        for event in document.events {
            w.beginObject()
            w.key("id")
            switch event.id {
            case .string(let s): w.string(s)
            case .integer(let n): w.int(n)
            }
            w.key("timestamp"); w.int(event.timestamp)
            w.key("message"); w.string(utf8: event.message)
            if let fields = event.extractedFields {
                w.key("extractedFields")
                w.beginObject()
                for field in fields {
                    w.key(field.name); w.string(field.value)
                }
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    /// base64 of gzip of the document's JSON: the `data` of every envelope.
    public static func encodedData(_ document: Document) -> String {
        String(decoding: Base64Encoder.encode(GzipEncoder.compress(json(document))), as: UTF8.self)
    }

    /// `{"awslogs":{"data":"…"}}`, the event a Lambda subscribed to a log group receives.
    public static func lambdaEvent(_ document: Document) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("awslogs")
        w.beginObject()
        w.key("data"); w.string(encodedData(document))
        w.endObject()
        w.endObject()
        return w.bytes
    }

    /// A Kinesis Data Streams Lambda event with one record per document.
    public static func kinesisEvent(_ documents: [Document], region: String = "us-east-1", streamARN: String = "arn:aws:kinesis:us-east-1:123456789012:stream/sluice-logs") -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("Records")
        w.beginArray()
        for (index, document) in documents.enumerated() {
            let sequence = "49590338271490256608559692538361571095921575989136588" + String(900 + index)
            w.beginObject()
            w.key("kinesis")
            w.beginObject()
            w.key("kinesisSchemaVersion"); w.string("1.0")
            w.key("partitionKey"); w.string(document.logStream.isEmpty ? "control" : document.logStream)
            w.key("sequenceNumber"); w.string(sequence)
            w.key("data"); w.string(encodedData(document))
            w.key("approximateArrivalTimestamp"); w.double(1_795_305_600.5 + Double(index))
            w.endObject()
            w.key("eventSource"); w.string("aws:kinesis")
            w.key("eventVersion"); w.string("1.0")
            w.key("eventID"); w.string("shardId-000000000000:\(sequence)")
            w.key("eventName"); w.string("aws:kinesis:record")
            w.key("awsRegion"); w.string(region)
            w.key("eventSourceARN"); w.string(streamARN)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    /// A Firehose data-transformation event with one record per document.
    public static func firehoseEvent(_ documents: [Document], region: String = "us-east-1") -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("invocationId"); w.string("00540a87-5050-496a-84e4-e7d92bbaf5e2")
        w.key("deliveryStreamArn"); w.string("arn:aws:firehose:\(region):123456789012:deliverystream/sluice-logs")
        w.key("region"); w.string(region)
        w.key("records")
        w.beginArray()
        for (index, document) in documents.enumerated() {
            w.beginObject()
            w.key("recordId"); w.string("4956\(index)")
            w.key("approximateArrivalTimestamp"); w.int(1_795_305_600_000 + Int64(index))
            w.key("data"); w.string(encodedData(document))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    /// Documents concatenated as Firehose writes them to S3 without compression (`}{`, no separator).
    public static func concatenated(_ documents: [Document]) -> [UInt8] {
        documents.flatMap { json($0) }
    }

    /// One gzip member per document, concatenated: a Firehose S3 object of CloudWatch Logs records.
    public static func gzipMembers(_ documents: [Document]) -> [UInt8] {
        documents.flatMap { GzipEncoder.compress(json($0)) }
    }
}
