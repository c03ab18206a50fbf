import FoundationEssentials
import SluicePipeline

extension OTLPEncoder {
    /// An `ExportMetricsServiceRequest`: metric samples (as summaries: count, sum, and min and max as
    /// quantiles 0 and 1), a resource per run of samples of one log group, then the per-function window
    /// metrics derived from the invocations, a resource per function.
    public func metrics(_ batch: TelemetryBatch) -> Data {
        var w = ProtobufWriter(capacity: batch.metrics.count * 400 + batch.invocations.count * 64 + 4096, readsInPlace: readsStoredStringsInPlace)
        // Back to front (as ``ProtobufWriter`` writes): the derived window metrics first, last first.
        for (resource, windows) in faasWindows(batch.invocations).reversed() {
            w.message(1) { w in
                w.message(2) { w in
                    for window in windows.reversed() { self.write(window, into: &w) }
                    w.message(1) { Self.writeScope(SluiceConventions.faasScopeName, into: &$0) }
                }
                w.message(1) { resource.write(into: &$0) }
            }
        }
        var attributeBlocks = AttributeBlocks()
        batch.metrics.withUnsafeBufferPointer { rows in
            let runs = Self.runs(rows, same: { $0.pointee.logGroup == $1.pointee.logGroup }, key: {
                ResourceKey(owner: "", logGroup: $0.pointee.logGroup, function: FunctionWindowKey.functionName(logGroup: $0.pointee.logGroup), logStream: nil)
            })
            for run in runs.reversed() {
                w.message(1) { w in                                  // resource_metrics
                    w.message(2) { w in                               // scope_metrics
                        for index in run.range.reversed() {
                            Self.write(rows.baseAddress.unsafelyUnwrapped + index, into: &w, blocks: &attributeBlocks)
                        }
                        w.message(1) { Self.writeScope(SluiceConventions.scopeName, into: &$0) }
                    }
                    w.message(1) { run.key.write(into: &$0) }
                }
            }
        }
        return w.finish()
    }

    /// One `Metric` (field 2 of the scope), read in place from the batch (a row is never copied), last
    /// field first.
    static func write(_ row: UnsafePointer<MetricRow>, into w: inout ProtobufWriter, blocks: inout AttributeBlocks) {
        let metric = w.count
        let point = w.count                                           // summary.data_points
        writeStringAttribute(7, SluiceConventions.pointKey, at: row.pointer(to: \.key).unsafelyUnwrapped, into: &w)
        row.pointee.dimensions.withUnsafeBufferPointer { dimensions in
            let namespace = row.pointer(to: \.namespace).unsafelyUnwrapped, source = row.pointer(to: \.source).unsafelyUnwrapped
            let identity = blocks.identity(dimensions: dimensions, namespace: namespace, source: source)
            if let identity, let block = blocks.block(for: identity) {
                blocks.write(block, into: &w)
            } else {
                let mark = w.count
                writeAttributes(7, dimensions, into: &w)
                writeStringAttribute(7, "sluice.metric.source", at: source, into: &w)
                writeStringAttribute(7, "sluice.metric.namespace", at: namespace, into: &w)
                if let identity { blocks.keep(from: mark, to: w.count, for: identity) }
            }
        }
        let time = nanos(row.pointee.timestampMs)
        // Eleven fields of at most 20 bytes, in room checked once.
        w.withRoom(256) { c in
            let high = c.count
            c.double(2, row.pointee.max)
            c.double(1, 1)
            c.endMessage(6, high)
            let low = c.count                                         // quantile 0 (left out as the default)
            c.double(2, row.pointee.min)
            c.endMessage(6, low)
            c.double(5, row.pointee.sum)
            c.fixed64(4, UInt64(clamping: row.pointee.count))
            c.fixed64(3, time)
            c.fixed64(2, time)
            c.endMessage(1, point)
            c.endMessage(11, point)                                   // summary
        }
        w.string(3, at: row.pointer(to: \.unit).unsafelyUnwrapped)
        w.string(1, at: row.pointer(to: \.name).unsafelyUnwrapped)
        w.endMessage(2, metric)
    }

