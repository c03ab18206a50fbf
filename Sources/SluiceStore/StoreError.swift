/// Why a store could not be opened, written or read.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--store` value is not a store URL Sluice knows.
    case invalidLocation(String, reason: String)
    /// The database could not be opened or its schema brought up to date.
    case cannotOpen(location: String, reason: String)
    /// The schema in the database is newer than this Sluice.
    case schemaTooNew(location: String, found: Int, supported: Int)
    case writeFailed(location: String, reason: String)
    case readFailed(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLocation(let text, let reason):
            "store '\(text)' is not usable: \(reason) (use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE)"
        case .cannotOpen(let location, let reason): "cannot open the store \(location): \(reason)"
        case .schemaTooNew(let location, let found, let supported):
            "the store \(location) has schema version \(found), newer than this sluice understands (\(supported)); upgrade sluice"
        case .writeFailed(let location, let reason): "writing to the store \(location) failed: \(reason)"
        case .readFailed(let location, let reason): "reading the store \(location) failed: \(reason)"
        }
    }
}
