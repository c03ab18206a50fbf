/// What `sluice subscribe` / `unsubscribe` was asked to do: which log groups, to which destination,
/// under which filter.
public struct SubscriptionRequest: Sendable, Equatable {
    public var destinationArn: String
    public var selector: LogGroupSelector
    public var filterName: String
    public var filterPattern: String
    /// The role CloudWatch Logs assumes for Kinesis and Firehose destinations (Lambda needs none).
    public var roleArn: String?

    public init(destinationArn: String, selector: LogGroupSelector, filterName: String = SubscriptionDefaults.filterName,
                filterPattern: String = SubscriptionDefaults.filterPattern, roleArn: String? = nil) {
        self.destinationArn = destinationArn
        self.selector = selector
        self.filterName = filterName
        self.filterPattern = filterPattern
        self.roleArn = roleArn
    }

    /// Every problem with the request, before any call is made.
    public func validate() -> [String] {
        var problems: [String] = []
        let parts = destinationArn.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count < 6 || parts[0] != "arn" || !["lambda", "kinesis", "firehose", "logs"].contains(parts[2]) {
            problems.append("--destination-arn '\(destinationArn)' is not the ARN of a Lambda function, Kinesis stream, Firehose stream or CloudWatch Logs destination")
        } else if parts[2] == "lambda" && LambdaFunctionReference(arn: destinationArn) == nil {
            problems.append("--destination-arn '\(destinationArn)' is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)")
        } else if (parts[2] == "kinesis" || parts[2] == "firehose") && roleArn == nil {
            problems.append("a \(parts[2]) destination needs --role-arn, the role CloudWatch Logs assumes to write to it")
        }
        if filterName.isEmpty || filterName.utf8.count > 512 || filterName.contains(":") || filterName.contains("*") {
            problems.append("--filter-name '\(filterName)' must be 1 to 512 characters without ':' or '*'")
        }
        if filterPattern.utf8.count > 1024 {
            problems.append("--filter-pattern is \(filterPattern.utf8.count) bytes; CloudWatch Logs accepts at most 1024")
        }
        problems += selector.validate()
        return problems
    }
}

/// Which log groups a command applies to.
public enum LogGroupSelector: Sendable, Equatable {
    /// Names starting with a prefix (CloudWatch Logs filters them server side).
    case prefix(String)
    /// Names a regular expression finds a match in (anchor it with `^` and `$` for whole names).
    case pattern(String)
    /// These log groups exactly; each must exist.
    case names([String])

    func validate() -> [String] {
        switch self {
        case .prefix(let prefix):
            return prefix.isEmpty ? ["--log-group-prefix is empty: name a prefix such as /aws/lambda/"] : []
        case .pattern(let pattern):
            do {
                _ = try Regex(pattern)
                return []
            } catch {
                return ["--log-group-pattern '\(pattern)' is not a regular expression: \(error)"]
            }
        case .names(let names):
            return names.isEmpty ? ["name at least one --log-group"] : names.filter(\.isEmpty).isEmpty ? [] : ["a --log-group name is empty"]
        }
    }

    /// Whether `name` is selected (the server already applied a prefix; names and patterns are checked here).
    public func selects(_ name: String) -> Bool { matcher()(name) }

    /// The test for names, with a pattern compiled once rather than for every name.
    func matcher() -> (String) -> Bool {
        switch self {
        case .prefix(let prefix):
            return { $0.hasPrefix(prefix) }
        case .pattern(let pattern):
            guard let regex = try? Regex(pattern) else { return { _ in false } }
            return { $0.firstMatch(of: regex) != nil }
        case .names(let names):
            let set = Set(names)
            return { set.contains($0) }
        }
    }
}
