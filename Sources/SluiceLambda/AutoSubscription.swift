import FoundationEssentials
import SluiceAWS

/// Subscribing log groups as they are created: an EventBridge rule on CloudTrail's `CreateLogGroup`
/// invokes the consumer with the event, and the consumer puts its own subscription filter on the new group
/// when its name starts with the configured prefix.
public struct AutoSubscription: Sendable {
    /// `SLUICE_AUTO_SUBSCRIBE_PREFIX`.
    public var prefix: String
    /// `SLUICE_FILTER_NAME` (default `sluice`).
    public var filterName: String
    /// `SLUICE_FILTER_PATTERN` (default: platform, telemetry and error lines).
    public var filterPattern: String
    /// `SLUICE_DESTINATION_ARN`; by default the ARN the consumer was invoked by.
    public var destinationArn: String?

    /// The settings, nil when no prefix is set, and every problem found.
    static func fromEnvironment(_ environment: [String: String]) -> (AutoSubscription?, [String]) {
        guard let prefix = environment["SLUICE_AUTO_SUBSCRIBE_PREFIX"], !prefix.isEmpty else { return (nil, []) }
        let subscription = AutoSubscription(prefix: prefix, filterName: environment["SLUICE_FILTER_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? SubscriptionDefaults.filterName,
                                            filterPattern: environment["SLUICE_FILTER_PATTERN"] ?? SubscriptionDefaults.filterPattern,
                                            destinationArn: environment["SLUICE_DESTINATION_ARN"].flatMap { $0.isEmpty ? nil : $0 })
        let probe = SubscriptionRequest(destinationArn: subscription.destinationArn ?? "arn:aws:lambda:us-east-1:000000000000:function:probe",
                                        selector: .prefix(prefix), filterName: subscription.filterName, filterPattern: subscription.filterPattern)
        return (subscription, probe.validate().map { "auto-subscription: \($0)" })
    }

    /// The log group a CloudTrail `CreateLogGroup` event delivered by EventBridge names, or nil when the
    /// document is not such an event.
    static func createdLogGroup(in body: [UInt8]) -> String? {
        struct Event: Decodable {
            struct Detail: Decodable {
                struct Parameters: Decodable { var logGroupName: String? }
                var eventName: String?
                var requestParameters: Parameters?
            }
            var detail: Detail?
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: Data(body)), event.detail?.eventName == "CreateLogGroup" else { return nil }
        return event.detail?.requestParameters?.logGroupName
    }

    /// Whether `body` is an EventBridge event rather than a subscription payload: EventBridge documents
    /// carry `detail-type` near their start; a subscription event is `{"awslogs":...}`.
    static func isEventBridgeEvent(_ body: [UInt8]) -> Bool {
        let head = body.prefix(1024)
        return head.firstRange(of: Array(#""detail-type""#.utf8)) != nil && head.firstRange(of: Array(#""awslogs""#.utf8)) == nil
    }
}
