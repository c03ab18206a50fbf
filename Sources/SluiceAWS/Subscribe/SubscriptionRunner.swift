/// Runs `subscribe` and `unsubscribe`: lists the selected log groups and their filters, asks the planner
/// what to change, applies it (unless a dry run), and reports every group. One group's failure does not
/// stop the others.
public struct SubscriptionRunner: Sendable {
    let logs: CloudWatchLogsClient
    let lambda: LambdaAPIClient

    public init(client: AWSClient) {
        logs = CloudWatchLogsClient(client: client)
        lambda = LambdaAPIClient(client: client)
    }

    /// The statement id `subscribe` gives the permission it adds to a Lambda destination.
    public static func statementID(region: String) -> String { "sluice-cloudwatch-logs-\(region)" }

    /// `managePermission: false` leaves the Lambda permission alone (the deployed consumer's template owns it,
    /// and its role may not change its own policy).
    public func subscribe(_ request: SubscriptionRequest, dryRun: Bool, managePermission: Bool = true) async -> SubscriptionReport {
        var report = SubscriptionReport(command: .subscribe, request: request, dryRun: dryRun)
        let groups: [String]
        do { groups = try await selectedGroups(request.selector, report: &report) } catch {
            report.problems.append("could not list the log groups: \(error)")
            return report
        }
        var plans: [(String, Result<SubscriptionPlanner.Action, AWSError>)] = []
        for group in groups {
            do {
                plans.append((group, .success(SubscriptionPlanner.subscribe(request, existing: try await logs.subscriptionFilters(logGroupName: group)))))
            } catch {
                plans.append((group, .failure(error)))
            }
        }
        // CloudWatch Logs checks the permission when a filter is put: add it before, and only when a filter will be.
        let needsPermission = plans.contains { (try? $0.1.get().changes) == true }
        if managePermission, let function = LambdaFunctionReference(arn: request.destinationArn), needsPermission {
            report.permission = await ensurePermission(function, dryRun: dryRun)
        }
        for (group, plan) in plans {
            var entry = SubscriptionReport.Entry(logGroup: group, action: .unchanged)
            do {
                entry.action = try plan.get()
                if entry.action.changes && !dryRun {
                    try await logs.putSubscriptionFilter(.init(filterName: request.filterName, logGroupName: group, filterPattern: request.filterPattern,
                                                               destinationArn: request.destinationArn, roleArn: request.roleArn))
                }
            } catch {
                entry.error = error
            }
            report.entries.append(entry)
        }
        return report
    }

    public func unsubscribe(_ request: SubscriptionRequest, dryRun: Bool, removePermission: Bool) async -> SubscriptionReport {
        var report = SubscriptionReport(command: .unsubscribe, request: request, dryRun: dryRun)
        let groups: [String]
        do { groups = try await selectedGroups(request.selector, report: &report) } catch {
            report.problems.append("could not list the log groups: \(error)")
            return report
        }
        for group in groups {
            var entry = SubscriptionReport.Entry(logGroup: group, action: .notSubscribed)
            do {
                let existing = try await logs.subscriptionFilters(logGroupName: group)
                entry.action = SubscriptionPlanner.unsubscribe(request, existing: existing)
                if entry.action.changes && !dryRun {
                    try await logs.deleteSubscriptionFilter(logGroupName: group, filterName: request.filterName)
                }
            } catch {
                entry.error = error
            }
            report.entries.append(entry)
        }
        if let function = LambdaFunctionReference(arn: request.destinationArn) {
            let id = Self.statementID(region: function.region)
            if !removePermission {
                report.permission = .kept(statementID: id)
            } else if dryRun {
                report.permission = .remove(statementID: id)
            } else {
                do {
                    try await lambda.removePermission(function: function, statementID: id)
                    report.permission = .remove(statementID: id)
                } catch where error.code == "ResourceNotFoundException" {
                    report.permission = .notNeeded
                } catch {
                    report.permission = .failed(error)
                }
            }
        }
        return report
    }

    /// The names the selector picks, in CloudWatch Logs' order; a named group that does not exist is a problem.
    func selectedGroups(_ selector: LogGroupSelector, report: inout SubscriptionReport) async throws(AWSError) -> [String] {
        switch selector {
        case .prefix(let prefix):
            return try await logs.logGroups(prefix: prefix).map(\.logGroupName).filter(selector.matcher())
        case .pattern:
            return try await logs.logGroups(prefix: nil).map(\.logGroupName).filter(selector.matcher())
        case .names(let names):
            var found: [String] = []
            for name in names where !found.contains(name) {
                if try await logs.logGroups(prefix: name).contains(where: { $0.logGroupName == name }) {
                    found.append(name)
                } else {
                    report.problems.append("log group \(name) does not exist")
                }
            }
            return found
        }
    }

    /// Lets `logs.amazonaws.com` invoke the function from this account's log groups in its region; a
    /// statement already there under Sluice's id is left as it is.
    func ensurePermission(_ function: LambdaFunctionReference, dryRun: Bool) async -> SubscriptionReport.Permission {
        let id = Self.statementID(region: function.region)
        guard !dryRun else { return .add(statementID: id) }
        let permission = LambdaAPIClient.Permission(
            statementID: id, principal: "logs.amazonaws.com",
            sourceArn: "arn:\(function.partition):logs:\(function.region):\(function.account):log-group:*", sourceAccount: function.account)
        do {
            try await lambda.addPermission(function: function, permission)
            return .add(statementID: id)
        } catch where error.code == "ResourceConflictException" {
            return .present(statementID: id)
        } catch {
            return .failed(error)
        }
    }
}
