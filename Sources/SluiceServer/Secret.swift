/// Comparison of a presented credential with the configured one in time that depends only on the lengths,
/// so an attacker cannot learn a secret byte by byte from response times.
enum Secret {
    static func matches(_ presented: String, _ expected: String) -> Bool {
        let a = Array(presented.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<b.count {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0 && a.count == b.count
    }
}
