import Testing
@testable import SluicePipeline
@testable import SluiceTelemetry

@Suite("OTLP identifiers")
struct OTLPIdentifierTests {
    @Test("hex ids of the right length are kept, lowered; anything else is hashed to one, the same every time")
    func idsOTLPAccepts() {
        let trace = "0af7651916cd43dd8448eb211c80319c", span = "b7ad6b7169203331"
        #expect(OTLPIdentifiers.traceID(trace) == trace)
        #expect(OTLPIdentifiers.spanID(span) == span)
        #expect(OTLPIdentifiers.traceID(trace.uppercased()) == trace)
        #expect(OTLPIdentifiers.spanID("B7AD6b7169203331") == span)
        // Not hex, or not that many digits (bytes, not characters): hashed, as the content key hashes them.
        let others = ["0af7651916cd43dd8448eb211c80319g", "0af7651916cd43dd8448eb211c80319", trace + "0", "",
                      "c7ae263b-2382-4f52-bad5-1e0a8d0b4a8e", "0af7651916cd43dd8448eb211c8031é", "b7ad6b716920333 ", "b7ad6b71692033é"]
        for id in others {
            #expect(OTLPIdentifiers.traceID(id) == ContentKey.of(id), "\(id)")
            #expect(OTLPIdentifiers.spanID(id) == OTLPIdentifiers.hex(ContentKey.hash64(id, seed: 0).bigEndianBytes), "\(id)")
            #expect(OTLPIdentifiers.traceID(id).utf8.count == 32 && OTLPIdentifiers.spanID(id).utf8.count == 16)
            #expect(OTLPIdentifiers.traceID(id) == OTLPIdentifiers.traceID(id) && OTLPIdentifiers.spanID(id) == OTLPIdentifiers.spanID(id))
        }
    }
}
