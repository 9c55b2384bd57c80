import Testing

@testable import HTTP

@Suite("IP addresses and CIDR ranges")
struct IPAddressRangeTests {
    @Test("addresses compare by value, and an IPv4-mapped IPv6 address is the IPv4 address")
    func addresses() throws {
        #expect(IPAddress("::1") == IPAddress("0:0:0:0:0:0:0:1"))
        #expect(IPAddress("10.0.0.1") == IPAddress("::ffff:10.0.0.1"))
        #expect(IPAddress("10.0.0.1")?.isIPv4 == true)
        #expect(IPAddress("fd00::1")?.isIPv4 == false)
        #expect(IPAddress("2001:DB8::1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.1")?.description == "192.0.2.1")
        for bad in [
            "", "10.0.0.256", "10.0.0", "1.2.3.4.5", "010.0.0.1", "proxy.local", "::1::2", "fe80::1%eth0",
        ] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress(peer: "[::1]:8080") == IPAddress("::1"))
        #expect(IPAddress(peer: "192.0.2.1:443") == IPAddress("192.0.2.1"))
        #expect(IPAddress(peer: "fd00::1") == IPAddress("fd00::1"))
    }

    @Test("IPv4 ranges match the addresses inside them, at every boundary")
    func ipv4Ranges() throws {
        let range = try IPAddressRange(parsing: "10.0.0.0/8")
        #expect(range.contains(try #require(IPAddress("10.0.0.0"))))
        #expect(range.contains(try #require(IPAddress("10.255.255.255"))))
        #expect(range.contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        #expect(!range.contains(try #require(IPAddress("11.0.0.0"))))
        #expect(!range.contains(try #require(IPAddress("9.255.255.255"))))
        #expect(!range.contains(try #require(IPAddress("::a00:1"))))  // IPv4-compatible is not IPv4
        let narrow = try IPAddressRange(parsing: "192.168.1.128/25")
        #expect(narrow.contains(try #require(IPAddress("192.168.1.200"))))
        #expect(!narrow.contains(try #require(IPAddress("192.168.1.127"))))
        let single = try IPAddressRange(parsing: "127.0.0.1")
        #expect(single.prefixLength == 32 && single.description == "127.0.0.1")
        #expect(!single.contains(try #require(IPAddress("127.0.0.2"))))
        let everything = try IPAddressRange(parsing: "0.0.0.0/0")
        #expect(everything.contains(try #require(IPAddress("203.0.113.7"))))
        #expect(!everything.contains(try #require(IPAddress("fd00::1"))))
    }

    @Test("IPv6 ranges match across the 64-bit halves")
    func ipv6Ranges() throws {
        let ula = try IPAddressRange(parsing: "fd00::/8")
        #expect(ula.contains(try #require(IPAddress("fdff:ffff::1"))))
        #expect(!ula.contains(try #require(IPAddress("fe00::1"))))
        #expect(!ula.contains(try #require(IPAddress("10.0.0.1"))))
        let long = try IPAddressRange(parsing: "2001:db8:0:0:8000::/65")
        #expect(long.contains(try #require(IPAddress("2001:db8::8000:0:0:1"))))
        #expect(!long.contains(try #require(IPAddress("2001:db8::7fff:0:0:1"))))
        #expect(try IPAddressRange(parsing: "::1").contains(try #require(IPAddress("0:0:0:0:0:0:0:1"))))
        #expect(try IPAddressRange(parsing: "::/0").contains(try #require(IPAddress("2001:db8::1"))))
    }

    @Test("a bad range says what is wrong, and names the network when host bits are set")
    func badRanges() {
        #expect(throws: IPAddressRange.ParseError.notAnAddress("proxy.local/8")) {
            try IPAddressRange(parsing: "proxy.local/8")
        }
        #expect(throws: IPAddressRange.ParseError.badPrefixLength("10.0.0.0/33", maximum: 32)) {
            try IPAddressRange(parsing: "10.0.0.0/33")
        }
        #expect(throws: IPAddressRange.ParseError.badPrefixLength("fd00::/129", maximum: 128)) {
            try IPAddressRange(parsing: "fd00::/129")
        }
        for bad in ["10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0/ 8"] {
            #expect(IPAddressRange(bad) == nil, "\(bad)")
        }
        #expect(throws: IPAddressRange.ParseError.hostBitsSet("10.1.0.0/8", suggestion: "10.0.0.0/8")) {
            try IPAddressRange(parsing: "10.1.0.0/8")
        }
        #expect(throws: IPAddressRange.ParseError.hostBitsSet("fd12::/8", suggestion: "fd00::/8")) {
            try IPAddressRange(parsing: "fd12::/8")
        }
    }
}

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    let proxies: TrustedProxies

    init() throws {
        proxies = try TrustedProxies(parsing: ["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"])
    }

    func request(from peer: String, _ headers: HTTPHeaders) -> HTTPRequest {
        var request = HTTPRequest(method: "GET", target: "/", headers: headers)
        request.remoteAddress = peer
        return request
    }

    @Test("behind a trusted proxy, the walk from the right skips trusted hops to the client")
    func trusted() {
        let seen = proxies.apply(
            to: request(
                from: "10.9.8.7:5000",
                [
                    "Host": "127.0.0.1:8080",
                    "X-Forwarded-For": "6.6.6.6, 203.0.113.7, fd00::2, 10.1.2.3",
                    "X-Forwarded-Proto": "https", "X-Forwarded-Host": "pln.example.org",
                ]))
        #expect(seen.remoteAddress == "203.0.113.7")
        #expect(seen.isSecure)
        #expect(seen.scheme == "https")
        #expect(seen.headers["Host"] == "pln.example.org")
    }

    @Test("the last X-Forwarded-Proto and X-Forwarded-Host count: they are the nearest proxy's")
    func lastValueWins() {
        var headers: HTTPHeaders = ["X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "evil.example"]
        headers.add("X-Forwarded-Host", "pln.example.org")
        let seen = proxies.apply(to: request(from: "[::1]:5000", headers))
        #expect(!seen.isSecure)
        #expect(seen.headers["Host"] == "pln.example.org")
        let chained = proxies.apply(
            to: request(
                from: "127.0.0.1:1", ["X-Forwarded-Proto": "http", "X-Forwarded-For": "[2001:db8::7]:443"]))
        #expect(chained.remoteAddress == "2001:db8::7")
        #expect(!chained.isSecure)
    }

    @Test("from an untrusted peer every forwarded header is ignored, even one naming a trusted range")
    func untrusted() {
        let spoofed: HTTPHeaders = [
            "Host": "127.0.0.1:8080", "X-Forwarded-For": "10.0.0.1, 1.2.3.4", "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "pln.example.org",
        ]
        for peer in ["198.51.100.1:5000", "11.0.0.1:5000", "[fe00::1]:5000", "garbage"] {
            let seen = proxies.apply(to: request(from: peer, spoofed))
            #expect(seen.remoteAddress == peer)
            #expect(!seen.isSecure)
            #expect(seen.headers["Host"] == "127.0.0.1:8080")
        }
    }

    @Test("a chain of trusted hops gives the left-most; a hop that is not an address keeps the peer")
    func edges() {
        let allTrusted = proxies.apply(
            to: request(from: "127.0.0.1:1", ["X-Forwarded-For": "10.0.0.5, 10.0.0.6"]))
        #expect(allTrusted.remoteAddress == "10.0.0.5")
        let garbage = proxies.apply(
            to: request(from: "127.0.0.1:1", ["X-Forwarded-For": "203.0.113.7, unknown"]))
        #expect(garbage.remoteAddress == "127.0.0.1:1")
        let badHost = proxies.apply(
            to: request(from: "127.0.0.1:1", ["Host": "a", "X-Forwarded-Host": "a b"]))
        #expect(badHost.headers["Host"] == "a")
        let none = TrustedProxies([])
        #expect(none.isEmpty)
        #expect(!none.isTrusted("127.0.0.1:1"))
    }

    @Test("trust is decided by CIDR range, for IPv4 and IPv6 peers with or without a port")
    func matching() {
        #expect(proxies.isTrusted("[::1]:80"))
        #expect(proxies.isTrusted("10.200.0.1:443"))
        #expect(proxies.isTrusted("[fd12:3456::1]:443"))
        #expect(proxies.isTrusted("::ffff:10.0.0.1"))
        #expect(!proxies.isTrusted("11.0.0.1:443"))
        #expect(!proxies.isTrusted("10.0.0.256"))
        #expect(!proxies.isTrusted("garbage"))
    }
}