    /// The encoded attributes shared by a point's neighbours, the last few met: its namespace, its source
    /// and its dimensions. Every metric of an EMF document shares one namespace string and one dimension
    /// array per set (the recogniser makes each once), so most rows find these already encoded: one copy
    /// instead of two to five pairs, each a key, a value and a room check. Only the point's own key is
    /// written every time.
    struct AttributeBlocks {
        /// What makes two rows' attributes the same: the same dimension storage and the same two strings,
        /// each known by its two words. Equal words are the same small string, or the same storage, which
        /// cannot change or be reused while the batch holds it; equal strings stored apart are only a miss.
        struct Identity: Equatable {
            var dimensions: UInt
            var count: Int
            var namespace: (UInt64, UInt64)
            var source: (UInt64, UInt64)

            init(dimensions: UnsafeBufferPointer<Attribute>, namespace: UnsafePointer<String?>, source: UnsafePointer<String>) {
                self.dimensions = UInt(bitPattern: dimensions.baseAddress)
                count = dimensions.count
                // A missing namespace has words of its own, which no string has.
                self.namespace = UnsafeRawPointer(namespace).load(as: (UInt64, UInt64).self)
                self.source = UnsafeRawPointer(source).load(as: (UInt64, UInt64).self)
            }

            static func == (a: Identity, b: Identity) -> Bool {
                a.dimensions == b.dimensions && a.count == b.count && a.namespace == b.namespace && a.source == b.source
            }
        }

        /// Whether a string's words say which string it is: the layout ``StoredUTF8`` reads (checked once here,
        /// not for every row).
        private let identifies = StoredUTF8.isUsable
        /// Each block is found in the output itself, between two marks: nothing is copied aside.
        private var entries: [(identity: Identity, low: Int, high: Int)] = []
        private var next = 0
        /// Where the last lookup found its block: neighbours mostly share one.
        private var last = 0

        /// The identity of a row's attributes; nil where the layout is not known (those rows are encoded
        /// every time).
        func identity(dimensions: UnsafeBufferPointer<Attribute>, namespace: UnsafePointer<String?>, source: UnsafePointer<String>) -> Identity? {
            identifies ? Identity(dimensions: dimensions, namespace: namespace, source: source) : nil
        }

        @inline(__always) mutating func block(for identity: Identity) -> Int? {
            if last < entries.count, entries[last].identity == identity { return last }
            for index in entries.indices where entries[index].identity == identity {
                last = index
                return index
            }
            return nil
        }

        func write(_ index: Int, into w: inout ProtobufWriter) {
            w.repeatWritten(from: entries[index].low, to: entries[index].high)
        }

        mutating func keep(from low: Int, to high: Int, for identity: Identity) {
            if entries.count < 8 {
                last = entries.count
                entries.append((identity, low, high))
            } else {
                last = next
                entries[next] = (identity, low, high)
                next = (next + 1) % entries.count
            }
        }
    }

    /// One function's figures in one window, counted as ``FunctionRollup`` counts them: only the figures,
    /// since the window and its summary hold every request id, and each copy of them on the way to the
    /// writer retained all of their storage.
    struct FaaSWindow {
        var start: Int64
        var invocations: Int
        var errors: Int
        var timeouts: Int
        var coldStarts: Int
        var outOfMemory: Int
        var estimatedCostUSD: Double
        var maxConcurrency: Int
        var duration: ExponentialHistogram
        var initDuration: ExponentialHistogram
        var memory: ExponentialHistogram
    }

