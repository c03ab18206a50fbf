import SluiceTelemetry

/// Where results are stored and for how long: `--store`/`SLUICE_STORE` and `--retention`/`SLUICE_RETENTION`.
public struct StoreConfiguration: Sendable, Equatable {
    public var location: StoreLocation
    /// Items older than this many milliseconds are deleted; nil keeps everything.
    public var retentionMs: Int64?

    /// Flags over the environment over the defaults; nil with every problem when they cannot be used.
    public static func resolve(store: String?, retention: String?, environment: [String: String]) -> (StoreConfiguration?, [String]) {
        var problems: [String] = []
        var retentionMs: Int64?
        if let value = retention ?? environment["SLUICE_RETENTION"] {
            if let parsed = DurationText.milliseconds(value) { retentionMs = parsed } else {
                problems.append("retention '\(value)' is not a duration such as 30d, 12h, 15m or 90s")
            }
        }
        var location: StoreLocation?
        do { location = try StoreLocation(parsing: store ?? environment["SLUICE_STORE"] ?? StoreLocation.defaultValue) } catch {
            problems.append(error.description)
        }
        guard problems.isEmpty, let location else { return (nil, problems) }
        return (StoreConfiguration(location: location, retentionMs: retentionMs), [])
    }
}
