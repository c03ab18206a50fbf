// Intake benchmark: zlib inflate alone versus the whole intake (base64 + inflate + JSON + event
// extraction) on the same payloads, in one process, printed as ratios. Run on demand:
//   swift run -c release SluiceBenchmark [Fixtures/benchmark]
// It also replays the 1 MB payload with the release `sluice` binary in a child process and prints that
// process's peak resident memory.
#if canImport(Glibc)
import Glibc
#endif
import CDeflate
import CZlib
import SluicePipeline
import SluiceSources
import SluiceTelemetry

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

/// Median time of `body` over repeated runs lasting about `budget`.
func measure(_ budget: Duration = .milliseconds(1500), _ body: () -> Void) -> Duration {
    let clock = ContinuousClock()
    for _ in 0..<3 { body() }
    var samples: [Duration] = []
    let end = clock.now + budget
    while clock.now < end || samples.count < 11 {
        let start = clock.now
        body()
        samples.append(clock.now - start)
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// zlib alone, inflating into a buffer allocated once: the floor of the job.
func inflateOnly(_ compressed: [UInt8], into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
    var stream = z_stream()
    _ = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    defer { inflateEnd(&stream) }
    return compressed.withUnsafeBufferPointer { input in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress
        stream.avail_out = UInt32(output.count)
        _ = inflate(&stream, Z_FINISH)
        return Int(stream.total_out)
    }
}

/// libdeflate alone, in one call into the same buffer: what the intake's inflate now costs.
func inflateWholeOnly(_ compressed: [UInt8], into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
    guard let decompressor = libdeflate_alloc_decompressor() else { return 0 }
    defer { libdeflate_free_decompressor(decompressor) }
    var produced = 0
    _ = compressed.withUnsafeBufferPointer { input in
        libdeflate_gzip_decompress(decompressor, input.baseAddress, input.count, output.baseAddress, output.count, &produced)
    }
    return produced
}

/// Medians of `a` and `b` timed alternately (a, b, a, b, ...), and the median of their per-pair
/// ratios: frequency changes and neighbours on the machine then affect both alike.
func measurePair(_ budget: Duration = .seconds(3), _ a: () -> Void, _ b: () -> Void) -> (a: Duration, b: Duration, ratio: Double) {
    let clock = ContinuousClock()
    for _ in 0..<3 { a(); b() }
    var sa: [Duration] = [], sb: [Duration] = [], ratios: [Double] = []
    let end = clock.now + budget
    while clock.now < end || sa.count < 21 {
        let t0 = clock.now
        a()
        let t1 = clock.now
        b()
        let t2 = clock.now
        sa.append(t1 - t0)
        sb.append(t2 - t1)
        ratios.append((t2 - t1).seconds / (t1 - t0).seconds)
    }
    sa.sort(); sb.sort(); ratios.sort()
    return (sa[sa.count / 2], sb[sb.count / 2], ratios[ratios.count / 2])
}

func microseconds(_ d: Duration) -> String {
    let us = d.seconds * 1e6
    return String(Int(us.rounded())) + " µs"
}

func ratio(_ a: Duration, _ b: Duration) -> String {
    format(a.seconds / b.seconds)
}

/// `r` with `decimals` digits after the point: two for ratios, three for the small shares of recognition's
/// classes (two hid changes of a tenth).
func format(_ r: Double, decimals: Int = 2) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((r * Double(scale)).rounded())
    let fraction = String(scaled % scale)
    return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

/// Runs `executable` as `sluice` (the one binary picks its role by its name) under GNU time and returns
/// its peak RSS in kB.
///
/// Not `wait4`'s own figure for a child of this process: Linux starts a child's high-water mark at the
/// resident size of the process it was forked from when it execs, so it would report this benchmark's
/// memory. GNU time is a small program, so its children's marks are their own.
func peakRSS(executable: String, arguments: [String]) throws -> Int {
    let folder = "/tmp/sluice-rss-\(getpid())"
    mkdir(folder, 0o700)
    let link = folder + "/sluice", report = folder + "/rss"
    defer { unlink(link); unlink(report); rmdir(folder) }
    var cwd = [CChar](repeating: 0, count: 4096)
    let target = executable.hasPrefix("/") ? executable : String(cString: getcwd(&cwd, cwd.count)) + "/" + executable
    guard symlink(target, link) == 0 else { throw BenchmarkFailure(description: "cannot link \(link) to \(target)") }
    var pid: pid_t = 0
    var devnull = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&devnull)
    posix_spawn_file_actions_addopen(&devnull, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&devnull) }
    let argv = (["/usr/bin/time", "-f", "%M", "-o", report, link] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    guard posix_spawn(&pid, "/usr/bin/time", &devnull, nil, argv, environ) == 0 else {
        throw BenchmarkFailure(description: "cannot start /usr/bin/time (Debian package `time`)")
    }
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    // GNU time reports its own peak when it cannot run the program (exit 127): a figure of about 1 MB that
    // measured nothing. Only a run that exited 0 counts.
    let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    guard exitCode == 0 else {
        throw BenchmarkFailure(description: "\(executable) \(arguments.joined(separator: " ")) under /usr/bin/time ended with status \(exitCode) (-1: a signal)")
    }
    var text = ""
    if let file = fopen(report, "r") {
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        fclose(file)
    }
    guard let kilobytes = Int(text.filter(\.isNumber)), !text.isEmpty else { throw BenchmarkFailure(description: "GNU time reported no peak RSS for \(executable) \(arguments)") }
    return kilobytes
}

// `--profile-intake [--recognition [--class NAME] | --tape | --aggregation | --batch | --otlp | --ingest] [--iterations N [--after-inflate]]`: only that stage, for a few seconds, for `perf record`.
let profileOnly = CommandLine.arguments.contains("--profile-intake")
/// `--iterations N`: the profiled stage exactly N times instead of for four seconds, printing the fastest
/// and the median run: the fastest is what two builds are compared by on a noisy machine.
let iterations = CommandLine.arguments.firstIndex(of: "--iterations").flatMap { flag in
    flag + 1 < CommandLine.arguments.count ? Int(CommandLine.arguments[flag + 1]) : nil
}

/// `--after-inflate`: each run follows an inflate of the payload, untimed, as in the ratios the full
/// benchmark prints (the stage then finds its data evicted from the cache, as in the pipeline).
let afterInflate = CommandLine.arguments.contains("--after-inflate")

func profile(before: () -> Void, _ body: () -> Void) {
    if let iterations {
        let clock = ContinuousClock()
        var runs: [Duration] = []
        for _ in 0..<iterations {
            if afterInflate { before() }
            let start = clock.now
            body()
            runs.append(clock.now - start)
        }
        runs.sort()
        if let fastest = runs.first {
            print("runs \(iterations): fastest \(fastest.seconds * 1e6) µs, median \(runs[runs.count / 2].seconds * 1e6) µs")
        }
    } else {
        _ = measure(.seconds(4), body)
    }
}
let folder = zip(CommandLine.arguments.dropFirst(), CommandLine.arguments)
    .first(where: { !$0.0.hasPrefix("--") && $0.1 != "--class" && $0.1 != "--iterations" })?.0 ?? "Fixtures/benchmark"
print("Sluice intake benchmark (median of repeated runs, one process; malloc: jemalloc \(Allocator.version ?? "without a version"), as in sluice)")
print("payload                     events  compressed  decompressed   inflate     intake   intake/inflate  events/s")
for name in ["mixed-250k", "mixed-1m"] {
    let path = "\(folder)/\(name).json"
    let event = try PayloadFileSource.read(PayloadInput(name: path, path: path))
    // The gzip bytes inside the Lambda event, for the inflate-only baseline.
    guard case .object(let members) = try JSONValue.parse(event), let data = members.first?.value["data"]?.stringValue else {
        throw BenchmarkFailure(description: "\(path) is not a Lambda event")
    }
    let compressed = try Base64Decoder.decode(Array(data.utf8), field: "awslogs.data")
    let decoder = PayloadDecoder()
    let check = decoder.decode(event, source: path)
    guard check.rejections.isEmpty, let message = check.messages.first else {
        throw BenchmarkFailure(description: "\(path): \(check.rejections)")
    }
    let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: check.bytesDecoded + 1024)
    defer { output.deallocate() }
    var sink = 0
    if profileOnly {
        let inflateFirst = { sink &+= inflateOnly(compressed, into: output) }
        // For `perf record`: nothing but the intake (or the recognition), for a few seconds.
        if CommandLine.arguments.contains("--ingest") {
            // The Lambda consumer's work up to the batch: decode, deduplicate, recognise, aggregate, sample.
            let ingestor = PayloadIngestor()
            profile(before: inflateFirst) { sink &+= ingestor.ingest(event, source: path).batch.itemCount }
        } else if CommandLine.arguments.contains("--otlp") {
            var builder = TelemetryBatchBuilder()
            var recognizer = Recognizer()
            builder.add(recognizer.recognize(message))
            var batch = builder.takeBatch()
            batch.spans = builder.takeSpans(keeping: nil)
            let encoder = OTLPEncoder()
            profile(before: inflateFirst) {
                sink &+= encoder.traces(batch).count + encoder.logs(batch).count + encoder.metrics(batch).count
            }
        } else if CommandLine.arguments.contains("--batch") {
            var recognizer = Recognizer()
            let recognized = recognizer.recognize(message)
            profile(before: inflateFirst) {
                var builder = TelemetryBatchBuilder()
                builder.add(recognized)
                sink &+= builder.takeBatch().itemCount
            }
        } else if CommandLine.arguments.contains("--aggregation") {
            var recognizer = Recognizer()
            let recognized = recognizer.recognize(message)
            profile(before: inflateFirst) {
                var functions = FunctionAggregator()
                var metrics = MetricAggregator()
                functions.add(recognized)
                metrics.add(recognized)
                sink &+= functions.windows.count + metrics.count
            }
        } else if CommandLine.arguments.contains("--tape") {
            // The JSON tapes recognition builds: of every event that is one JSON document.
            let documents: [[UInt8]] = message.events.map { event in message.withBytes(of: event.message) { Array($0) } }
                .filter { $0.first == UInt8(ascii: "{") || $0.first == UInt8(ascii: "[") }
            profile(before: inflateFirst) {
                for document in documents {
                    sink &+= document.withUnsafeBufferPointer { (try? JSONTape($0, maxDepth: 128))?.count ?? 0 }
                }
            }
        } else if CommandLine.arguments.contains("--recognition") {
            // `--class NAME`: only the events the classifier puts in that class.
            var part = message
            if let flag = CommandLine.arguments.firstIndex(of: "--class"), flag + 1 < CommandLine.arguments.count {
                part.events = message.events.filter { event in
                    message.withBytes(of: event.message) { MessageClassifier.classify($0).rawValue } == CommandLine.arguments[flag + 1]
                }
            }
            profile(before: inflateFirst) {
                var recognizer = Recognizer()
                recognizer.recognize(part)
                sink &+= recognizer.tally.byClass.count
            }
        } else {
            profile(before: inflateFirst) { sink &+= decoder.decode(event, source: path).messages.count }
        }
        print("profiled \(name) (sink \(sink % 10))")
        continue
    }
    let (inflateTime, intakeTime, intakeRatio) = measurePair(.seconds(3), { sink &+= inflateOnly(compressed, into: output) },
                                                             { sink &+= decoder.decode(event, source: path).messages.count })
    let base64Time = measure { sink &+= ((try? Base64Decoder.decode(Array(data.utf8), field: "d"))?.count ?? 0) }
    let plain = Array(UnsafeBufferPointer(start: output.baseAddress, count: inflateOnly(compressed, into: output)))
    let jsonTime = measure { sink &+= decoder.decode(plain, source: path).messages.count }
    let (_, recognitionTime, recognitionRatio) = measurePair(.seconds(2), { sink &+= inflateOnly(compressed, into: output) }, {
        var recognizer = Recognizer()
        recognizer.recognize(message)
        sink &+= recognizer.tally.byClass.count
    })
    let (_, pipelineTime, pipelineRatio) = measurePair(.seconds(2), { sink &+= inflateOnly(compressed, into: output) }, {
        var recognizer = Recognizer()
        var functions = FunctionAggregator()
        var metrics = MetricAggregator()
        for decoded in decoder.decode(event, source: path).messages {
            let recognized = recognizer.recognize(decoded)
            functions.add(recognized)
            metrics.add(recognized)
        }
        sink &+= functions.windows.count + metrics.count
    })
    let (_, classifyTime, classifyRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        for event in message.events { sink &+= message.withBytes(of: event.message) { MessageClassifier.classify($0).ordinal } }
    })
    // The gzip inside the messages: New Relic's payloads are base64 gzip JSON of their own, which recognition
    // opens and parses too. Their inflate alone, against the payload's, says how much of recognition's budget
    // that takes before anything is recognised.
    var nested: [[UInt8]] = []
    for event in message.events {
        let bytes = message.withBytes(of: event.message) { Array($0) }
        guard bytes.withUnsafeBufferPointer({ MessageClassifier.classify($0) }) == .newRelicPayload,
              case .array(let items) = try JSONValue.parse(bytes), items.count > 2, case .string(let text) = items[2],
              let gzip = try? Base64Decoder.decode(Array(text.utf8), field: "NR_LAMBDA_MONITORING payload") else { continue }
        nested.append(gzip)
    }
    var nestedBytes = 0
    let (_, nestedTime, nestedRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        nestedBytes = nested.reduce(0) { $0 + $1.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: 1 << 26, field: "d").buffer.count } }
        sink &+= nestedBytes
    })
    var details: [String] = []
    details.append("  recognition on the decoded message: classify every event \(microseconds(classifyTime)) = \(format(classifyRatio))x of inflate; "
          + "classify, reassemble and normalise \(microseconds(recognitionTime)) = \(format(recognitionRatio))x")
    // Where recognition's time goes: the events of each class recognised on their own (pretty-printed
    // OpenTelemetry records are grouped with their start line, so they still reassemble).
    var eventsByClass: [String: [LogEvent]] = [:]
    var prettyOpen = false
    for event in message.events {
        let recordClass = message.withBytes(of: event.message) { MessageClassifier.classify($0) }
        if recordClass == .otelPrettyStart { prettyOpen = true }
        if recordClass != .otelPrettyStart && recordClass != .text && recordClass != .otelPrettyEnd { prettyOpen = false }
        let group = prettyOpen ? "otel.pretty" : recordClass.rawValue
        if recordClass == .otelPrettyEnd { prettyOpen = false }
        eventsByClass[group, default: []].append(event)
    }
    var shares: [(name: String, ratio: Double, events: Int)] = []
    for (group, events) in eventsByClass {
        var part = message
        part.events = events
        let (_, _, share) = measurePair(.milliseconds(300), { sink &+= inflateOnly(compressed, into: output) }, {
            var recognizer = Recognizer()
            recognizer.recognize(part)
            sink &+= recognizer.tally.byClass.count
        })
        shares.append((group, share, events.count))
    }
    shares.sort { $0.ratio > $1.ratio }
    details.append("  recognition by class (events, time as x of the payload's inflate): "
                   + shares.filter { $0.ratio >= 0.02 }.map { "\($0.name) \($0.events) \(format($0.ratio, decimals: 3))x" }.joined(separator: ", "))
    // The JSON parse under recognition: a tape of every event that is one JSON document, and of every New
    // Relic payload inside one.
    var documents: [[UInt8]] = message.events.map { event in message.withBytes(of: event.message) { Array($0) } }
        .filter { $0.first == UInt8(ascii: "{") || $0.first == UInt8(ascii: "[") }
    for gzip in nested {
        let inflated = gzip.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: 1 << 26, field: "d") }
        inflated.buffer.withBytes { documents.append(Array($0)) }
    }
    let documentBytes = documents.reduce(0) { $0 + $1.count }
    let (_, tapeTime, tapeRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        for document in documents {
            sink &+= document.withUnsafeBufferPointer { (try? JSONTape($0, maxDepth: 128))?.count ?? 0 }
        }
    })
    details.append("  JSON tapes of the \(documents.count) documents recognition parses (JSON events and the payloads inside New Relic's, \(documentBytes) bytes): "
                   + "\(microseconds(tapeTime)) = \(format(tapeRatio))x of inflate, \(Int((Double(documentBytes) / tapeTime.seconds / 1e6).rounded())) MB/s")
    details.append("  of which gzip inside messages (\(nested.count) New Relic payloads, \(nestedBytes) bytes inflated): "
          + "inflating them alone as recognition does (GzipDecoder) \(microseconds(nestedTime)) = \(format(nestedRatio))x of the payload's zlib inflate")
    let (_, _, wrapperRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) },
                                           { sink &+= compressed.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: 1 << 26, field: "d").buffer.count } })
    let (_, _, libdeflateRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) },
                                              { sink &+= inflateWholeOnly(compressed, into: output) })
    details.append("  GzipDecoder.inflate / raw zlib inflate: \(format(wrapperRatio))x; libdeflate alone (its one-call path): \(format(libdeflateRatio))x")
    var aggregationRecognizer = Recognizer()
    let recognizedOnce = aggregationRecognizer.recognize(message)
    let (_, aggregationTime, aggregationRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        var functions = FunctionAggregator()
        var metrics = MetricAggregator()
        functions.add(recognizedOnce)
        metrics.add(recognizedOnce)
        sink &+= functions.windows.count + metrics.count
    })
    details.append("  whole pipeline (intake, recognition, function and metric aggregation): \(microseconds(pipelineTime)) = \(format(pipelineRatio))x of inflate; "
                   + "the aggregation alone \(microseconds(aggregationTime)) = \(format(aggregationRatio))x")
    // What forwarding adds: the recognised records as a batch, then encoded as the three OTLP requests.
    var builder = TelemetryBatchBuilder()
    var recognizer = Recognizer()
    builder.add(recognizer.recognize(message))
    for flushed in recognizer.finish() { builder.add(flushed) }
    var batch = builder.takeBatch()
    batch.spans = builder.takeSpans(keeping: nil)
    let encoder = OTLPEncoder()
    var otlpBytes = 0
    let (_, encodeTime, encodeRatio) = measurePair(.seconds(2), { sink &+= inflateOnly(compressed, into: output) }, {
        let bytes = encoder.traces(batch).count + encoder.logs(batch).count + encoder.metrics(batch).count
        otlpBytes = bytes
        sink &+= bytes
    })
    let (_, batchTime, batchRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        var builder = TelemetryBatchBuilder()
        var recognizer = Recognizer()
        builder.add(recognizer.recognize(message))
        sink &+= builder.takeBatch().itemCount
    })
    // What the exporter then does to every request: gzip at level 1 (OTLP/HTTP's usual compression).
    let requests = [encoder.traces(batch), encoder.logs(batch), encoder.metrics(batch)]
    // zlib's deflate takes arrays: made here, not in the time measured.
    let requestArrays = requests.map { Array($0) }
    var gzipBytes = 0
    let (_, zlibGzipTime, zlibGzipRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        sink &+= requestArrays.reduce(0) { $0 + GzipEncoder.compress($1, level: 1).count }
    })
    let (_, wholeGzipTime, wholeGzipRatio) = measurePair(.seconds(1), { sink &+= inflateOnly(compressed, into: output) }, {
        gzipBytes = requests.reduce(0) { $0 + $1.withUnsafeBytes { GzipEncoder.compressWhole($0, level: 1).count } }
        sink &+= gzipBytes
    })
    details.append("  gzip of those requests as the exporter sends them (level 1): libdeflate \(microseconds(wholeGzipTime)) = \(format(wholeGzipRatio))x of inflate, "
                   + "\(gzipBytes) bytes; zlib would take \(microseconds(zlibGzipTime)) = \(format(zlibGzipRatio))x")
    details.append("  OTLP protobuf encoding of the \(batch.itemCount) items (\(otlpBytes) bytes): \(microseconds(encodeTime)) = \(format(encodeRatio))x of inflate; "
                   + "recognition into a batch: \(microseconds(batchTime)) = \(format(batchRatio))x")
    // The Lambda consumer's whole work on the payload, as one invocation does it: `PayloadIngestor` (decode,
    // deduplicate, recognise, aggregate, assemble and sample traces, batch), then the three OTLP requests
    // encoded and gzipped; only the network is left out.
    let ingestor = PayloadIngestor()
    let (_, consumerTime, consumerRatio) = measurePair(.seconds(2), { sink &+= inflateOnly(compressed, into: output) }, {
        let batch = ingestor.ingest(event, source: path).batch
        sink &+= [encoder.traces(batch), encoder.logs(batch), encoder.metrics(batch)].reduce(0) { $0 + $1.withUnsafeBytes { GzipEncoder.compressWhole($0, level: 1).count } }
    })
    details.append("  the Lambda consumer's work without the network (ingest, then the OTLP requests encoded and gzipped): "
                   + "\(microseconds(consumerTime)) = \(format(consumerRatio))x of inflate")
    let eventsPerSecond = Int(Double(message.events.count) / intakeTime.seconds)
    print(name.padding(26), String(message.events.count).leftPad(7), String(compressed.count).leftPad(11), String(check.bytesDecoded).leftPad(13),
          microseconds(inflateTime).leftPad(10), microseconds(intakeTime).leftPad(10), (format(intakeRatio) + "x").leftPad(16), String(eventsPerSecond).leftPad(9))
    details.insert("  parts: base64 \(ratio(base64Time, inflateTime))x, JSON + event extraction on the inflated document \(ratio(jsonTime, inflateTime))x of inflate (sink \(sink % 10))", at: 0)
    details.forEach { print($0) }
}

