import SluicePipeline

/// The per-function window metrics derived from a batch's invocations (`faas.*`), as ``FunctionRollup``
/// counts them.
extension OTLPEncoder {
    /// One function's figures in one window, counted as ``FunctionRollup`` counts them: only the figures,
    /// which the writer reads (a window and its summary hold every request id, and each copy of them
    /// retained all of their storage).
    struct FaaSWindow: Equatable {
        var start: Int64
        var invocations = 0
        var errors = 0
        var timeouts = 0
        var coldStarts = 0
        var outOfMemory = 0
        var estimatedCostUSD = 0.0
        var maxConcurrency = 0
        var duration = ExponentialHistogram()
        var initDuration = ExponentialHistogram()
        var memory = ExponentialHistogram()
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
            let start = FunctionWindowKey.windowStart(of: rows[index].endMs, width: windowMilliseconds)
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
        var byID: [Int] = []
        var hashes: [(hash: UInt64, index: Int)] = []
        for number in sortedWindows {
            let indices = order[bounds[number]..<bounds[number + 1]]
            let key = resources[windows[number].resource]
            // A window small enough to hold everything one by one is counted request by request, without the
            // hashed sets a FunctionWindow keeps (deriving the benchmark's windows took 23 µs with them, 14
            // without); larger ones by a FunctionWindow, whose sketches they need.
            let figures = rows.withUnsafeBufferPointer { rows in
                indices.count <= FaaSWindow.exactRows
                    ? FaaSWindow(start: windows[number].start, counting: rows, indices, sortingBy: &byID, hashes: &hashes)
                    : FaaSWindow(start: windows[number].start, aggregating: rows, indices)
            }
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
}

extension OTLPEncoder.FaaSWindow {
    /// The most rows of a window counted by ``init(start:counting:_:sortingBy:hashes:)``: a window of no more
    /// rows holds every request id, interval and waiting agent one by one (none of its limits can be passed).
    static let exactRows = Swift.min(RequestIDSet.exactLimit, ConcurrencyProfile.exactLimit, FunctionWindow.pendingAgentLimit)

    /// The figures of the rows at `indices` (in the batch's order), counted as a ``FunctionWindow`` counts
    /// them while it holds everything one by one (at most ``exactRows`` rows), without hashing a request id:
    /// the rows grouped by id (``groupByID(_:_:hashes:)``, in `byID` and `hashes`, reused from window to window)
    /// show each request's rows together.
    ///
    /// A request's agent record counts when no report of it came, before or after: the last such record
    /// makes one invocation, and each adds its duration. Errors, timeouts and kills count requests, from
    /// reports and markers or from the agent's record where it counts.
    init(start: Int64, counting rows: UnsafeBufferPointer<InvocationRow>, _ indices: ArraySlice<Int>, sortingBy byID: inout [Int],
         hashes: inout [(hash: UInt64, index: Int)]) {
        let base = rows.baseAddress.unsafelyUnwrapped
        self.init(start: start)
        var concurrency = ConcurrencyProfile()
        // Reports in the batch's order, as the window adds them (sums of doubles depend on it).
        for index in indices where base[index].source == .report {
            let row = base + index
            invocations += 1
            if row.pointee.initDurationMs != nil { coldStarts += 1 }
            estimatedCostUSD += row.pointee.costUSD ?? 0
            concurrency.add(FunctionWindow.interval(end: Double(row.pointee.endMs), durationMs: row.pointee.durationMs ?? 0))
            recordDistributions(of: row)
        }
        maxConcurrency = concurrency.maxConcurrency
        byID.removeAll(keepingCapacity: true)
        byID.append(contentsOf: indices)
        Self.groupByID(base, &byID, hashes: &hashes)
        // The agent records whose requests have no report, marked in place (negated) for their durations below.
        var unreportedAgents = false
        var first = 0
        while first < byID.count {
            var last = first + 1
            while last < byID.count && base[byID[last]].requestID == base[byID[first]].requestID { last += 1 }
            var reported = false, failed = false, timedOut = false, killed = false
            var agent = -1
            for index in byID[first..<last] {
                let row = base + index
                switch row.pointee.source {
                case .agent:
                    agent = Swift.max(agent, index)                  // the last record is the one kept
                    continue
                case .report:
                    reported = true
                case .marker:
                    break
                }
                failed = failed || row.pointee.flags.contains(.failed)
                timedOut = timedOut || row.pointee.flags.contains(.timedOut)
                killed = killed || row.pointee.flags.contains(.outOfMemory)
            }
            if agent >= 0 && !reported {
                unreportedAgents = true
                invocations += 1
                if base[agent].coldStart { coldStarts += 1 }
                failed = failed || base[agent].flags.contains(.failed)
                timedOut = timedOut || base[agent].flags.contains(.timedOut)
                for position in first..<last where base[byID[position]].source == .agent { byID[position] = ~byID[position] }
            }
            if failed { errors += 1 }
            if timedOut { timeouts += 1 }
            if killed { outOfMemory += 1 }
            first = last
        }
        guard unreportedAgents else { return }
        // Each of those records adds its duration, in the batch's order (the marked indices sorted back).
        var marked = byID.filter { $0 < 0 }.map { ~$0 }
        marked.sort()
        for index in marked {
            if let ms = base[index].durationMs { duration.record(ms / 1000) }
        }
    }

