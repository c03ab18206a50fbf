/// One input to read payloads from: a file, or standard input.
public struct PayloadInput: Sendable, Equatable {
    /// How the input is named in summaries and errors: the path as given, or `stdin`.
    public var name: String
    /// The file's path; `nil` for standard input.
    public var path: String?

    public init(name: String, path: String?) {
        self.name = name
        self.path = path
    }

    public static let standardInput = PayloadInput(name: "stdin", path: nil)
}
