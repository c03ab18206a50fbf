extension ThundraRecognizer {
    /// The members Thundra's records are read by.
    enum Field: Int, CaseIterable {
        case type, traceId, id, spanId, parentSpanId, rootSpanId, transactionId, operationName
        case className, domainName, serviceName, tags
        case startTimestamp, finishTimestamp, duration, coldStart, erroneous, timeout, errorType, errorMessage
        case logTimestamp, logLevel, logMessage, log, logContextName
        case metricTimestamp, metricName, metrics

        /// How many there are (`metrics` is the last).
        static let count = Field.metrics.rawValue + 1

        /// The member's name.
        var name: StaticString {
            switch self {
            case .type: "type"
            case .traceId: "traceId"
            case .id: "id"
            case .spanId: "spanId"
            case .parentSpanId: "parentSpanId"
            case .rootSpanId: "rootSpanId"
            case .transactionId: "transactionId"
            case .operationName: "operationName"
            case .className: "className"
            case .domainName: "domainName"
            case .serviceName: "serviceName"
            case .tags: "tags"
            case .startTimestamp: "startTimestamp"
            case .finishTimestamp: "finishTimestamp"
            case .duration: "duration"
            case .coldStart: "coldStart"
            case .erroneous: "erroneous"
            case .timeout: "timeout"
            case .errorType: "errorType"
            case .errorMessage: "errorMessage"
            case .logTimestamp: "logTimestamp"
            case .logLevel: "logLevel"
            case .logMessage: "logMessage"
            case .log: "log"
            case .logContextName: "logContextName"
            case .metricTimestamp: "metricTimestamp"
            case .metricName: "metricName"
            case .metrics: "metrics"
            }
        }

        /// The field a member's key names, compared on the key's bytes with the names of its length only
        /// (a test checks every name finds its field).
        init?(_ key: Bytes) {
            switch key.count {
            case 2: self.init(key, among: .id)
            case 3: self.init(key, among: .log)
            case 4: self.init(key, among: .type, .tags)
            case 6: self.init(key, among: .spanId)
            case 7: self.init(key, among: .traceId, .timeout, .metrics)
            case 8: self.init(key, among: .duration, .logLevel)
            case 9: self.init(key, among: .className, .coldStart, .erroneous, .errorType)
            case 10: self.init(key, among: .rootSpanId, .domainName, .logMessage, .metricName)
            case 11: self.init(key, among: .serviceName)
            case 12: self.init(key, among: .parentSpanId, .errorMessage, .logTimestamp)
            case 13: self.init(key, among: .transactionId, .operationName)
            case 14: self.init(key, among: .startTimestamp, .logContextName)
            case 15: self.init(key, among: .finishTimestamp, .metricTimestamp)
            default: return nil
            }
        }

        @inline(__always) private init?(_ key: Bytes, among a: Field, _ b: Field? = nil, _ c: Field? = nil, _ d: Field? = nil) {
            if key.equals(a.name) {
                self = a
            } else if let b, key.equals(b.name) {
                self = b
            } else if let c, key.equals(c.name) {
                self = c
            } else if let d, key.equals(d.name) {
                self = d
            } else {
                return nil
            }
        }
    }

    /// Where an object's fields are, found in one pass over its members; the last of duplicate keys wins,
    /// as a lookup by name has it. Looking each field up scanned every member for every field read (a
    /// Thundra log record spent a fifth of its time there), and a record lacking a field scanned its
    /// Composite line's members too.
    struct FieldIndex {
        private let object: JSONView?
        /// Per field, its value's entry index + 1; 0 when the object has no such member.
        private let slots: UnsafeMutableBufferPointer<Int32>

        /// Indexes `object` into `slots` (``Field/count`` of them, borrowed for as long as the index is
        /// used).
        init(_ object: JSONView?, slots: UnsafeMutableBufferPointer<Int32>) {
            slots.initialize(repeating: 0)
            self.object = object
            self.slots = slots
            var members = object.members
            while let (key, value) = members.nextRaw() {
                guard let field = JSONView.withText(value.document, key, { Field(Bytes($0)) }) else { continue }
                slots[field.rawValue] = Int32(truncatingIfNeeded: value.index + 1)
            }
        }

        subscript(field: Field) -> JSONView? {
            let slot = Int(slots[field.rawValue])
            guard slot != 0, let object else { return nil }
            return JSONView(entries: object.entries, bytes: object.document, index: slot - 1)
        }

        /// Calls `body` with the index of `object`, its slots on the stack.
        static func with<R>(_ object: JSONView?, _ body: (FieldIndex) -> R) -> R {
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: Field.count) { body(FieldIndex(object, slots: $0)) }
        }
    }

    /// A record's fields: its own first, then those its Composite line holds for all.
    struct Fields {
        let item: FieldIndex
        let common: FieldIndex?

        subscript(field: Field) -> JSONView? { item[field] ?? common?[field] }
    }
}
