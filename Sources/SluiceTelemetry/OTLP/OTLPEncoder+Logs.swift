import FoundationEssentials
import SluicePipeline

extension OTLPEncoder {
    /// An `ExportLogsServiceRequest`: execution-environment events, invocation events and log records, a
    /// resource for each run of items of one log stream.
    public func logs(_ batch: TelemetryBatch) -> Data {
        var w = ProtobufWriter(capacity: batch.logs.count * 450 + batch.invocations.count * 700 + batch.environments.count * 200 + 4096, readsInPlace: readsStoredStringsInPlace)
        // Back to front (as ``ProtobufWriter`` writes): the log records' resources first, last run first.
        func resource(_ key: ResourceKey, into w: inout ProtobufWriter, _ body: (inout ProtobufWriter) -> Void) {
            w.message(1) { w in                                      // resource_logs
                w.message(2) { w in                                   // scope_logs
                    body(&w)
                    w.message(1) { Self.writeScope(SluiceConventions.scopeName, into: &$0) }
                }
                w.message(1) { key.write(into: &$0) }
            }
        }
        batch.logs.withUnsafeBufferPointer { rows in
            for run in Self.runs(rows, same: { $0.pointee.logStream == $1.pointee.logStream && $0.pointee.logGroup == $1.pointee.logGroup && $0.pointee.owner == $1.pointee.owner },
                                 key: { ResourceKey(owner: $0.pointee.owner, logGroup: $0.pointee.logGroup, function: $0.pointee.function, logStream: $0.pointee.logStream) }).reversed() {
                resource(run.key, into: &w) { w in for i in run.range.reversed() { Self.write(rows.baseAddress.unsafelyUnwrapped + i, into: &w) } }
            }
        }
        batch.invocations.withUnsafeBufferPointer { rows in
            for run in Self.runs(rows, same: { $0.pointee.logStream == $1.pointee.logStream && $0.pointee.logGroup == $1.pointee.logGroup && $0.pointee.owner == $1.pointee.owner },
                                 key: { ResourceKey(owner: $0.pointee.owner, logGroup: $0.pointee.logGroup, function: $0.pointee.function, logStream: $0.pointee.logStream) }).reversed() {
                resource(run.key, into: &w) { w in for i in run.range.reversed() { Self.write(rows.baseAddress.unsafelyUnwrapped + i, into: &w) } }
            }
        }
        batch.environments.withUnsafeBufferPointer { rows in
            for run in Self.runs(rows, same: { $0.pointee.logStream == $1.pointee.logStream && $0.pointee.logGroup == $1.pointee.logGroup && $0.pointee.owner == $1.pointee.owner },
                                 key: { ResourceKey(owner: $0.pointee.owner, logGroup: $0.pointee.logGroup, function: $0.pointee.function, logStream: $0.pointee.logStream) }).reversed() {
                resource(run.key, into: &w) { w in for i in run.range.reversed() { Self.write(rows.baseAddress.unsafelyUnwrapped + i, into: &w) } }
            }
        }
        return w.finish()
    }

    static func nanos(_ milliseconds: Int64) -> UInt64 { UInt64(clamping: milliseconds.multipliedReportingOverflow(by: 1_000_000).partialValue) }

    /// One `LogRecord` (field 2 of the scope), read in place from the batch, last field first.
    static func write(_ pointer: UnsafePointer<LogRow>, into w: inout ProtobufWriter) {
        let record = w.count
        let time = nanos(pointer.pointee.timestampMs)
        w.fixed64(11, time)
        w.hexBytes(10, at: pointer.pointer(to: \.spanID).unsafelyUnwrapped, length: 16)
        w.hexBytes(9, at: pointer.pointer(to: \.traceID).unsafelyUnwrapped, length: 32)
        writeStringAttribute(6, "sluice.log.source", at: pointer.pointer(to: \.source).unsafelyUnwrapped, into: &w)
        writeStringAttribute(6, SluiceConventions.requestID, at: pointer.pointer(to: \.requestID).unsafelyUnwrapped, into: &w)
        writeStringAttribute(6, SluiceConventions.recordKey, at: pointer.pointer(to: \.key).unsafelyUnwrapped, into: &w)
        pointer.pointee.attributes.withUnsafeBufferPointer { writeAttributes(6, $0, into: &w) }
        let body = w.count
        w.string(1, at: pointer.pointer(to: \.body).unsafelyUnwrapped, always: true)
        w.endMessage(5, body)
        if let severity = pointer.pointee.severity {
            w.string(3, severity.rawValue)
            w.int64(2, Int64(severity.number))
        }
        w.fixed64(1, time)
        w.endMessage(2, record)
    }

