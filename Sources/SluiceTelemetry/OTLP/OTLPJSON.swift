import SluicePipeline

/// OTLP/JSON differs from protobuf's JSON mapping in one place: trace and span ids are hex, not base64.
/// This rewrites them so the generated types' JSON decoder reads the document.
public enum OTLPJSON {
    static let idKeys: Set<String> = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"]

    /// The document with every hex id turned into base64; the JSON error when it is not JSON.
    public static func protobufJSON(_ bytes: [UInt8], maxDepth: Int = 256) throws(JSONError) -> [UInt8] {
        var value = try JSONValue.parse(bytes, maxDepth: maxDepth)
        rewrite(&value)
        var w = JSONWriter(reservingCapacity: bytes.count)
        w.value(value)
        return w.bytes
    }

    static func rewrite(_ value: inout JSONValue) {
        switch value {
        case .object(var members):
            for index in members.indices {
                if idKeys.contains(members[index].key), case .string(let text) = members[index].value,
                   let raw = OTLPIdentifiers.bytes(hex: text) {
                    members[index].value = .string(String(decoding: Base64Encoder.encode(raw), as: UTF8.self))
                } else {
                    rewrite(&members[index].value)
                }
            }
            value = .object(members)
        case .array(var elements):
            for index in elements.indices { rewrite(&elements[index]) }
            value = .array(elements)
        default:
            break
        }
    }
}