    /// A report's duration, init duration and memory in the window's histograms, in seconds and bytes (the
    /// aggregator's own are in milliseconds and megabytes).
    private mutating func recordDistributions(of report: UnsafePointer<InvocationRow>) {
        if let ms = report.pointee.durationMs { duration.record(ms / 1000) }
        if let ms = report.pointee.initDurationMs { initDuration.record(ms / 1000) }
        if let mb = report.pointee.maxMemoryUsedMB { memory.record(Double(mb) * 1_048_576) }
    }

    /// Puts the rows of each request id together in `byID` (row indices): ordered by a seeded hash of the
    /// ids' bytes (`hashes` is room for them, reused) where every id is ASCII, as request ids are, so that
    /// equal bytes are equal ids, and no two different ids share a hash; by String's order, which compares
    /// canonical forms, otherwise. Sorting by String's comparison was a third of counting the windows.
    static func groupByID(_ base: UnsafePointer<InvocationRow>, _ byID: inout [Int], hashes: inout [(hash: UInt64, index: Int)]) {
        hashes.removeAll(keepingCapacity: true)
        if StoredUTF8.isUsable {
            for index in byID {
                guard let id = StoredUTF8.bytes(at: (base + index).pointer(to: \.requestID).unsafelyUnwrapped), isASCII(id) else { break }
                var hasher = ByteHasher()
                hasher.combine(id)
                hashes.append((hasher.finalize(), index))
            }
        }
        if hashes.count == byID.count {
            hashes.sort { $0.hash < $1.hash }
            let distinct = hashes.indices.dropFirst().allSatisfy {
                hashes[$0].hash != hashes[$0 - 1].hash || base[hashes[$0].index].requestID == base[hashes[$0 - 1].index].requestID
            }
            if distinct {
                for position in hashes.indices { byID[position] = hashes[position].index }
                return
            }
        }
        byID.sort { base[$0].requestID < base[$1].requestID }
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var high: UInt64 = 0
        var offset = 0
        while offset &+ 8 <= raw.count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        while offset < raw.count {
            high |= UInt64(raw[offset])
            offset &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The same for any number of rows: a ``FunctionWindow`` counts them, as the aggregator does, past its
    /// limits too (a sketch of the ids, busy time by second, agents settled).
    init(start: Int64, aggregating rows: UnsafeBufferPointer<InvocationRow>, _ indices: ArraySlice<Int>) {
        let base = rows.baseAddress.unsafelyUnwrapped
        self.init(start: start)
        var window = FunctionWindow()
        // Only an agent's invocation asks whether the platform reported it too. The tables that wait for
        // agents' reports are made as large as they will be at once, not grown (and rehashed) on the way.
        let agents = indices.reduce(0) { $0 + (base[$1].source == .agent ? 1 : 0) }
        if agents > 0 {
            window.agentOnly.reserveCapacity(Swift.min(agents, FunctionWindow.pendingAgentLimit))
            window.reported.reserveCapacity(indices.count - agents)
        }
        for index in indices {
            let row = base + index
            window.count(row, distributions: false, agentsFollow: agents > 0)
            guard row.pointee.source == .report else { continue }
            recordDistributions(of: row)
        }
        if agents > 0 {
            // An agent's duration counts when its invocation has no report here, before or after it: the
            // window knows which were reported while it holds their ids one by one.
            let reported = window.reported.isExact ? window.reported
                : RequestIDSet(exactUpTo: .max).union(indices.lazy.filter { base[$0].source == .report }.map { base[$0].requestID })
            for index in indices where base[index].source == .agent && !reported.contains(base[index].requestID) {
                if let ms = base[index].durationMs { duration.record(ms / 1000) }
            }
        }
        let summary = FunctionSummary(owner: "", logGroup: "", function: "", window: window)
        invocations = summary.invocations
        errors = summary.errors
        timeouts = summary.timeouts
        coldStarts = summary.coldStarts
        outOfMemory = window.outOfMemory.count
        estimatedCostUSD = window.estimatedCostUSD
        maxConcurrency = window.maxConcurrency
    }
}

extension OTLPEncoder {
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
