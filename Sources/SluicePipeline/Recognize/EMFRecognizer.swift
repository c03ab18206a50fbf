/// Embedded Metric Format documents (Powertools Metrics, aws-embedded-metrics): one sample per metric
/// and dimension set of every directive, values as arrays or scalars.
enum EMFRecognizer {
    static func recognize(_ document: JSONView, cache: inout RecognitionCache, into records: inout [RecognizedRecord]) {
        guard let aws = document["_aws"], let directives = aws["CloudWatchMetrics"], directives.kind == .array else { return }
        // Metric values and dimension values are top-level members: look them up by name, not by scanning
        // (and without a `String` for every member).
        let members = JSONMemberIndex(document)
        let timestamp = RecordBounds.milliseconds(aws["Timestamp"]?.int64Value) ?? RecordBounds.milliseconds(aws["Timestamp"]?.doubleValue) ?? 0
        for directive in directives.elements {
            let namespace = directive["Namespace"]?.stringValue
            // Each set's dimensions are made once and shared by every metric of the directive, and by the
            // directives of later documents with the same names and values.
            let dimensionSets = Self.dimensionSets(directive["Dimensions"], members: members, cache: &cache)
            for metric in directive["Metrics"].elements {
                // One pass over the metric's members instead of a search for each field.
                var nameField: JSONView?, unitField: JSONView?, resolutionField: JSONView?
                var fields = metric.members
                while let (key, field) = fields.nextRaw() {
                    switch JSONView.withText(metric.document, key, { MetricKey(Bytes($0)) }) {
                    case .name: nameField = field
                    case .unit: unitField = field
                    case .storageResolution: resolutionField = field
                    case .other: break
                    }
                }
                // The metric's value is the document's member of its name, looked up on the name's bytes.
                guard let nameField, nameField.kind == .string else { continue }
                let name: String, value: JSONView
                if let bytes = nameField.cleanStringBytes {
                    guard let found = members[bytes: bytes] else { continue }
                    (name, value) = (cache.string(bytes), found)
                } else {
                    guard let text = nameField.stringValue, let found = members[text] else { continue }
                    (name, value) = (text, found)
                }
                let values: MetricValues
                if value.kind == .array {
                    values = MetricValues(value.elements.compactMap(\.doubleValue))
                } else {
                    values = value.doubleValue.map(MetricValues.init) ?? []
                }
                let unit = unitField?.stringValue
                // Only 1 (high resolution) and 60 are valid; 60 is the default and is not kept.
                let resolution = resolutionField?.int64Value.flatMap { $0 == 1 ? 1 : nil }
                for dimensions in dimensionSets {
                    records.append(.metric(MetricSample(namespace: namespace, name: name, unit: unit, values: values, dimensions: dimensions,
                                                        timestamp: timestamp, producer: .embeddedMetricFormat, storageResolution: resolution)))
                }
            }
        }
    }

    /// The fields of a metric definition the record reads, by the key's bytes.
    private enum MetricKey {
        case name, unit, storageResolution, other

        init(_ key: Bytes) {
            switch key.count {
            case 4: self = key.equals("Name") ? .name : key.equals("Unit") ? .unit : .other
            case 17: self = key.equals("StorageResolution") ? .storageResolution : .other
            default: self = .other
            }
        }
    }

    /// The directive's dimension sets, each sorted by name with its values from the document's members; none
    /// names one empty set. Found in `cache` by the names' and values' bytes, each prefixed by its length.
    static func dimensionSets(_ sets: JSONView?, members: JSONMemberIndex, cache: inout RecognitionCache) -> [[Attribute]] {
        // The scratch buffer is moved out and back: a copy would share its storage and reallocate on the first append.
        var key: [UInt8] = []
        swap(&key, &cache.scratch)
        key.removeAll(keepingCapacity: true)
        // Written without closures that capture the key: each captured mutation was checked for exclusive
        // access at run time (a fifth of this function).
        for set in sets.elements {
            // A set begins with a length no name or value has.
            appendLength(Int(UInt32.max), to: &key)
            for name in set.elements where name.kind == .string {
                if let bytes = name.cleanStringBytes {
                    appendDimension(bytes, members: members, to: &key)
                } else {
                    let decoded = Array((name.stringValue ?? "").utf8)
                    decoded.withUnsafeBufferPointer { appendDimension($0, members: members, to: &key) }
                }
            }
        }
        defer { cache.scratch = key }
        return key.withUnsafeBufferPointer { bytes in
            cache.dimensionSets.value(for: bytes) {
                var names = sets.elements.map { set in set.elements.compactMap(\.stringValue) }
                if names.isEmpty { names = [[]] }
                return names.map { set in
                    set.map { Attribute($0, .string(LogRecognizer.text(of: members[$0]))) }.sorted { $0.key < $1.key }
                }
            }
        }
    }

    /// A dimension's name and the bytes of its value's text, as ``LogRecognizer/text(of:)`` would make it.
    private static func appendDimension(_ name: UnsafeBufferPointer<UInt8>, members: JSONMemberIndex, to key: inout [UInt8]) {
        appendField(name, to: &key)
        guard let value = members[bytes: name], value.kind != .null else { return appendLength(0, to: &key) }
        if value.kind != .string {
            appendField(value.rawBytes, to: &key)
        } else if let bytes = value.cleanStringBytes {
            appendField(bytes, to: &key)
        } else {
            let decoded = Array((value.stringValue ?? "").utf8)
            decoded.withUnsafeBufferPointer { appendField($0, to: &key) }
        }
    }

    private static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        appendLength(bytes.count, to: &key)
        key.append(contentsOf: bytes)
    }

    private static func appendLength(_ length: Int, to key: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian) { key.append(contentsOf: $0) }
    }
}