if profileOnly { exit(0) }
let sluice = CommandLine.arguments[0].split(separator: "/").dropLast().joined(separator: "/")
let executable = (CommandLine.arguments[0].hasPrefix("/") ? "/" : "") + sluice + "/sluice"
func reportRSS(_ executable: String, _ label: String) throws {
    let rss = try peakRSS(executable: executable, arguments: ["replay", "--no-store", "--format", "json", "\(folder)/mixed-1m.json"])
    let storeFolder = "/tmp/sluice-benchmark-\(getpid())"
    let rssStored = try peakRSS(executable: executable, arguments: ["replay", "--store", "sqlite:\(storeFolder).db", "--format", "json", "\(folder)/mixed-1m.json"])
    for suffix in ["", "-wal", "-shm"] { unlink("\(storeFolder).db\(suffix)") }
    let baseline = try peakRSS(executable: executable, arguments: ["--help"])
    print("peak RSS of `sluice replay` on mixed-1m.json, \(label): \(rss / 1024) MB (\(rss) kB) summarising, \(rssStored / 1024) MB (\(rssStored) kB) "
          + "writing to a new SQLite store; the same binary printing --help: \(baseline / 1024) MB")
}
// The release `sluice` is a product of its own: `swift run -c release SluiceBenchmark` does not build it.
if access(executable, X_OK) == 0 {
    try reportRSS(executable, "this build")
} else {
    print("peak RSS of `sluice replay`, this build: not measured, \(executable) is not built (swift build -c release --product sluice)")
}
// The binary Lambda runs (`deploy/build.sh`: Swift's libraries linked in statically), when it has been built.
let packaged = "deploy/build/bootstrap"
if access(packaged, X_OK) == 0 { try reportRSS(packaged, "static build (\(packaged))") }

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
