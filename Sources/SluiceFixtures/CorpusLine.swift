import SluicePipeline

/// One captured log line of the shared corpus (`lines/*.jsonl`, `platform/*.jsonl`).
struct CorpusLine {
    var producer: String
    /// The execution environment (log stream) it was captured in; 1 when the file has none.
    var sandbox: Int
    var message: String
    /// Capture time offset in milliseconds, when known.
    var offsetMilliseconds: Int64?

    /// Reads every line of a corpus JSONL file. `producer` is used when a line does not name one.
    static func load(_ path: String, producer: String) throws -> [CorpusLine] {
        let bytes = try FileSystem.read(path)
        var lines: [CorpusLine] = []
        var number = 0
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            number += 1
            let value: JSONValue
            do {
                value = try JSONValue.parse(raw)
            } catch {
                throw FileSystem.Failure(description: "\(path):\(number): \(error)")
            }
            guard let message = value["message"]?.stringValue else {
                throw FileSystem.Failure(description: "\(path):\(number): no \"message\" string")
            }
            lines.append(CorpusLine(
                producer: value["producer"]?.stringValue ?? producer,
                sandbox: Int(value["sandbox"]?.int64Value ?? 1),
                message: message,
                offsetMilliseconds: value["t_ms"]?.int64Value))
        }
        return lines
    }
}
