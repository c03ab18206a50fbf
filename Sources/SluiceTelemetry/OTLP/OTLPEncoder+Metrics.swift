import SluiceOTLP
import SluicePipeline

extension OTLPEncoder {
    /// Metric samples (as summaries: count, sum, and min and max as quantiles 0 and 1) and the per-function
    /// window metrics derived from the invocations, one resource per log group.
    public func metrics(_ batch: TelemetryBatch) -> OTLPMetricsRequest {
        var samples: [ResourceKey: [OTLPMetric]] = [:]
        var order: [ResourceKey] = []
        for row in batch.metrics {
            let key = ResourceKey(owner: "", logGroup: row.logGroup, function: FunctionWindowKey.functionName(logGroup: row.logGroup), logStream: nil)
            if samples[key] == nil { order.append(key) }
            samples[key, default: []].append(Self.metric(row))
        }
        let derived = faasMetrics(batch.invocations)
        for key in derived.keys.sorted(by: { ($0.logGroup, $0.owner) < ($1.logGroup, $1.owner) }) where samples[key] == nil {
            order.append(key)
        }
        var request = OTLPMetricsRequest()
        request.resourceMetrics = order.map { key in
            var resourceMetrics = Opentelemetry_Proto_Metrics_V1_ResourceMetrics()
            resourceMetrics.resource = key.resource
            if let metrics = samples[key] {
                var scope = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
                scope.scope = Self.scope(SluiceConventions.scopeName)
                scope.metrics = metrics
                resourceMetrics.scopeMetrics.append(scope)
            }
            if let metrics = derived[key] {
                var scope = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
                scope.scope = Self.scope(SluiceConventions.faasScopeName)
                scope.metrics = metrics
                resourceMetrics.scopeMetrics.append(scope)
            }
            return resourceMetrics
        }
        return request
    }

    static func metric(_ row: MetricRow) -> OTLPMetric {
        var metric = OTLPMetric()
        metric.name = row.name
        metric.unit = row.unit ?? ""
        var point = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint()
        point.timeUnixNano = nanos(row.timestampMs)
        point.startTimeUnixNano = point.timeUnixNano
        point.count = UInt64(clamping: row.count)
        point.sum = row.sum
        var low = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint.ValueAtQuantile()
        low.quantile = 0
        low.value = row.min
        var high = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint.ValueAtQuantile()
        high.quantile = 1
        high.value = row.max
        point.quantileValues = [low, high]
        var attributes = row.dimensions.map(OTLPKeyValue.init)
        attributes.append(OTLPKeyValue(SluiceConventions.pointKey, .string(row.key)))
        attributes.append(OTLPKeyValue("sluice.metric.source", .string(row.source)))
        if let namespace = row.namespace { attributes.append(OTLPKeyValue("sluice.metric.namespace", .string(namespace))) }
        point.attributes = attributes
        var summary = Opentelemetry_Proto_Metrics_V1_Summary()
        summary.dataPoints = [point]
        metric.summary = summary
        return metric
    }

