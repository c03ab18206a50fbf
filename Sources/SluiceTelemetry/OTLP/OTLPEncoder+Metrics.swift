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
}
