/// Decides, from what CloudWatch Logs says exists, what `subscribe` or `unsubscribe` must change. Pure:
/// the runner fetches and applies, the planner only compares, so idempotence and the two-filter limit
/// are decided in one place and tested without a network.
public enum SubscriptionPlanner {
    /// CloudWatch Logs allows this many subscription filters per log group.
    public static let filtersPerLogGroup = 2

    /// What to do to one log group.
    public enum Action: Sendable, Equatable {
        case create
        /// Sluice's filter exists but sends elsewhere or with another pattern.
        case update(previous: CloudWatchLogsClient.SubscriptionFilter)
        case unchanged
        /// Another filter already sends this group to the destination; a second would send every event twice.
        case coveredBy(filterName: String)
        /// The group has its two filters already, none of them Sluice's.
        case limitReached(existing: [String])
        case delete
        case notSubscribed
        /// A filter with Sluice's name sends to another destination: not ours to remove.
        case foreign(destinationArn: String)

        /// Whether applying it calls CloudWatch Logs.
        public var changes: Bool {
            switch self {
            case .create, .update, .delete: true
            default: false
            }
        }

        /// Whether the group could not be put in the state asked for.
        public var isProblem: Bool {
            if case .limitReached = self { return true }
            return false
        }
    }

    public static func subscribe(_ request: SubscriptionRequest, existing: [CloudWatchLogsClient.SubscriptionFilter]) -> Action {
        if let ours = existing.first(where: { $0.filterName == request.filterName }) {
            let same = ours.destinationArn == request.destinationArn && ours.filterPattern == request.filterPattern
                && (ours.roleArn ?? "") == (request.roleArn ?? "")
            return same ? .unchanged : .update(previous: ours)
        }
        if let other = existing.first(where: { $0.destinationArn == request.destinationArn }) {
            return .coveredBy(filterName: other.filterName)
        }
        if existing.count >= filtersPerLogGroup {
            return .limitReached(existing: existing.map(\.filterName))
        }
        return .create
    }

    public static func unsubscribe(_ request: SubscriptionRequest, existing: [CloudWatchLogsClient.SubscriptionFilter]) -> Action {
        guard let ours = existing.first(where: { $0.filterName == request.filterName }) else { return .notSubscribed }
        return ours.destinationArn == request.destinationArn ? .delete : .foreign(destinationArn: ours.destinationArn)
    }
}