    /// Each function's window figures, in the order they are written: functions by log group, owner and
    /// name, a function's windows by start.
    func faasWindows(_ rows: [InvocationRow]) -> [(resource: ResourceKey, windows: [FaaSWindow])] {
        // Each row's window, numbered as the windows first appear. A row is compared with the row before it
        // first: a batch's rows of one function share their strings (equal at once, without reading them),
        // and neighbours mostly share a window, so a table is asked only where either changes. Hashing every
        // run's function names was half of deriving the windows.
        var resources: [ResourceKey] = []
        var resourceNumbers: [ResourceKey: Int] = [:]
        var windows: [(resource: Int, start: Int64)] = []
        var windowNumbers: [WindowSlot: Int] = [:]
        var windowOfRow = [Int](repeating: 0, count: rows.count)
        var resource = -1, window = -1
        var recent: [Int] = [], replaced = 0
        for index in rows.indices {
            let endMs = rows[index].endMs
            let start = endMs - ((endMs % windowMilliseconds) + windowMilliseconds) % windowMilliseconds
            if resource < 0 || resources[resource].logGroup != rows[index].logGroup || resources[resource].function != rows[index].function
                || resources[resource].owner != rows[index].owner {
                // The account too: a function's resource says whose it is (`cloud.account.id`), as its logs' and spans' do.
                let key = ResourceKey(owner: rows[index].owner, logGroup: rows[index].logGroup, function: rows[index].function, logStream: nil)
                if let known = resourceNumbers[key] {
                    resource = known
                } else {
                    resource = resources.count
                    resources.append(key)
                    resourceNumbers[key] = resource
                }
                window = -1
            }
            if window < 0 || windows[window].start != start {
                // The last few windows used first: a stream's rows go back and forth between a few.
                if let known = recent.first(where: { windows[$0].start == start && windows[$0].resource == resource }) {
                    window = known
                } else {
                    let slot = WindowSlot(resource: resource, start: start)
                    if let known = windowNumbers[slot] {
                        window = known
                    } else {
                        window = windows.count
                        windows.append((resource, start))
                        windowNumbers[slot] = window
                    }
                    if recent.count < 4 { recent.append(window) } else { recent[replaced] = window; replaced = (replaced + 1) % 4 }
                }
            }
            windowOfRow[index] = window
        }
        // The rows of each window together, in the batch's order (a counting sort by window): no array per window.
        var bounds = [Int](repeating: 0, count: windows.count + 1)
        for window in windowOfRow { bounds[window + 1] += 1 }
        for window in windows.indices { bounds[window + 1] += bounds[window] }
        var order = [Int](repeating: 0, count: rows.count)
        var filled = bounds
        for index in rows.indices {
            order[filled[windowOfRow[index]]] = index
            filled[windowOfRow[index]] += 1
        }
        // The functions ranked once, so that the windows are sorted by two integers.
        let ranked = resources.indices.sorted {
            (resources[$0].logGroup, resources[$0].owner, resources[$0].function) < (resources[$1].logGroup, resources[$1].owner, resources[$1].function)
        }
        var rank = [Int](repeating: 0, count: resources.count)
        for (position, resource) in ranked.enumerated() { rank[resource] = position }
        let sortedWindows = windows.indices.sorted {
            (rank[windows[$0].resource], windows[$0].start) < (rank[windows[$1].resource], windows[$1].start)
        }
        var out: [(resource: ResourceKey, windows: [FaaSWindow])] = []
        var written = -1
        for number in sortedWindows {
            let indices = order[bounds[number]..<bounds[number + 1]]
            let key = resources[windows[number].resource]
            var window = FunctionWindow()
            // Only an agent's invocation asks whether the platform reported it too. The tables that wait for
            // agents' reports are made as large as they will be at once, not grown (and rehashed) on the way.
            let agents = indices.reduce(0) { $0 + (rows[$1].source == .agent ? 1 : 0) }
            let hasAgent = agents > 0
            if hasAgent {
                window.agentOnly.reserveCapacity(Swift.min(agents, FunctionWindow.pendingAgentLimit))
                window.reported.reserveCapacity(indices.count - agents)
            }
            var duration = ExponentialHistogram()
            var initDuration = ExponentialHistogram()
            var memory = ExponentialHistogram()
            rows.withUnsafeBufferPointer { rows in
                for index in indices {
                    let row = rows.baseAddress.unsafelyUnwrapped + index
                    // The window's own histograms are in milliseconds and megabytes: these are kept instead.
                    window.count(row, distributions: false, agentsFollow: hasAgent)
                    guard row.pointee.source == .report else { continue }
                    if let ms = row.pointee.durationMs { duration.record(ms / 1000) }
                    if let ms = row.pointee.initDurationMs { initDuration.record(ms / 1000) }
                    if let mb = row.pointee.maxMemoryUsedMB { memory.record(Double(mb) * 1_048_576) }
                }
                guard hasAgent else { return }
                // An agent's duration counts when its invocation has no report here, before or after it: the
                // window knows which were reported while it holds their ids one by one.
                let reported = window.reported.isExact ? window.reported
                    : RequestIDSet(exactUpTo: .max).union(indices.lazy.filter { rows[$0].source == .report }.map { rows[$0].requestID })
                for index in indices where rows[index].source == .agent && !reported.contains(rows[index].requestID) {
                    if let ms = rows[index].durationMs { duration.record(ms / 1000) }
                }
            }
            let summary = FunctionSummary(owner: key.owner, logGroup: key.logGroup, function: key.function, window: window)
            let figures = FaaSWindow(start: windows[number].start, invocations: summary.invocations, errors: summary.errors, timeouts: summary.timeouts,
                                     coldStarts: summary.coldStarts, outOfMemory: window.outOfMemory.count, estimatedCostUSD: window.estimatedCostUSD,
                                     maxConcurrency: window.maxConcurrency, duration: duration, initDuration: initDuration, memory: memory)
            if windows[number].resource == written {
                out[out.count - 1].windows.append(figures)
            } else {
                out.append((key, [figures]))
                written = windows[number].resource
            }
        }
        return out
    }

