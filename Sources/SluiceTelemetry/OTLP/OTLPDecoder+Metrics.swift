import SluiceOTLP
import SluicePipeline

extension OTLPDecoder {
    /// Metric points as rows: a Sluice summary point exactly as it was sent; any other sender's gauge, sum,
    /// histogram, exponential histogram or summary point summarised as count, sum, min and max.
    public func metrics(_ request: OTLPMetricsRequest) -> Outcome {
        var outcome = Outcome()
        for resourceMetrics in request.resourceMetrics {
            let resource = ResourceFacts(resourceMetrics.resource)
            for scopeMetrics in resourceMetrics.scopeMetrics {
                if scopeMetrics.scope.name == SluiceConventions.Text.faasScopeName {
                    outcome.derivedSkipped += scopeMetrics.metrics.count
                    continue
                }
                for metric in scopeMetrics.metrics {
                    outcome.batch.metrics += Self.rows(metric, resource)
                }
            }
        }
        return outcome
    }

    static func rows(_ metric: OTLPMetric, _ resource: ResourceFacts) -> [MetricRow] {
        struct Point {
            var attributes: [OTLPKeyValue]
            var time: UInt64
            var count: Int64
            var sum: Double
            var min: Double
            var max: Double
        }
        var points: [Point] = []
        /// A point from its count and sum; min and max, when the sender left them out, are the mean.
        func summarised(_ attributes: [OTLPKeyValue], _ time: UInt64, _ count: UInt64, _ sum: Double, _ low: Double?, _ high: Double?) {
            let count = Int64(clamping: count)
            let mean = count > 0 ? sum / Double(count) : 0
            points.append(Point(attributes: attributes, time: time, count: count, sum: sum, min: low ?? mean, max: high ?? mean))
        }
        switch metric.data {
        case .gauge(let gauge):
            for p in gauge.dataPoints {
                let value = number(p)
                points.append(Point(attributes: p.attributes, time: p.timeUnixNano, count: 1, sum: value, min: value, max: value))
            }
        case .sum(let sum):
            for p in sum.dataPoints {
                let value = number(p)
                points.append(Point(attributes: p.attributes, time: p.timeUnixNano, count: 1, sum: value, min: value, max: value))
            }
        case .histogram(let histogram):
            for p in histogram.dataPoints {
                summarised(p.attributes, p.timeUnixNano, p.count, p.sum, p.hasMin ? p.min : nil, p.hasMax ? p.max : nil)
            }
        case .exponentialHistogram(let histogram):
            for p in histogram.dataPoints {
                summarised(p.attributes, p.timeUnixNano, p.count, p.sum, p.hasMin ? p.min : nil, p.hasMax ? p.max : nil)
            }
        case .summary(let summary):
            for p in summary.dataPoints {
                summarised(p.attributes, p.timeUnixNano, p.count, p.sum, p.quantileValues.first { $0.quantile == 0 }?.value,
                           p.quantileValues.first { $0.quantile == 1 }?.value)
            }
        case .none:
            break
        }
        return points.map { point in
            var attributes = Attributes(point.attributes)
            let key = attributes.take(SluiceConventions.Text.pointKey)?.text
            let source = attributes.take("sluice.metric.source")?.text ?? "otlp"
            let namespace = attributes.take("sluice.metric.namespace")?.text
            let dimensions = attributes.remaining.sorted { $0.key < $1.key }
            let content = "\(resource.logGroup)\u{1F}\(metric.name)\u{1F}\(point.time)\u{1F}\(AttributeCodec.encode(dimensions))\u{1F}\(point.count)\u{1F}\(point.sum)\u{1F}\(point.min)\u{1F}\(point.max)"
            return MetricRow(key: key ?? "otlp:" + ContentKey.of(content), source: source, namespace: namespace, name: metric.name,
                             unit: metric.unit.isEmpty ? nil : metric.unit, dimensions: dimensions, timestampMs: milliseconds(point.time),
                             count: point.count, sum: point.sum, min: point.min, max: point.max, logGroup: resource.logGroup)
        }
    }

    static func number(_ point: Opentelemetry_Proto_Metrics_V1_NumberDataPoint) -> Double {
        switch point.value {
        case .asDouble(let d): d
        case .asInt(let i): Double(i)
        case .none: 0
        }
    }
}