    /// `faas.invocations`, `faas.errors`, `faas.timeouts`, `faas.coldstarts` (delta sums),
    /// `faas.invoke_duration` and `faas.init_duration` (exponential histograms, seconds), `faas.mem_usage`
    /// (bytes) and the estimated cost, per function and window, counted as `FunctionRollup` counts.
    func faasMetrics(_ rows: [InvocationRow]) -> [ResourceKey: [OTLPMetric]] {
        struct WindowKey: Hashable {
            var resource: ResourceKey
            var start: Int64
        }
        var windows: [WindowKey: [InvocationRow]] = [:]
        for row in rows {
            let start = row.endMs - ((row.endMs % windowMilliseconds) + windowMilliseconds) % windowMilliseconds
            let resource = ResourceKey(owner: "", logGroup: row.logGroup, function: row.function, logStream: nil)
            windows[WindowKey(resource: resource, start: start), default: []].append(row)
        }
        var out: [ResourceKey: [OTLPMetric]] = [:]
        for key in windows.keys.sorted(by: { ($0.resource.logGroup, $0.start) < ($1.resource.logGroup, $1.start) }) {
            guard let rows = windows[key] else { continue }
            var window = FunctionWindow()
            var reported: Set<String> = []
            for row in rows where row.source == .report { reported.insert(row.requestID) }
            var duration = ExponentialHistogram()
            var initDuration = ExponentialHistogram()
            var memory = ExponentialHistogram()
            for row in rows {
                window.add(row)
                if row.source == .report || (row.source == .agent && !reported.contains(row.requestID)) {
                    if let ms = row.durationMs { duration.record(ms / 1000) }
                }
                if row.source == .report {
                    if let ms = row.initDurationMs { initDuration.record(ms / 1000) }
                    if let mb = row.maxMemoryUsedMB { memory.record(Double(mb) * 1_048_576) }
                }
            }
            let summary = FunctionSummary(owner: "", logGroup: key.resource.logGroup, function: key.resource.function, window: window)
            let start = Self.nanos(key.start)
            let end = Self.nanos(key.start + windowMilliseconds)
            var metrics = [
                Self.sum("faas.invocations", "{invocation}", Double(summary.invocations), start, end),
                Self.sum("faas.errors", "{error}", Double(summary.errors), start, end),
                Self.sum("faas.timeouts", "{timeout}", Double(summary.timeouts), start, end),
                Self.sum("faas.coldstarts", "{coldstart}", Double(summary.coldStarts), start, end),
                Self.sum("sluice.faas.out_of_memory", "{kill}", Double(window.outOfMemory.count), start, end),
                Self.sum("sluice.faas.estimated_cost", "USD", window.estimatedCostUSD, start, end),
            ]
            if duration.count > 0 { metrics.append(Self.histogram("faas.invoke_duration", "s", duration, start, end)) }
            if initDuration.count > 0 { metrics.append(Self.histogram("faas.init_duration", "s", initDuration, start, end)) }
            if memory.count > 0 { metrics.append(Self.histogram("faas.mem_usage", "By", memory, start, end)) }
            out[key.resource, default: []] += metrics
        }
        return out
    }

    static func sum(_ name: String, _ unit: String, _ value: Double, _ start: UInt64, _ end: UInt64) -> OTLPMetric {
        var metric = OTLPMetric()
        metric.name = name
        metric.unit = unit
        var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
        point.startTimeUnixNano = start
        point.timeUnixNano = end
        if unit.hasPrefix("{") { point.asInt = Int64(value) } else { point.asDouble = value }
        var sum = Opentelemetry_Proto_Metrics_V1_Sum()
        sum.aggregationTemporality = .delta
        sum.isMonotonic = true
        sum.dataPoints = [point]
        metric.sum = sum
        return metric
    }

    static func histogram(_ name: String, _ unit: String, _ histogram: ExponentialHistogram, _ start: UInt64, _ end: UInt64) -> OTLPMetric {
        var metric = OTLPMetric()
        metric.name = name
        metric.unit = unit
        var point = Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint()
        point.startTimeUnixNano = start
        point.timeUnixNano = end
        point.count = UInt64(histogram.count)
        point.sum = histogram.sum
        point.min = histogram.min
        point.max = histogram.max
        point.scale = Int32(histogram.scale)
        point.zeroCount = UInt64(histogram.zeroCount)
        point.positive.offset = Int32(clamping: histogram.offset)
        point.positive.bucketCounts = histogram.counts.map { UInt64($0) }
        var exponential = Opentelemetry_Proto_Metrics_V1_ExponentialHistogram()
        exponential.aggregationTemporality = .delta
        exponential.dataPoints = [point]
        metric.exponentialHistogram = exponential
        return metric
    }
}
