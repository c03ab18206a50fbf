/// Embedded Metric Format documents (Powertools Metrics, aws-embedded-metrics): one sample per metric
/// and dimension set of every directive, values as arrays or scalars.
enum EMFRecognizer {
    static func recognize(_ document: JSONView, into records: inout [RecognizedRecord]) {
        guard let aws = document["_aws"], let directives = aws["CloudWatchMetrics"]?.arrayValue else { return }
        // Metric values and dimension values are top-level members: look them up by name, not by scanning.
        var members: [String: JSONView] = [:]
        for member in document.objectValue ?? [] { members[member.key] = member.value }
        let timestamp = aws["Timestamp"]?.int64Value ?? aws["Timestamp"]?.doubleValue.map { Int64($0) } ?? 0
        for directive in directives {
            let namespace = directive["Namespace"]?.stringValue
            var dimensionSets = (directive["Dimensions"]?.arrayValue ?? []).map { set in (set.arrayValue ?? []).compactMap(\.stringValue) }
            if dimensionSets.isEmpty { dimensionSets = [[]] }
            for metric in directive["Metrics"]?.arrayValue ?? [] {
                guard let name = metric["Name"]?.stringValue, let value = members[name] else { continue }
                let values: [Double]
                if let items = value.arrayValue {
                    values = items.compactMap(\.doubleValue)
                } else {
                    values = value.doubleValue.map { [$0] } ?? []
                }
                for set in dimensionSets {
                    let dimensions = set.map { Attribute($0, .string(LogRecognizer.text(of: members[$0]))) }.sorted { $0.key < $1.key }
                    records.append(.metric(MetricSample(namespace: namespace, name: name, unit: metric["Unit"]?.stringValue, values: values,
                                                        dimensions: dimensions, timestamp: timestamp, producer: .embeddedMetricFormat)))
                }
            }
        }
    }
}
