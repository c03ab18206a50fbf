extension IntakeConfiguration {
    /// The environment variables that set the intake's bounds, with the property each sets.
    public static var environmentKeys: [(name: String, keyPath: WritableKeyPath<IntakeConfiguration, Int>)] {
        [
        ("SLUICE_MAX_DECOMPRESSED_BYTES", \.maxDecompressedBytes),
        ("SLUICE_MAX_EVENTS", \.maxEventsPerPayload),
        ("SLUICE_MAX_MESSAGE_BYTES", \.maxMessageBytes),
        ("SLUICE_MAX_JSON_DEPTH", \.maxJSONDepth),
        ]
    }

    /// Applies the `SLUICE_*` variables found in `environment` to `base`; returns the result and every
    /// value that is not a whole number (the rest still applied).
    public static func fromEnvironment(_ environment: [String: String], base: IntakeConfiguration = .default) -> (IntakeConfiguration, [String]) {
        var configuration = base
        var problems: [String] = []
        for (name, keyPath) in environmentKeys {
            guard let text = environment[name] else { continue }
            if let value = Int(text) {
                configuration[keyPath: keyPath] = value
            } else {
                problems.append("\(name)=\(text) is not a whole number")
            }
        }
        return (configuration, problems)
    }
}
