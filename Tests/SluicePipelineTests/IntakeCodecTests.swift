import PropertyBased
import Testing
@testable import SluicePipeline

@Suite("base64 and gzip")
struct IntakeCodecTests {
    @Test("base64: decode inverts encode, for every length")
    func base64RoundTrip() async throws {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...300)) { bytes in
            let encoded = Base64Encoder.encode(bytes)
            #expect((try? Base64Decoder.decode(encoded, field: "f")) == bytes)
            // Padding is optional.
            let unpadded = Array(encoded.prefix(while: { $0 != UInt8(ascii: "=") }))
            #expect((try? Base64Decoder.decode(unpadded, field: "f")) == bytes)
        }
    }

    @Test("base64: a byte outside the alphabet is named with its position")
    func base64Invalid() {
        #expect(throws: IntakeError.invalidBase64(field: "awslogs.data", offset: 5, byte: UInt8(ascii: "*"))) {
            try Base64Decoder.decode(Array("SGVsb*8gd29ybGQ=".utf8), field: "awslogs.data")
        }
        #expect(throws: IntakeError.invalidBase64(field: "x", offset: 2, byte: UInt8(ascii: "="))) {
            try Base64Decoder.decode(Array("SG=sbG8=".utf8), field: "x")
        }
        #expect(throws: IntakeError.invalidBase64Length(field: "x", length: 5)) {
            try Base64Decoder.decode(Array("SGVsb".utf8), field: "x")
        }
    }

    func inflate(_ bytes: [UInt8], limit: Int = 1 << 26) -> GzipDecoder.Output {
        bytes.withUnsafeBufferPointer { GzipDecoder.inflate($0, limit: limit, field: "data") }
    }

    @Test("gzip: inflate inverts compress, single and concatenated members")
    func gzipRoundTrip() async {
        await propertyCheck(count: 100, input: Gen.uint8().array(of: 0...5000), Gen.int(in: 1...4)) { bytes, members in
            let compressed = (0..<members).flatMap { _ in GzipEncoder.compress(bytes) }
            let output = inflate(compressed)
            #expect(output.error == nil)
            #expect(output.buffer.bytes == Array((0..<members).map { _ in bytes }.joined()))
        }
    }

    @Test("gzip: truncated, damaged, not gzip and trailing bytes are distinct errors")
    func gzipErrors() {
        let compressed = GzipEncoder.compress(Array(repeating: Array("hello, gzip\n".utf8), count: 500).flatMap { $0 })
        let truncated = inflate(Array(compressed.prefix(compressed.count - 9)))
        guard case .truncatedGzip(field: "data", compressedBytes: compressed.count - 9, decompressedBytes: _)? = truncated.error else {
            Issue.record("expected truncatedGzip, got \(String(describing: truncated.error))")
            return
        }
        var damaged = compressed
        damaged[compressed.count - 6] ^= 0xFF  // inside the CRC/length trailer
        #expect(inflate(damaged).error?.kind == "corrupt_gzip")
        #expect(inflate(Array("{\"a\":1}".utf8)).error == .notGzip(field: "data", leadingBytes: Array("{\"a\"".utf8)))
        #expect(inflate(compressed + [0x41]).error == .corruptGzip(field: "data", offset: compressed.count, reason: "unexpected bytes after the end of the gzip stream"))
        #expect(inflate(compressed + [0x0A, 0x00]).error == nil)
    }

    @Test("gzip: a bomb is refused at the limit, holding no more than the limit")
    func gzipBomb() {
        let bomb = GzipEncoder.compress([UInt8](repeating: 0, count: 8 << 20), level: 9)
        let output = inflate(bomb, limit: 1 << 20)
        #expect(output.error?.kind == "decompressed_too_large")
        #expect(output.buffer.capacity <= (1 << 20) + 1)
        #expect(bomb.count < 20_000)
    }
}
