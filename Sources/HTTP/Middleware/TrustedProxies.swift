/// Honours `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` only when the peer is a
/// configured proxy: an address or a CIDR range, IPv4 or IPv6.
///
/// One rule for the three headers: each proxy appends what it saw, so the right-most values are
/// the ones a trusted proxy wrote. The client address is the right-most `X-Forwarded-For` entry
/// that is not itself a trusted proxy (walking right to left, trusted hops are skipped; entries
/// further left are whatever the client chose to send). `isSecure` follows the last
/// `X-Forwarded-Proto` value, and `Host` becomes the last `X-Forwarded-Host` value. Requests from
/// other peers are left untouched, so a client cannot spoof its address, scheme or host by
/// sending the headers itself.
///
/// ```swift
/// let proxies = try TrustedProxies(parsing: ["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"])
/// let responder = RouterResponder(router: router, middleware: [proxies.middleware])
/// // in a handler: request.remoteAddress == "203.0.113.7", request.isSecure == true
/// ```
public struct TrustedProxies: Sendable {
    public let ranges: [IPAddressRange]

    public init(_ ranges: [IPAddressRange]) {
        self.ranges = ranges
    }

    /// Entries are addresses ("127.0.0.1", "::1") or CIDR ranges ("10.0.0.0/8", "fd00::/8");
    /// the first malformed one is the error.
    public init(parsing entries: [String]) throws(IPAddressRange.ParseError) {
        var ranges: [IPAddressRange] = []
        for entry in entries { ranges.append(try IPAddressRange(parsing: entry)) }
        self.init(ranges)
    }

    /// Whether no proxy is trusted (then ``apply(to:)`` changes nothing).
    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` (an IP, optionally with ":port" or as "[ipv6]:port") is a trusted proxy.
    public func isTrusted(_ address: String) -> Bool {
        guard !ranges.isEmpty, let ip = IPAddress(peer: address) else { return false }
        return isTrusted(ip)
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The request as the application should see it.
    public func apply(to request: HTTPRequest) -> HTTPRequest {
        guard isTrusted(request.remoteAddress) else { return request }
        var request = request
        if let client = client(in: request.headers.listValues(for: "X-Forwarded-For")) {
            request.remoteAddress = client.description
        }
        if let proto = request.headers.listValues(for: "X-Forwarded-Proto").last {
            request.isSecure = proto.equalsIgnoringASCIICase("https")
        }
        if let host = request.headers.listValues(for: "X-Forwarded-Host").last, HostSyntax.isValid(host) {
            request.head.headers.replaceOrAdd("Host", host)
        }
        return request
    }

    /// The right-most address of the chain that is not a trusted proxy, or the left-most one
    /// when every hop is trusted. A hop that is not an IP address stops the walk with nil: a
    /// trusted proxy passed on something it did not write, and the peer's address is safer.
    func client(in chain: [String]) -> IPAddress? {
        var leftmost: IPAddress?
        for hop in chain.reversed() {
            guard let address = IPAddress(peer: hop) else { return nil }
            if !isTrusted(address) { return address }
            leftmost = address
        }
        return leftmost
    }

    public var middleware: Middleware {
        { request, next in next(apply(to: request)) }
    }
}
