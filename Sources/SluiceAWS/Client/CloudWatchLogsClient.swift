import FoundationEssentials

/// The CloudWatch Logs operations subscribing needs (AWS JSON 1.1, `Logs_20140328`).
public struct CloudWatchLogsClient: Sendable {
    let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// A log group as DescribeLogGroups lists it (the fields Sluice reads).
    public struct LogGroup: Sendable, Equatable, Decodable {
        public var logGroupName: String
        public var arn: String?
        public init(logGroupName: String, arn: String? = nil) {
            self.logGroupName = logGroupName
            self.arn = arn
        }
    }

    /// A subscription filter, as DescribeSubscriptionFilters lists it and PutSubscriptionFilter takes it.
    public struct SubscriptionFilter: Sendable, Equatable, Codable {
        public var filterName: String
        public var logGroupName: String
        public var filterPattern: String
        public var destinationArn: String
        public var roleArn: String?
        public var distribution: String?

        public init(filterName: String, logGroupName: String, filterPattern: String, destinationArn: String, roleArn: String? = nil,
                    distribution: String? = nil) {
            self.filterName = filterName
            self.logGroupName = logGroupName
            self.filterPattern = filterPattern
            self.destinationArn = destinationArn
            self.roleArn = roleArn
            self.distribution = distribution
        }
    }

    /// Every log group whose name starts with `prefix` (all of them for nil), following `nextToken`.
    /// `maxPages` bounds the walk (50 groups a page).
    public func logGroups(prefix: String?, maxPages: Int = 10_000) async throws(AWSError) -> [LogGroup] {
        struct Request: Encodable {
            var logGroupNamePrefix: String?
            var nextToken: String?
            var limit = 50
        }
        struct Response: Decodable {
            var logGroups: [LogGroup]?
            var nextToken: String?
        }
        return try await pages(maxPages) { (token: String?) async throws(AWSError) in
            let page: Response = try await call("DescribeLogGroups", Request(logGroupNamePrefix: prefix, nextToken: token))
            return (page.logGroups ?? [], page.nextToken)
        }
    }

    /// The subscription filters of one log group (at most two, but the answer is paged like any other).
    public func subscriptionFilters(logGroupName: String, maxPages: Int = 100) async throws(AWSError) -> [SubscriptionFilter] {
        struct Request: Encodable {
            var logGroupName: String
            var nextToken: String?
        }
        struct Response: Decodable {
            var subscriptionFilters: [SubscriptionFilter]?
            var nextToken: String?
        }
        return try await pages(maxPages) { (token: String?) async throws(AWSError) in
            let page: Response = try await call("DescribeSubscriptionFilters", Request(logGroupName: logGroupName, nextToken: token))
            return (page.subscriptionFilters ?? [], page.nextToken)
        }
    }

    /// Follows `nextToken` until a page has none (or repeats it), at most `maxPages` pages.
    func pages<Item>(_ maxPages: Int, _ fetch: (String?) async throws(AWSError) -> ([Item], String?)) async throws(AWSError) -> [Item] {
        var items: [Item] = []
        var token: String?
        for _ in 0..<maxPages {
            let (page, next) = try await fetch(token)
            items += page
            guard let next, !next.isEmpty, next != token else { return items }
            token = next
        }
        return items
    }

    /// Creates the filter, or replaces the one of the same name on that log group.
    public func putSubscriptionFilter(_ filter: SubscriptionFilter) async throws(AWSError) {
        let _: Empty = try await call("PutSubscriptionFilter", filter)
    }

    /// Deletes one filter; AWS answers `ResourceNotFoundException` when there is none of that name.
    public func deleteSubscriptionFilter(logGroupName: String, filterName: String) async throws(AWSError) {
        struct Request: Encodable {
            var logGroupName: String
            var filterName: String
        }
        let _: Empty = try await call("DeleteSubscriptionFilter", Request(logGroupName: logGroupName, filterName: filterName))
    }

    struct Empty: Decodable {}

    func call<Request: Encodable, Response: Decodable>(_ operation: String, _ request: Request) async throws(AWSError) -> Response {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(request))
        } catch {
            throw .malformedResponse(service: "logs", operation: operation, problem: "could not encode the request: \(error)")
        }
        let answer = try await client.jsonCall(.cloudWatchLogs, targetPrefix: "Logs_20140328", operation: operation, body: body)
        do {
            return try JSONDecoder().decode(Response.self, from: Data(answer.isEmpty ? Array("{}".utf8) : answer))
        } catch {
            throw .malformedResponse(service: "logs", operation: operation, problem: "\(error)")
        }
    }
}
