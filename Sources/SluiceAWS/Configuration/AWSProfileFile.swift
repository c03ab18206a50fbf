/// The INI format of `~/.aws/credentials` and `~/.aws/config`: `[section]` headers, `key = value` lines,
/// `#` and `;` comments. Indented lines (nested settings such as `s3 =` blocks) are skipped.
public struct AWSProfileFile: Sendable, Equatable {
    var sections: [String: [String: String]] = [:]

    public init(parsing text: String) {
        var current: String?
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if raw.first == " " || raw.first == "\t" { continue }
            let line = raw.trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    current = nil
                    continue
                }
                let name = line[line.index(after: line.startIndex)..<close].trimmingWhitespace
                current = name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace.lowercased()
            sections[current, default: [:]][key] = String(line[line.index(after: equals)...].trimmingWhitespace)
        }
    }

    /// The settings under `[name]`, or nil when there is no such section.
    public func section(_ name: String) -> [String: String]? { sections[name] }
}

extension StringProtocol {
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return Substring(self[first...last])
    }
}
