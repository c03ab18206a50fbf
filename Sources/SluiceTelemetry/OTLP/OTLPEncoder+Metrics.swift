import SluicePipeline

extension OTLPEncoder {
    /// An `ExportMetricsServiceRequest`: metric samples (as summaries: count, sum, and min and max as
    /// quantiles 0 and 1), a resource per run of samples of one log group, then the per-function window
    /// metrics derived from the invocations, a resource per function.
    public func metrics(_ batch: TelemetryBatch) -> [UInt8] {
        var w = ProtobufWriter(capacity: batch.metrics.count * 400 + batch.invocations.count * 64 + 4096)
        batch.metrics.withUnsafeBufferPointer { rows in
            let runs = Self.runs(rows, same: { $0.logGroup == $1.logGroup }, key: {
                ResourceKey(owner: "", logGroup: $0.logGroup, function: FunctionWindowKey.functionName(logGroup: $0.logGroup), logStream: nil)
            })
            for run in runs {
                w.message(1) { w in                                  // resource_metrics
                    w.message(1) { run.key.write(into: &$0) }
                    w.message(2) { w in                               // scope_metrics
                        w.message(1) { Self.writeScope(SluiceConventions.scopeName, into: &$0) }
                        for index in run.range { Self.write(rows.baseAddress.unsafelyUnwrapped + index, into: &w) }
                    }
                }
            }
        }
        let derived = faasWindows(batch.invocations)
        for key in derived.keys.sorted(by: { ($0.logGroup, $0.owner) < ($1.logGroup, $1.owner) }) {
            guard let windows = derived[key] else { continue }
            w.message(1) { w in
                w.message(1) { key.write(into: &$0) }
                w.message(2) { w in
                    w.message(1) { Self.writeScope(SluiceConventions.faasScopeName, into: &$0) }
                    for window in windows { self.write(window, into: &w) }
                }
            }
        }
        return w.bytes
    }

    /// One `Metric` (field 2 of the scope), read in place from the batch: a row is never copied.
    static func write(_ row: UnsafePointer<MetricRow>, into w: inout ProtobufWriter) {
        let metric = w.beginMessage(2)
        w.string(1, row.pointee.name)
        if let unit = row.pointee.unit { w.string(3, unit) }
        let summary = w.beginMessage(11)
        let point = w.beginMessage(1)                                 // data_points
        let time = nanos(row.pointee.timestampMs)
        w.fixed64(2, time)
        w.fixed64(3, time)
        w.fixed64(4, UInt64(clamping: row.pointee.count))
        w.double(5, row.pointee.sum)
        let low = w.beginMessage(6)                                   // quantile 0 (left out as the default)
        w.double(2, row.pointee.min)
        w.endMessage(low)
        let high = w.beginMessage(6)
        w.double(1, 1)
        w.double(2, row.pointee.max)
        w.endMessage(high)
        row.pointee.dimensions.withUnsafeBufferPointer { writeAttributes(7, $0, into: &w) }
        writeStringAttribute(7, SluiceConventions.pointKey, row.pointee.key, into: &w)
        writeStringAttribute(7, "sluice.metric.source", row.pointee.source, into: &w)
        if let namespace = row.pointee.namespace { writeStringAttribute(7, "sluice.metric.namespace", namespace, into: &w) }
        w.endMessage(point)
        w.endMessage(summary)
        w.endMessage(metric)
    }

    /// One function's figures in one window, counted as ``FunctionRollup`` counts them.
    struct FaaSWindow {
        var start: Int64
        var summary: FunctionSummary
        var duration = ExponentialHistogram()
        var initDuration = ExponentialHistogram()
        var memory = ExponentialHistogram()
    }

    func faasWindows(_ rows: [InvocationRow]) -> [ResourceKey: [FaaSWindow]] {
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
        var out: [ResourceKey: [FaaSWindow]] = [:]
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
            let figures = FaaSWindow(start: key.start,
                                     summary: FunctionSummary(owner: "", logGroup: key.resource.logGroup, function: key.resource.function, window: window),
                                     duration: duration, initDuration: initDuration, memory: memory)
            out[key.resource, default: []].append(figures)
        }
        return out
    }

    /// `faas.invocations`, `faas.errors`, `faas.timeouts`, `faas.coldstarts` (delta sums), the estimated
    /// cost, `sluice.faas.concurrency` (a gauge), `faas.invoke_duration` and `faas.init_duration` (exponential histograms, seconds) and
    /// `faas.mem_usage` (bytes).
    func write(_ figures: FaaSWindow, into w: inout ProtobufWriter) {
        let start = Self.nanos(figures.start)
        let end = Self.nanos(figures.start + windowMilliseconds)
        let summary = figures.summary
        func sum(_ name: String, _ unit: String, count: Int64? = nil, value: Double? = nil) {
            w.message(2) { w in
                w.string(1, name)
                w.string(3, unit)
                w.message(7) { w in                                   // sum
                    w.message(1) { w in                               // data_points
                        w.fixed64(2, start)
                        w.fixed64(3, end)
                        if let value { w.double(4, value, always: true) }
                        if let count { w.fixed64(6, UInt64(bitPattern: count), always: true) }
                    }
                    w.int64(2, 1)                                     // delta
                    w.bool(3, true)
                }
            }
        }
        func histogram(_ name: String, _ unit: String, _ h: ExponentialHistogram) {
            guard h.count > 0 else { return }
            w.message(2) { w in
                w.string(1, name)
                w.string(3, unit)
                w.message(10) { w in                                  // exponential_histogram
                    w.message(1) { w in
                        w.fixed64(2, start)
                        w.fixed64(3, end)
                        w.fixed64(4, UInt64(h.count))
                        w.double(5, h.sum, always: true)
                        w.sint32(6, Int32(h.scale))
                        w.fixed64(7, UInt64(h.zeroCount))
                        w.message(8) { w in
                            w.sint32(1, Int32(clamping: h.offset))
                            w.packedVarints(2, h.counts)
                        }
                        w.double(12, h.min, always: true)
                        w.double(13, h.max, always: true)
                    }
                    w.int64(2, 1)
                }
            }
        }
        sum("faas.invocations", "{invocation}", count: Int64(summary.invocations))
        sum("faas.errors", "{error}", count: Int64(summary.errors))
        sum("faas.timeouts", "{timeout}", count: Int64(summary.timeouts))
        sum("faas.coldstarts", "{coldstart}", count: Int64(summary.coldStarts))
        sum("sluice.faas.out_of_memory", "{kill}", count: Int64(summary.window.outOfMemory.count))
        sum("sluice.faas.estimated_cost", "USD", value: summary.window.estimatedCostUSD)
        // A gauge: the most invocations in flight at once in the window (execution environments busy together).
        w.message(2) { w in
            w.string(1, "sluice.faas.concurrency")
            w.string(3, "{invocation}")
            w.message(5) { w in                                       // gauge
                w.message(1) { w in
                    w.fixed64(2, start)
                    w.fixed64(3, end)
                    w.fixed64(6, UInt64(summary.window.maxConcurrency), always: true)
                }
            }
        }
        histogram("faas.invoke_duration", "s", figures.duration)
        histogram("faas.init_duration", "s", figures.initDuration)
        histogram("faas.mem_usage", "By", figures.memory)
    }
}
