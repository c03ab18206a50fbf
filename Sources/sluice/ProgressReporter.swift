/// A one-line progress bar on standard error, for long replays on a terminal.
struct ProgressReporter {
    let total: Int
    let enabled: Bool
    let clock = ContinuousClock()
    private var lastDraw: ContinuousClock.Instant
    private var drawn = false

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
        self.lastDraw = clock.now
    }

    /// Redraws at most ten times a second.
    mutating func update(done: Int, events: Int, bytes: Int) {
        guard enabled else { return }
        let now = clock.now
        guard done == total || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        drawn = true
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        ProcessEnvironment.writeStandardError("\r[\(bar)] \(done)/\(total) inputs  \(events) events  \(bytes / 1_000_000) MB ")
    }

    mutating func finish() {
        guard enabled, drawn else { return }
        ProcessEnvironment.writeStandardError("\r" + String(repeating: " ", count: 78) + "\r")
    }
}
