/// Honours `X-Forwarded-For` and `X-Forwarded-Proto` only when the peer is a configured proxy.
///
/// The client address becomes the right-most forwarded address that is not itself a trusted
/// proxy (left-most entries are whatever the client chose to send), and `isSecure` follows the
/// last `X-Forwarded-Proto` value. Requests from other peers are left untouched, so a client
/// cannot spoof its address or scheme by sending the headers itself.
///
/// ```swift
/// let proxies = TrustedProxies(["127.0.0.1", "::1", "10.0.0.0/8"])
/// let responder = RouterResponder(router: router, middleware: [proxies.middleware])
/// // in a handler: request.remoteAddress == "203.0.113.7", request.isSecure == true
/// ```
public struct TrustedProxies: Sendable {
    private let exact: Set<String>
    private let ipv4Ranges: [(network: UInt32, mask: UInt32)]

    /// Entries are IP addresses ("127.0.0.1", "::1") or IPv4 CIDR ranges ("10.0.0.0/8").
    /// Malformed entries are ignored.
    public init(_ entries: [String]) {
        var exact: Set<String> = []
        var ranges: [(UInt32, UInt32)] = []
        for entry in entries {
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, let network = Self.ipv4(parts[0]), let bits = Int(parts[1]),
                (0...32).contains(bits)
            {
                let mask: UInt32 = bits == 0 ? 0 : UInt32.max << (32 - bits)
                ranges.append((network & mask, mask))
            } else if parts.count == 1 {
                exact.insert(entry.lowercased())
            }
        }
        self.exact = exact
        self.ipv4Ranges = ranges
    }

    /// Whether `address` (an IP, optionally with ":port" or as "[ipv6]:port") is a trusted proxy.
    public func isTrusted(_ address: String) -> Bool {
        let ip = Self.host(of: address).lowercased()
        if exact.contains(ip) { return true }
        guard let value = Self.ipv4(Substring(ip)) else { return false }
        return ipv4Ranges.contains { value & $0.mask == $0.network }
    }

    /// The request as the application should see it.
    public func apply(to request: HTTPRequest) -> HTTPRequest {
        guard isTrusted(request.remoteAddress) else { return request }
        var request = request
        let chain = request.headers.listValues(for: "X-Forwarded-For")
        if let client = chain.reversed().first(where: { !isTrusted($0) }) ?? chain.first {
            request.remoteAddress = Self.host(of: client)
        }
        if let proto = request.headers.listValues(for: "X-Forwarded-Proto").last {
            request.isSecure = proto.equalsIgnoringASCIICase("https")
        }
        return request
    }

    public var middleware: Middleware {
        { request, next in next(apply(to: request)) }
    }

    /// "1.2.3.4:80" → "1.2.3.4", "[::1]:80" → "::1", "::1" → "::1".
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        let colons = address.filter { $0 == ":" }.count
        if colons == 1, let colon = address.firstIndex(of: ":") { return String(address[..<colon]) }
        return address
    }

    static func ipv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let number = UInt32(octet),
                number <= 255
            else { return nil }
            value = value << 8 | number
        }
        return value
    }
}
