/// Everything the intake made of one input (a file, a request body, a Lambda event).
public struct IntakeBatch: Sendable {
    /// The decoded DATA_MESSAGEs, in input order.
    public var messages: [DataMessage] = []
    /// CONTROL_MESSAGEs seen (and skipped).
    public var controlMessages = 0
    /// Payloads that could not be decoded, each with its error.
    public var rejections: [PayloadRejection] = []
    /// Bytes of input.
    public var bytesIn = 0
    /// Bytes of the DATA_MESSAGE and CONTROL_MESSAGE documents decoded, after base64 and gunzip (envelopes
    /// and rejected documents not counted).
    public var bytesDecoded = 0
    /// How many payloads (accepted or rejected) came in each input form.
    public var forms: [InputForm: Int] = [:]

    public init() {}

    /// Payloads read: data, control and rejected.
    public var payloadsRead: Int { messages.count + controlMessages + rejections.count }
}

/// A payload the intake refused, and why.
public struct PayloadRejection: Sendable, Equatable, CustomStringConvertible {
    /// The input and the place in it (`events.json [Records[2]]`).
    public var source: String
    public var error: IntakeError

    public init(source: String, error: IntakeError) {
        self.source = source
        self.error = error
    }

    public var description: String { "\(source): \(error)" }
}

/// The envelope a payload arrived in.
public enum InputForm: String, Sendable, CaseIterable, Comparable {
    /// `{"awslogs":{"data":"<base64 gzip>"}}`, the CloudWatch Logs subscription event of a Lambda.
    case lambdaEvent = "lambda_event"
    /// A DATA_MESSAGE (or CONTROL_MESSAGE) JSON document, or several concatenated.
    case dataMessage = "data_message"
    /// A gzip stream (one or more members) of DATA_MESSAGE documents: an S3 object written by Firehose.
    case gzip = "gzip"
    /// A Kinesis Data Streams Lambda event: `Records[].kinesis.data`.
    case kinesisEvent = "kinesis_event"
    /// A Firehose event (transformation Lambda or HTTP endpoint request): `records[].data`.
    case firehoseEvent = "firehose_event"
    /// Input whose form could not be told (not JSON, an object of no known shape).
    case unrecognized = "unrecognized"

    public static func < (a: InputForm, b: InputForm) -> Bool { a.rawValue < b.rawValue }
}

extension PayloadRejection {
    /// Writes `[{"kind","message"}, ...]`: the rejections as `serve` and the Lambda consumer answer them.
    public static func writeJSON(_ rejections: [PayloadRejection], to w: inout JSONWriter) {
        w.beginArray()
        for rejection in rejections {
            w.beginObject()
            w.key("kind"); w.string(rejection.error.kind)
            w.key("message"); w.string(rejection.error.description)
            w.endObject()
        }
        w.endArray()
    }
}
