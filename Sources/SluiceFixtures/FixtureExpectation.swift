import SluicePipeline

/// What `sluice replay` must report for one fixture file, derived from what the generator put into it
/// (never from decoding it), so that the end-to-end tests check the decoder against an independent answer.
struct FixtureExpectation {
    var path: String
    /// Extra `replay` arguments the case needs (a lowered bound).
    var arguments: [String] = []
    var dataMessages = 0
    var controlMessages = 0
    var rejectedKinds: [String] = []
    /// Text each rejection's message must contain (what and where), in order.
    var errorMentions: [String] = []
    var events = 0
    /// Bytes of the DATA_MESSAGE / CONTROL_MESSAGE JSON documents that decode.
    var decodedBytes = 0
    var invalidUTF8Replaced = 0
    var forms: [String: Int] = [:]
    /// log group → (owner, events, streams)
    var logGroups: [String: (owner: String, events: Int, streams: Set<String>)] = [:]

    mutating func add(_ document: SubscriptionPayloadEncoder.Document, form: String) {
        forms[form, default: 0] += 1
        decodedBytes += SubscriptionPayloadEncoder.json(document).count
        if document.messageType == "CONTROL_MESSAGE" {
            controlMessages += 1
            return
        }
        dataMessages += 1
        events += document.events.count
        var group = logGroups[document.logGroup] ?? (document.owner, 0, [])
        group.events += document.events.count
        group.streams.insert(document.logStream)
        logGroups[document.logGroup] = group
    }

    mutating func reject(_ kind: String, mentioning mention: String, form: String) {
        rejectedKinds.append(kind)
        errorMentions.append(mention)
        forms[form, default: 0] += 1
    }

    func write(to w: inout JSONWriter) {
        w.key(path)
        w.beginObject()
        w.key("arguments")
        w.beginArray()
        for argument in arguments { w.string(argument) }
        w.endArray()
        w.key("payloads")
        w.beginObject()
        w.key("read"); w.int(dataMessages + controlMessages + rejectedKinds.count)
        w.key("data_messages"); w.int(dataMessages)
        w.key("control_messages"); w.int(controlMessages)
        w.key("rejected"); w.int(rejectedKinds.count)
        w.key("by_form")
        w.beginObject()
        for form in forms.keys.sorted() {
            w.key(form); w.int(forms[form] ?? 0)
        }
        w.endObject()
        w.endObject()
        w.key("events"); w.int(events)
        w.key("bytes_decoded"); w.int(decodedBytes)
        w.key("invalid_utf8_replaced"); w.int(invalidUTF8Replaced)
        w.key("log_groups")
        w.beginArray()
        for name in logGroups.keys.sorted() {
            guard let group = logGroups[name] else { continue }
            w.beginObject()
            w.key("log_group"); w.string(name)
            w.key("owner"); w.string(group.owner)
            w.key("events"); w.int(group.events)
            w.key("streams"); w.int(group.streams.count)
            w.endObject()
        }
        w.endArray()
        w.key("rejections")
        w.beginArray()
        for (kind, mention) in zip(rejectedKinds, errorMentions) {
            w.beginObject()
            w.key("kind"); w.string(kind)
            w.key("mentions"); w.string(mention)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
