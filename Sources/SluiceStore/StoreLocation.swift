/// Where `--store` points: `sqlite:PATH` (or a bare path) or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let defaultValue = "sqlite:./sluice.db"

    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(parsing: text))
            return
        }
        var path = Substring(text)
        if path.hasPrefix("sqlite://") { path = path.dropFirst("sqlite://".count) } else if path.hasPrefix("sqlite:") { path = path.dropFirst("sqlite:".count) }
        if path.isEmpty { throw .invalidLocation(text, reason: "no file path given") }
        if path.contains("://") { throw .invalidLocation(text, reason: "unknown scheme") }
        self = .sqlite(path: String(path))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL server and database (the password is never printed).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    init(parsing text: String) throws(StoreError) {
        let rest = text.drop(while: { $0 != ":" }).dropFirst(3)
        guard let slash = rest.firstIndex(of: "/") else { throw .invalidLocation(text, reason: "no database name after the host") }
        let authority = rest[..<slash]
        database = String(rest[rest.index(after: slash)...].prefix(while: { $0 != "?" }))
        if database.isEmpty { throw .invalidLocation(text, reason: "no database name after the host") }
        var hostPart = authority
        user = "postgres"
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        port = 5432
        if let colon = hostPart.lastIndex(of: ":") {
            guard let value = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(value) else {
                throw .invalidLocation(text, reason: "the port is not a number between 1 and 65535")
            }
            port = value
            hostPart = hostPart[..<colon]
        }
        host = hostPart.isEmpty ? "127.0.0.1" : String(hostPart)
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