    /// A window of one function of ``faasWindows(_:)``: the function's number there, and the window's start.
    private struct WindowSlot: Hashable {
        var resource: Int
        var start: Int64
    }

    /// `faas.invocations`, `faas.errors`, `faas.timeouts`, `faas.coldstarts` (delta sums), the estimated
    /// cost, `sluice.faas.concurrency` (a gauge), `faas.invoke_duration` and `faas.init_duration` (exponential histograms, seconds) and
    /// `faas.mem_usage` (bytes).
    func write(_ figures: FaaSWindow, into w: inout ProtobufWriter) {
        let start = Self.nanos(figures.start)
        let end = Self.nanos(figures.start + windowMilliseconds)
        // Last field and last metric first, as ``ProtobufWriter`` writes.
        func sum(_ name: StaticString, _ unit: StaticString, count: Int64? = nil, value: Double? = nil) {
            w.message(2) { w in
                w.message(7) { w in                                   // sum
                    w.bool(3, true)
                    w.int64(2, 1)                                     // delta
                    w.message(1) { w in                               // data_points
                        if let count { w.fixed64(6, UInt64(bitPattern: count), always: true) }
                        if let value { w.double(4, value, always: true) }
                        w.fixed64(3, end)
                        w.fixed64(2, start)
                    }
                }
                w.string(3, literal: unit)
                w.string(1, literal: name)
            }
        }
        func histogram(_ name: StaticString, _ unit: StaticString, _ h: ExponentialHistogram) {
            guard h.count > 0 else { return }
            w.message(2) { w in
                w.message(10) { w in                                  // exponential_histogram
                    w.int64(2, 1)
                    w.message(1) { w in
                        w.double(13, h.max, always: true)
                        w.double(12, h.min, always: true)
                        w.message(8) { w in
                            w.packedVarints(2, h.counts)
                            w.sint32(1, Int32(clamping: h.offset))
                        }
                        w.fixed64(7, UInt64(h.zeroCount))
                        w.sint32(6, Int32(h.scale))
                        w.double(5, h.sum, always: true)
                        w.fixed64(4, UInt64(h.count))
                        w.fixed64(3, end)
                        w.fixed64(2, start)
                    }
                }
                w.string(3, literal: unit)
                w.string(1, literal: name)
            }
        }
        histogram("faas.mem_usage", "By", figures.memory)
        histogram("faas.init_duration", "s", figures.initDuration)
        histogram("faas.invoke_duration", "s", figures.duration)
        // A gauge: the most invocations in flight at once in the window (execution environments busy together).
        w.message(2) { w in
            w.message(5) { w in                                       // gauge
                w.message(1) { w in
                    w.fixed64(6, UInt64(figures.maxConcurrency), always: true)
                    w.fixed64(3, end)
                    w.fixed64(2, start)
                }
            }
            w.string(3, literal: "{invocation}")
            w.string(1, literal: "sluice.faas.concurrency")
        }
        sum("sluice.faas.estimated_cost", "USD", value: figures.estimatedCostUSD)
        sum("sluice.faas.out_of_memory", "{kill}", count: Int64(figures.outOfMemory))
        sum("faas.coldstarts", "{coldstart}", count: Int64(figures.coldStarts))
        sum("faas.timeouts", "{timeout}", count: Int64(figures.timeouts))
        sum("faas.errors", "{error}", count: Int64(figures.errors))
        sum("faas.invocations", "{invocation}", count: Int64(figures.invocations))
    }
}
