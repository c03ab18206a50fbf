import FoundationEssentials
import SluiceOTLP
import SluicePipeline

extension OTLPEncoder {
    /// Log records, invocation events and execution-environment events, one resource per log stream.
    public func logs(_ batch: TelemetryBatch) -> OTLPLogsRequest {
        var groups: [ResourceKey: [OTLPLogRecord]] = [:]
        var order: [ResourceKey] = []
        func add(_ record: OTLPLogRecord, owner: String, logGroup: String, function: String, logStream: String) {
            let key = ResourceKey(owner: owner, logGroup: logGroup, function: function, logStream: logStream)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record)
        }
        for row in batch.environments {
            add(Self.record(row), owner: row.owner, logGroup: row.logGroup, function: row.function, logStream: row.logStream)
        }
        for row in batch.invocations {
            add(Self.record(row), owner: row.owner, logGroup: row.logGroup, function: row.function, logStream: row.logStream)
        }
        for row in batch.logs {
            add(Self.record(row), owner: row.owner, logGroup: row.logGroup, function: row.function, logStream: row.logStream)
        }
        var request = OTLPLogsRequest()
        request.resourceLogs = order.map { key in
            var resourceLogs = Opentelemetry_Proto_Logs_V1_ResourceLogs()
            resourceLogs.resource = key.resource
            var scope = Opentelemetry_Proto_Logs_V1_ScopeLogs()
            scope.scope = Self.scope(SluiceConventions.scopeName)
            scope.logRecords = groups[key] ?? []
            resourceLogs.scopeLogs = [scope]
            return resourceLogs
        }
        return request
    }

    static func nanos(_ milliseconds: Int64) -> UInt64 { UInt64(clamping: milliseconds.multipliedReportingOverflow(by: 1_000_000).partialValue) }

    static func record(_ row: LogRow) -> OTLPLogRecord {
        var record = OTLPLogRecord()
        record.timeUnixNano = nanos(row.timestampMs)
        record.observedTimeUnixNano = record.timeUnixNano
        if let severity = row.severity {
            record.severityNumber = Opentelemetry_Proto_Logs_V1_SeverityNumber(rawValue: severity.number) ?? .unspecified
            record.severityText = severity.rawValue
        }
        record.body.stringValue = row.body
        if let trace = row.traceID, let bytes = OTLPIdentifiers.bytes(hex: trace), bytes.count == 16 { record.traceID = Data(bytes) }
        if let span = row.spanID, let bytes = OTLPIdentifiers.bytes(hex: span), bytes.count == 8 { record.spanID = Data(bytes) }
        var attributes = row.attributes.map(OTLPKeyValue.init)
        attributes.append(OTLPKeyValue(SluiceConventions.recordKey, .string(row.key)))
        if let id = row.requestID { attributes.append(OTLPKeyValue(SluiceConventions.requestID, .string(id))) }
        attributes.append(OTLPKeyValue("sluice.log.source", .string(row.source)))
        record.attributes = attributes
        return record
    }

    static func record(_ row: InvocationRow) -> OTLPLogRecord {
        var record = OTLPLogRecord()
        record.eventName = SluiceConventions.invocationEvent
        record.timeUnixNano = nanos(row.endMs)
        record.observedTimeUnixNano = record.timeUnixNano
        if let trace = row.traceID, let bytes = OTLPIdentifiers.bytes(hex: trace), bytes.count == 16 { record.traceID = Data(bytes) }
        var attributes = [
            OTLPKeyValue(SluiceConventions.recordKey, .string(row.key)),
            OTLPKeyValue(SluiceConventions.requestID, .string(row.requestID)),
            OTLPKeyValue("sluice.invocation.source", .string(row.source.rawValue)),
            OTLPKeyValue("sluice.invocation.start_ms", .int(row.startMs)),
            OTLPKeyValue("sluice.invocation.end_ms", .int(row.endMs)),
            OTLPKeyValue("faas.coldstart", .bool(row.coldStart)),
            OTLPKeyValue("sluice.invocation.failed", .bool(row.flags.contains(.failed))),
            OTLPKeyValue("sluice.invocation.timed_out", .bool(row.flags.contains(.timedOut))),
            OTLPKeyValue("sluice.invocation.out_of_memory", .bool(row.flags.contains(.outOfMemory))),
        ]
        func add(_ key: String, _ value: AttributeValue?) {
            if let value { attributes.append(OTLPKeyValue(key, value)) }
        }
        add("sluice.invocation.producer", row.producer.map { .string($0) })
        add("sluice.invocation.duration_ms", row.durationMs.map { .double($0) })
        add("sluice.invocation.billed_duration_ms", row.billedDurationMs.map { .double($0) })
        add("sluice.invocation.memory_size_mb", row.memorySizeMB.map { .int(Int64($0)) })
        add("sluice.invocation.max_memory_used_mb", row.maxMemoryUsedMB.map { .int(Int64($0)) })
        add("sluice.invocation.init_duration_ms", row.initDurationMs.map { .double($0) })
        add("error.type", row.errorType.map { .string($0) })
        add("sluice.invocation.cost_usd", row.costUSD.map { .double($0) })
        // Agents' trace ids are not always OTLP's 16 bytes: the text travels too.
        add("sluice.invocation.trace_id", row.traceID.map { .string($0) })
        record.attributes = attributes
        return record
    }

    static func record(_ row: EnvironmentRow) -> OTLPLogRecord {
        var record = OTLPLogRecord()
        record.eventName = SluiceConventions.environmentEvent
        record.timeUnixNano = nanos(row.lastMs)
        record.observedTimeUnixNano = record.timeUnixNano
        record.attributes = [
            OTLPKeyValue("sluice.environment.first_ms", .int(row.firstMs)),
            OTLPKeyValue("sluice.environment.last_ms", .int(row.lastMs)),
        ]
        return record
    }
}
