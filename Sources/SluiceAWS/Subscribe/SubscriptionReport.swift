/// What a `subscribe` or `unsubscribe` run found, did (or, in a dry run, would do), and could not do.
public struct SubscriptionReport: Sendable, Equatable {
    public enum Command: String, Sendable { case subscribe, unsubscribe }

    public struct Entry: Sendable, Equatable {
        public var logGroup: String
        public var action: SubscriptionPlanner.Action
        /// Set when applying the action failed.
        public var error: AWSError?
    }

    /// The resource-policy statement that lets CloudWatch Logs invoke a Lambda destination.
    public enum Permission: Sendable, Equatable {
        case notNeeded
        case add(statementID: String)
        case present(statementID: String)
        case remove(statementID: String)
        case kept(statementID: String)
        case failed(AWSError)
    }

    public var command: Command
    public var request: SubscriptionRequest
    public var dryRun: Bool
    public var entries: [Entry] = []
    public var permission: Permission = .notNeeded
    /// Problems that are not one group's: a named group that does not exist, a listing that failed.
    public var problems: [String] = []

    /// Whether everything asked for is in place (the exit status).
    public var succeeded: Bool {
        problems.isEmpty && entries.allSatisfy { $0.error == nil && !$0.action.isProblem }
            && { if case .failed = permission { return false } else { return true } }()
    }

    public var changed: Int { entries.filter { $0.action.changes && $0.error == nil }.count }

    /// For people: the plan or what was done, one line per log group, then the totals.
    public var text: String {
        var lines: [String] = []
        let verb = command == .subscribe ? "Subscribing" : "Unsubscribing"
        let pattern = request.filterPattern.isEmpty ? "every event" : "pattern \(request.filterPattern.count > 60 ? String(request.filterPattern.prefix(57)) + "..." : request.filterPattern)"
        lines.append((dryRun ? "Plan (dry run, nothing is changed): " : "") + "\(verb) filter '\(request.filterName)' → \(request.destinationArn) (\(pattern))")
        for entry in entries {
            lines.append("  " + describe(entry))
        }
        if entries.isEmpty && problems.isEmpty { lines.append("  no log group matches \(selectorText)") }
        switch permission {
        case .notNeeded: break
        case .add(let id): lines.append("  permission: \(dryRun ? "would add" : "added") statement \(id) letting logs.amazonaws.com invoke the function")
        case .present(let id): lines.append("  permission: unchanged (CloudWatch Logs may already invoke the function: statement \(id))")
        case .remove(let id): lines.append("  permission: \(dryRun ? "would remove" : "removed") statement \(id)")
        case .kept(let id): lines.append("  permission: statement \(id), if subscribe added it, is kept (other log groups may still use it; --remove-permission removes it)")
        case .failed(let error): lines.append("  permission: FAILED: \(error)")
        }
        for problem in problems { lines.append("  error: \(problem)") }
        let count = { (test: (SubscriptionPlanner.Action) -> Bool) in self.entries.filter { test($0.action) && $0.error == nil }.count }
        let failed = entries.filter { $0.error != nil }.count
        var totals: [String] = []
        switch command {
        case .subscribe:
            totals.append("\(count { $0 == .create }) \(dryRun ? "to create" : "created")")
            totals.append("\(count { if case .update = $0 { return true } else { return false } }) \(dryRun ? "to update" : "updated")")
            totals.append("\(count { $0 == .unchanged } + count { if case .coveredBy = $0 { return true } else { return false } }) unchanged")
            totals.append("\(count { $0.isProblem }) at the filter limit")
        case .unsubscribe:
            totals.append("\(count { $0 == .delete }) \(dryRun ? "to remove" : "removed")")
            totals.append("\(count { $0 == .notSubscribed }) not subscribed")
            totals.append("\(count { if case .foreign = $0 { return true } else { return false } }) left alone")
        }
        if failed > 0 { totals.append("\(failed) failed") }
        lines.append("\(entries.count) log group\(entries.count == 1 ? "" : "s"): " + totals.joined(separator: ", ")
                     + (changed == 0 && !dryRun && succeeded ? "; nothing to change" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    var selectorText: String {
        switch request.selector {
        case .prefix(let prefix): "prefix \(prefix)"
        case .pattern(let pattern): "pattern \(pattern)"
        case .names(let names): names.joined(separator: ", ")
        }
    }

    func describe(_ entry: Entry) -> String {
        let name = entry.logGroup
        let would = dryRun ? "would " : ""
        let line: String
        switch entry.action {
        case .create: line = "\(dryRun ? "would create" : "created") \(name)"
        case .update(let previous):
            let what = previous.destinationArn != request.destinationArn ? "destination was \(previous.destinationArn)" : "pattern was \(previous.filterPattern.isEmpty ? "empty" : previous.filterPattern)"
            line = "\(dryRun ? "would update" : "updated") \(name) (\(what))"
        case .unchanged: line = "unchanged \(name)"
        case .coveredBy(let filter): line = "unchanged \(name) (filter '\(filter)' already sends it to the destination)"
        case .limitReached(let existing):
            line = "SKIPPED \(name): it already has \(existing.count) subscription filters (\(existing.joined(separator: ", "))) and CloudWatch Logs allows \(SubscriptionPlanner.filtersPerLogGroup); delete one of them, then run again"
        case .delete: line = "\(would)remove\(dryRun ? "" : "d") \(name)"
        case .notSubscribed: line = "not subscribed \(name)"
        case .foreign(let destination): line = "left alone \(name) (its filter '\(request.filterName)' sends to \(destination), not to this destination)"
        }
        return entry.error.map { "FAILED \(name): \($0)" } ?? line
    }
}
