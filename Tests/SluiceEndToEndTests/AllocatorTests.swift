import Foundation
import SluicePipeline
import Testing

extension EndToEnd {
    /// jemalloc serves the allocations of `sluice` (dynamic build here, the static Lambda package in
    /// ``LambdaPackageTests``), not just linked beside glibc's `malloc`: asked through `MALLOC_CONF` to print
    /// its statistics at exit, it counts at least as many requests as the replay made records.
    @Suite("the allocator")
    struct AllocatorTests {
        /// The `nrequests` of the "total:" line of jemalloc's merged statistics; nil when there are none
        /// (the process did not run on jemalloc).
        static func requests(inStatistics stderr: String) -> Int? {
            guard stderr.contains("___ Begin jemalloc statistics ___") else { return nil }
            for line in stderr.split(separator: "\n") where line.hasPrefix("total:") {
                // allocated, nmalloc, (#/sec), ndalloc, (#/sec), nrequests, ...
                let columns = line.split(separator: " ").dropFirst()
                guard columns.count >= 5 else { return nil }
                return Int(columns[columns.startIndex + 5])
            }
            return nil
        }

        static let statistics = ["MALLOC_CONF": "stats_print:true,stats_print_opts:gdablxeh"]

        /// Replays the typical payload with `program` (the `sluice` CLI) and checks jemalloc's count.
        static func expectJemalloc(_ program: String) throws {
            let result = try CLI.run(external: program, ["replay", "--no-store", "--format", "json", "Fixtures/benchmark/mixed-250k.json"],
                                     environment: statistics)
            #expect(result.status == 0, "\(result.stderr.prefix(2000))")
            let normalised = try result.json()["records"]?["normalised"]
            let records = ["invocation_reports", "platform_events", "agent_invocations", "spans", "metric_samples"]
                .compactMap { normalised?[$0]?.int64Value }.reduce(0, +)
            #expect(records > 800)
            let served = try #require(Self.requests(inStatistics: result.stderr), "no jemalloc statistics from \(program):\n\(result.stderr.prefix(2000))")
            #expect(served >= Int(records), "jemalloc served \(served) requests for \(records) records")
        }

        @Test("the sluice CLI allocates through jemalloc")
        func cli() throws {
            try Self.expectJemalloc(CLI.executable)
        }

        @Test("the statistics reader finds the total's requests, and nothing in a run without jemalloc")
        func reader() {
            let sample = """
                ___ Begin jemalloc statistics ___
                                            allocated         nmalloc   (#/sec)         ndalloc   (#/sec)       nrequests   (#/sec)
                small:                         874008            5573      5573            2698      2698            8444      8444
                total:                        1320472            5600      5600            2711      2711            8478      8478
                --- End jemalloc statistics ---
                """
            #expect(Self.requests(inStatistics: sample) == 8478)
            #expect(Self.requests(inStatistics: "total: 1 2 3 4 5 6") == nil)
        }
    }
}
