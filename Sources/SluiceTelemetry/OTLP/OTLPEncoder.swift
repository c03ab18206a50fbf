import FoundationEssentials
import SluiceOTLP
import SluicePipeline
import SwiftProtobuf

/// Turns a ``TelemetryBatch`` into OTLP export requests. Pure.
///
/// Resources follow OpenTelemetry's semantic conventions (`cloud.*`, `faas.name`, `faas.instance`,
/// `aws.log.group.names`, `aws.log.stream.names`). Invocations travel as log events named
/// `aws.lambda.invocation` and execution environments as `sluice.execution_environment` events, so a
/// `serve` on the other side stores exactly what a local replay stores; per-function window metrics
/// (`faas.invocations`, `faas.invoke_duration`, ...) are added for any other backend.
public struct OTLPEncoder: Sendable {
    /// Width of the windows of the derived `faas.*` metrics, in milliseconds.
    public var windowMilliseconds: Int64

    public init(windowMilliseconds: Int64 = 60_000) {
        self.windowMilliseconds = windowMilliseconds
    }

    public func traces(_ batch: TelemetryBatch) -> OTLPTraceRequest {
        var groups: [ResourceKey: [OTLPSpan]] = [:]
        var order: [ResourceKey] = []
        for row in batch.spans {
            let key = ResourceKey(owner: row.owner, logGroup: row.logGroup, function: row.function, logStream: nil)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(Self.span(row.span))
        }
        var request = OTLPTraceRequest()
        request.resourceSpans = order.map { key in
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            resourceSpans.resource = key.resource
            var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
            scope.scope = Self.scope(SluiceConventions.scopeName)
            scope.spans = groups[key] ?? []
            resourceSpans.scopeSpans = [scope]
            return resourceSpans
        }
        return request
    }

    static func span(_ span: SpanRecord) -> OTLPSpan {
        var out = OTLPSpan()
        out.traceID = Data(OTLPIdentifiers.bytes(hex: span.traceID) ?? [])
        out.spanID = Data(OTLPIdentifiers.bytes(hex: span.spanID) ?? [])
        if let parent = span.parentSpanID { out.parentSpanID = Data(OTLPIdentifiers.bytes(hex: parent) ?? []) }
        out.name = span.name
        out.kind = OTLPSpan.SpanKind(span.kind)
        out.startTimeUnixNano = UInt64(clamping: span.startNanos)
        out.endTimeUnixNano = UInt64(clamping: span.startNanos + span.durationNanos)
        var attributes = span.attributes.map(OTLPKeyValue.init)
        if let id = span.requestID { attributes.append(OTLPKeyValue(SluiceConventions.requestID, .string(id))) }
        attributes.append(OTLPKeyValue("sluice.producer", .string(span.producer.rawValue)))
        out.attributes = attributes
        switch span.status {
        case .unset: break
        case .ok: out.status.code = .ok
        case .error(let message):
            out.status.code = .error
            out.status.message = message ?? ""
        }
        return out
    }

    static func scope(_ name: String) -> OTLPScope {
        var scope = OTLPScope()
        scope.name = name
        scope.version = SluiceVersion.current
        return scope
    }
}

/// The version written into OTLP scopes.
public enum SluiceVersion {
    public static let current = "0.3.0"
}

/// Who a group of items is about: one OTLP resource.
struct ResourceKey: Hashable {
    var owner: String
    var logGroup: String
    var function: String
    var logStream: String?

    var resource: OTLPResource {
        var resource = OTLPResource()
        var attributes = [
            OTLPKeyValue("cloud.provider", .string("aws")),
            OTLPKeyValue("cloud.platform", .string("aws_lambda")),
            OTLPKeyValue("service.name", .string(function)),
            OTLPKeyValue("faas.name", .string(function)),
            OTLPKeyValue("aws.log.group.names", strings: [logGroup]),
        ]
        if !owner.isEmpty { attributes.insert(OTLPKeyValue("cloud.account.id", .string(owner)), at: 2) }
        if let logStream {
            attributes.append(OTLPKeyValue("aws.log.stream.names", strings: [logStream]))
            attributes.append(OTLPKeyValue("faas.instance", .string(logStream)))
        }
        resource.attributes = attributes
        return resource
    }
}

extension OTLPKeyValue {
    init(_ attribute: Attribute) {
        self.init(attribute.key, attribute.value)
    }

    init(_ key: String, _ value: AttributeValue) {
        self.init()
        self.key = key
        var any = OTLPAnyValue()
        switch value {
        case .string(let s): any.stringValue = s
        case .int(let i): any.intValue = i
        case .double(let d): any.doubleValue = d
        case .bool(let b): any.boolValue = b
        }
        self.value = any
    }

    init(_ key: String, strings: [String]) {
        self.init()
        self.key = key
        var array = Opentelemetry_Proto_Common_V1_ArrayValue()
        array.values = strings.map { text in
            var any = OTLPAnyValue()
            any.stringValue = text
            return any
        }
        value.arrayValue = array
    }
}

extension OTLPSpan.SpanKind {
    init(_ kind: SpanKind) {
        switch kind {
        case .unspecified: self = .unspecified
        case .internal: self = .internal
        case .server: self = .server
        case .client: self = .client
        case .producer: self = .producer
        case .consumer: self = .consumer
        }
    }
}
