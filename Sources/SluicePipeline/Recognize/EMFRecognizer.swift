/// Embedded Metric Format documents (Powertools Metrics, aws-embedded-metrics): one sample per metric
/// and dimension set of every directive, values as arrays or scalars.
enum EMFRecognizer {
    static func recognize(_ document: JSONView, into records: inout [RecognizedRecord]) {
        guard let aws = document["_aws"], let directives = aws["CloudWatchMetrics"], directives.kind == .array else { return }
        // Metric values and dimension values are top-level members: look them up by name, not by scanning
        // (and without a `String` for every member).
        let members = JSONMemberIndex(document)
        let timestamp = RecordBounds.milliseconds(aws["Timestamp"]?.int64Value) ?? RecordBounds.milliseconds(aws["Timestamp"]?.doubleValue) ?? 0
        for directive in directives.elements {
            let namespace = directive["Namespace"]?.stringValue
            var names = directive["Dimensions"].elements.map { set in set.elements.compactMap(\.stringValue) }
            if names.isEmpty { names = [[]] }
            // Each set's dimensions are made once and shared by every metric of the directive.
            let dimensionSets = names.map { set in
                set.map { Attribute($0, .string(LogRecognizer.text(of: members[$0]))) }.sorted { $0.key < $1.key }
            }
            for metric in directive["Metrics"].elements {
                guard let name = metric["Name"]?.stringValue, let value = members[name] else { continue }
                let values: MetricValues
                if value.kind == .array {
                    values = MetricValues(value.elements.compactMap(\.doubleValue))
                } else {
                    values = value.doubleValue.map(MetricValues.init) ?? []
                }
                let unit = metric["Unit"]?.stringValue
                // Only 1 (high resolution) and 60 are valid; 60 is the default and is not kept.
                let resolution = metric["StorageResolution"]?.int64Value.flatMap { $0 == 1 ? 1 : nil }
                for dimensions in dimensionSets {
                    records.append(.metric(MetricSample(namespace: namespace, name: name, unit: unit, values: values, dimensions: dimensions,
                                                        timestamp: timestamp, producer: .embeddedMetricFormat, storageResolution: resolution)))
                }
            }
        }
    }
}
