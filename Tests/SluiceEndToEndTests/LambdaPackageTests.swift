import Foundation
import SluicePipeline
import Testing

extension EndToEnd {
    /// `deploy/build.sh`'s package: a fully static `bootstrap` that runs under the emulator and resolves names.
    /// The test runs the script unless the package is newer than every source file (`.ci/run` builds it just
    /// before the tests), so what it checks is always the current code, and a release build does not compete
    /// for the CPU with the timing-sensitive tests when it need not.
    @Suite("Lambda package from deploy/build.sh", .serialized)
    struct LambdaPackageTests {
        static var folder: String { CLI.packageRoot + "/deploy/build" }

        static let built = Result { try build() }

        static func ensureBuilt() throws { try built.get() }

        static func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }

        /// The newest modification time among the package's sources and manifest.
        static func newestSource() throws -> Date {
            var newest = modified(CLI.packageRoot + "/Package.swift") ?? .distantFuture
            let sources = CLI.packageRoot + "/Sources"
            guard let walker = FileManager.default.enumerator(atPath: sources) else { throw ServerError("cannot list \(sources)") }
            for case let path as String in walker {
                if let date = modified(sources + "/" + path), date > newest { newest = date }
            }
            return newest
        }

        static func build() throws {
            if let packaged = modified(folder + "/sluice-lambda.zip"), let binary = modified(folder + "/bootstrap"),
               try min(packaged, binary) > newestSource() {
                return
            }
            let result = try CLI.run(external: "/usr/bin/env", ["bash", CLI.packageRoot + "/deploy/build.sh"])
            guard result.status == 0 else { throw ServerError("deploy/build.sh failed (\(result.status)):\n\(result.stdout)\n\(result.stderr)") }
        }

        /// The program header types of an ELF64 little-endian file.
        static func programHeaderTypes(_ bytes: [UInt8]) throws -> [UInt32] {
            func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) throws -> T {
                guard offset + MemoryLayout<T>.size <= bytes.count else { throw ServerError("truncated ELF file") }
                return bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
            }
            guard bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]), bytes[4] == 2, bytes[5] == 1 else { throw ServerError("not an ELF64 little-endian file") }
            let offset = Int(try integer(0x20, UInt64.self))
            let size = Int(try integer(0x36, UInt16.self))
            let count = Int(try integer(0x38, UInt16.self))
            return try (0..<count).map { try integer(offset + $0 * size, UInt32.self) }
        }

        @Test("bootstrap is a static executable (no program interpreter, no dynamic section) inside sluice-lambda.zip")
        func staticAndZipped() throws {
            try Self.ensureBuilt()
            let binary = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/bootstrap")))
            let types = try Self.programHeaderTypes(binary)
            #expect(!types.isEmpty)
            #expect(!types.contains(3), "PT_INTERP: the binary needs a dynamic loader")
            #expect(!types.contains(2), "PT_DYNAMIC: the binary links shared libraries")
            let listing = try CLI.run(external: "/usr/bin/env", ["unzip", "-Z", "-l", Self.folder + "/sluice-lambda.zip"])
            #expect(listing.status == 0)
            #expect(listing.stdout.contains(" \(binary.count) ") && listing.stdout.contains("bootstrap"), "\(listing.stdout)")
            #expect(listing.stdout.contains("-rwx"), "bootstrap must be executable inside the zip:\n\(listing.stdout)")
        }

        @Test("the static bootstrap allocates through jemalloc, linked in place of static glibc's malloc")
        func staticJemalloc() throws {
            try Self.ensureBuilt()
            // Named `sluice`, the binary is the CLI (as `bootstrap` it is the Lambda consumer).
            let scratch = NSTemporaryDirectory() + "sluice-static-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            try FileManager.default.createSymbolicLink(atPath: scratch + "/sluice", withDestinationPath: Self.folder + "/bootstrap")
            try AllocatorTests.expectJemalloc(scratch + "/sluice")
        }

        @Test("the static bootstrap forwards a payload under the emulator, resolving the collector's name through /etc/hosts")
        func runsUnderEmulator() async throws {
            try Self.ensureBuilt()
            let folder = try Servers.scratch("lambda-static")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let (rie, url) = try LambdaTests.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:\(port)"],
                                                      executable: Self.folder + "/bootstrap")
            defer { rie.stop(signal: SIGKILL) }
            let answer = try await HTTP.request("POST", url, body: try LambdaTests.payload("datadog-lambda"))
            let document = try JSONValue.parse(answer.body)
            #expect(document["status"]?.stringValue == "forwarded", "\(answer.text)\n\(rie.log)")
            let received = try await ExporterTests.received(port)
            #expect(!received.isEmpty && received.allSatisfy { $0["byte_exact"]?.boolValue == true })
            #expect(rie.log.contains("INIT REPORT"), "\(rie.log)")
        }

        /// `.invalid` never resolves (RFC 6761): only the pinned address can make this work.
        @Test("SLUICE_RESOLVE pins the collector's address in the static bootstrap")
        func pinnedAddress() async throws {
            try Self.ensureBuilt()
            let folder = try Servers.scratch("lambda-static")
            let (receiver, port) = try Servers.receiver(folder: folder)
            defer { receiver.stop(signal: SIGKILL) }
            let (rie, url) = try LambdaTests.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector.sluice.invalid:\(port)",
                                                                                   "SLUICE_RESOLVE": "collector.sluice.invalid=127.0.0.1",
                                                                                   "AWS_LAMBDA_FUNCTION_TIMEOUT": "10"],
                                                      executable: Self.folder + "/bootstrap")
            defer { rie.stop(signal: SIGKILL) }
            let answer = try await HTTP.request("POST", url, body: try LambdaTests.payload("thundra"))
            #expect(try JSONValue.parse(answer.body)["status"]?.stringValue == "forwarded", "\(answer.text)\n\(rie.log)")
            #expect(try await !ExporterTests.received(port).isEmpty)

            let (bad, badURL) = try LambdaTests.emulator(folder: folder, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                                                                                      "SLUICE_RESOLVE": "collector.sluice.invalid"],
                                                         executable: Self.folder + "/bootstrap")
            defer { bad.stop(signal: SIGKILL) }
            let refused = try JSONValue.parse(try await HTTP.request("POST", badURL, body: try LambdaTests.payload("thundra")).body)
            #expect(refused["errorType"]?.stringValue == "Sluice.InvalidConfiguration")
            #expect(refused["errorMessage"]?.stringValue?.contains("SLUICE_RESOLVE: 'collector.sluice.invalid' is not host=address") == true)
        }
    }
}