    /// One invocation event (field 2 of the scope), read in place: the row's fields through the pointer, since
    /// handing the row to a function copies it whole (a retain of each of its strings).
    static func write(_ row: UnsafePointer<InvocationRow>, into w: inout ProtobufWriter) {
        let record = w.count
        let time = nanos(row.pointee.endMs)
        w.string(12, literal: SluiceConventions.invocationEvent)
        w.fixed64(11, time)
        w.hexBytes(9, at: row.pointer(to: \.traceID).unsafelyUnwrapped, length: 32)
        // Agents' trace ids are not always OTLP's 16 bytes: the text travels too.
        writeStringAttribute(6, "sluice.invocation.trace_id", at: row.pointer(to: \.traceID).unsafelyUnwrapped, into: &w)
        if let v = row.pointee.costUSD { writeAttribute(6, "sluice.invocation.cost_usd", .double(v), into: &w) }
        writeStringAttribute(6, "error.type", at: row.pointer(to: \.errorType).unsafelyUnwrapped, into: &w)
        if let v = row.pointee.initDurationMs { writeAttribute(6, "sluice.invocation.init_duration_ms", .double(v), into: &w) }
        if let v = row.pointee.maxMemoryUsedMB { writeAttribute(6, "sluice.invocation.max_memory_used_mb", .int(Int64(v)), into: &w) }
        if let v = row.pointee.memorySizeMB { writeAttribute(6, "sluice.invocation.memory_size_mb", .int(Int64(v)), into: &w) }
        if let v = row.pointee.billedDurationMs { writeAttribute(6, "sluice.invocation.billed_duration_ms", .double(v), into: &w) }
        if let v = row.pointee.durationMs { writeAttribute(6, "sluice.invocation.duration_ms", .double(v), into: &w) }
        writeStringAttribute(6, "sluice.invocation.producer", at: row.pointer(to: \.producer).unsafelyUnwrapped, into: &w)
        writeAttribute(6, "sluice.invocation.out_of_memory", .bool(row.pointee.flags.contains(.outOfMemory)), into: &w)
        writeAttribute(6, "sluice.invocation.timed_out", .bool(row.pointee.flags.contains(.timedOut)), into: &w)
        writeAttribute(6, "sluice.invocation.failed", .bool(row.pointee.flags.contains(.failed)), into: &w)
        writeAttribute(6, "faas.coldstart", .bool(row.pointee.coldStart), into: &w)
        writeAttribute(6, "sluice.invocation.end_ms", .int(row.pointee.endMs), into: &w)
        writeAttribute(6, "sluice.invocation.start_ms", .int(row.pointee.startMs), into: &w)
        writeStringAttribute(6, "sluice.invocation.source", row.pointee.source.rawValue, into: &w)
        writeStringAttribute(6, SluiceConventions.requestID, at: row.pointer(to: \.requestID).unsafelyUnwrapped, into: &w)
        writeStringAttribute(6, SluiceConventions.recordKey, at: row.pointer(to: \.key).unsafelyUnwrapped, into: &w)
        w.fixed64(1, time)
        w.endMessage(2, record)
    }

    static func write(_ row: UnsafePointer<EnvironmentRow>, into w: inout ProtobufWriter) {
        let record = w.count
        let time = nanos(row.pointee.lastMs)
        w.string(12, literal: SluiceConventions.environmentEvent)
        w.fixed64(11, time)
        writeAttribute(6, "sluice.environment.last_ms", .int(row.pointee.lastMs), into: &w)
        writeAttribute(6, "sluice.environment.first_ms", .int(row.pointee.firstMs), into: &w)
        w.fixed64(1, time)
        w.endMessage(2, record)
    }
}
