import Glibc

/// An IPv4 or IPv6 address, compared by value: "0:0:0:0:0:0:0:1" and "::1" are the same address,
/// and an IPv4 peer seen through a dual-stack socket ("::ffff:10.0.0.1") is the IPv4 address.
///
/// ```swift
/// IPAddress("10.0.0.1") == IPAddress("::ffff:10.0.0.1")   // true
/// IPAddress("fd00::1")?.isIPv4                            // false
/// IPAddress("10.0.0.256")                                 // nil
/// ```
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 128 bits of the address; IPv4 addresses are held IPv4-mapped (::ffff:a.b.c.d).
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses an address written the standard way (dotted quad, or RFC 4291 text), without port,
    /// brackets or zone; nil for anything else.
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let string = String(text)
        var v4 = in_addr()
        if string.contains("."), !string.contains(":") {
            guard inet_pton(AF_INET, string, &v4) == 1 else { return nil }
            self.init(high: 0, low: 0xffff_0000_0000 | UInt64(UInt32(bigEndian: v4.s_addr)))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, string, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        self.init(
            high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) },
            low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// The address part of a peer address as the server writes it: "1.2.3.4:80" → 1.2.3.4,
    /// "[::1]:80" → ::1; also a bare address.
    public init?(peer: some StringProtocol) {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            self.init(peer[peer.index(after: peer.startIndex)..<close])
        } else if let colon = peer.firstIndex(of: ":"), peer.lastIndex(of: ":") == colon {
            self.init(peer[..<colon])
        } else {
            self.init(peer)
        }
    }

    /// An IPv4 address (or an IPv4-mapped IPv6 one).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xffff }

    /// The address in its standard text form ("10.0.0.1", "::1").
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        if isIPv4 {
            var v4 = in_addr(s_addr: UInt32(truncatingIfNeeded: low).bigEndian)
            guard inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        } else {
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { raw in
                for index in 0..<8 {
                    raw[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
                    raw[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
                }
            }
            guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
