import PropertyBased
import Synchronization
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

    /// Sixteen characters are decoded at once where the machine can (x86_64): a byte next to the edges of
    /// the alphabet's ranges, '=', a control or a non-ASCII byte in any position of a block is still named
    /// where it stands, and the valid characters around it decode as the table decodes them.
    @Test("base64: every byte outside the alphabet, in every position of a block, is named at its position")
    func base64InvalidInEveryLane() {
        let bytes = (0..<60).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let encoded = Base64Encoder.encode(bytes)
        #expect(encoded.count == 80 && !encoded.contains(UInt8(ascii: "=")))
        #expect((try? Base64Decoder.decode(encoded, field: "f")) == bytes)
        let outside: [UInt8] = [0x00, 0x0A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3A, 0x3D, 0x40, 0x5B, 0x5F, 0x60, 0x7B, 0x7F, 0x80, 0xC3, 0xFF]
        for position in 0..<encoded.count {
            // '=' last is padding, and decodes.
            for byte in outside where !(byte == UInt8(ascii: "=") && position == encoded.count - 1) {
                var damaged = encoded
                damaged[position] = byte
                #expect(throws: IntakeError.invalidBase64(field: "f", offset: position, byte: byte), "byte \(byte) at \(position)") {
                    try Base64Decoder.decode(damaged, field: "f")
                }
            }
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

    @Test("gzip: zlib's inflate inverts the exporter's one-call compression, at every level")
    func gzipWholeRoundTrip() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let bytes = Self.sample(&rng)
            let level = Int32(rng.next() % 14)  // 13 is clamped to 12
            let compressed = GzipEncoder.compressWhole(bytes, level: level)
            // Read back by zlib's stream, not by libdeflate: another implementation must agree.
            let output = compressed.withUnsafeBufferPointer {
                GzipDecoder.inflateStream($0, limit: 1 << 26, field: "data", singleMember: false, hint: 0)
            }
            #expect(output.error == nil, "level \(level), \(bytes.count) bytes")
            #expect(output.buffer.bytes == bytes, "level \(level)")
        }
        #expect(GzipEncoder.compressWhole([]).count >= 18)
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
        // A header CRC (FHCRC) that does not match the header: zlib refuses it, and so must the fast path,
        // which would skip it unchecked.
        let plain = GzipEncoder.compress(Array("hello, gzip\n".utf8))
        var withHeaderCRC = Array(plain.prefix(10)) + [0x00, 0x00] + Array(plain.dropFirst(10))
        withHeaderCRC[3] |= 0x02
        #expect(inflate(withHeaderCRC).error == .corruptGzip(field: "data", offset: 12, reason: "header crc mismatch"))
    }

    @Test("gzip: a bomb is refused at the limit, holding no more than the limit")
    func gzipBomb() {
        let bomb = GzipEncoder.compress([UInt8](repeating: 0, count: 8 << 20), level: 9)
        let output = inflate(bomb, limit: 1 << 20)
        #expect(output.error?.kind == "decompressed_too_large")
        #expect(output.buffer.capacity <= (1 << 20) + 1)
        #expect(bomb.count < 20_000)
    }
    /// Compressible bytes of a few kinds: runs, a small alphabet, random noise.
    static func sample(_ rng: inout SplitMix) -> [UInt8] {
        let count = Int(rng.next() % 6000)
        switch rng.next() % 3 {
        case 0: return (0..<count).map { UInt8(truncatingIfNeeded: $0 / (1 + Int(rng.next() % 40))) }
        case 1: return (0..<count).map { _ in Array("{\"a\":1, }".utf8)[Int(rng.next() % 9)] }
        default: return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
    }

    @Test("gzip: the one-call fast path answers what zlib's stream answers, on good and damaged data")
    func gzipFastPathAgreesWithStream() async {
        // How often the fast path gave the answer, and how often it was damaged data the stream explained:
        // both must happen, or the comparison says nothing.
        let outcomes = Mutex((fast: 0, failed: 0))
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var bytes: [UInt8] = []
            for member in 0...(rng.next() % 3) {
                // Padding between members, as some writers leave it.
                if member > 0 && rng.next() % 3 == 0 { bytes += [0x0A, 0x00] }
                bytes += GzipEncoder.compress(Self.sample(&rng), level: Int32(1 + rng.next() % 9))
            }
            switch rng.next() % 8 {
            case 0: bytes += [0x0A, 0x00, 0x20]                                            // padding
            case 1: bytes += [0x41]                                                        // garbage after the end
            case 2: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))                // truncated
            case 3: bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255) // a byte damaged
            case 4 where bytes.count >= 4: bytes[bytes.count - 1 - Int(rng.next() % 4)] ^= 0x10 // a wrong size in the trailer
            default: break
            }
            let limit = rng.next() % 4 == 0 ? Int(rng.next() % 8000) : 1 << 26
            let singleMember = rng.next() % 4 != 0
            bytes.withUnsafeBufferPointer { input in
                guard GzipDecoder.isGzip(input) else { return }
                let answer = GzipDecoder.inflate(input, limit: limit, field: "data", singleMember: singleMember)
                let stream = GzipDecoder.inflateStream(input, limit: limit, field: "data", singleMember: singleMember,
                                                       hint: GzipDecoder.trailerSize(input) ?? 0)
                #expect(answer.error == stream.error, "seed \(seed)")
                #expect(answer.consumed == stream.consumed, "seed \(seed)")
                #expect(answer.buffer.bytes == stream.buffer.bytes, "seed \(seed)")
                let fast = GzipDecoder.trailerSize(input).flatMap {
                    $0 <= limit ? GzipDecoder.inflateWhole(input, size: $0, singleMember: singleMember, field: "data") : nil
                } != nil
                outcomes.withLock { counts in
                    if fast { counts.fast += 1 }
                    if stream.error != nil { counts.failed += 1 }
                }
            }
        }
        let counts = outcomes.withLock { $0 }
        #expect(counts.fast > 80)
        #expect(counts.failed > 120)
    }
}
