import Testing

@testable import HTTP

@Suite("Forms, multipart and cookies")
struct FormsTests {
    @Test("urlencoded: plus is space, escapes decode, repeated names keep order")
    func urlEncoded() throws {
        let form = FormData(try URLEncodedForm.decode("name=Ada+Lovelace&tag=a&tag=b%26c&empty=&flag"))
        #expect(form["name"] == "Ada Lovelace")
        #expect(form.values("tag") == ["a", "b&c"])
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
    }

    @Test("urlencoded: malformed escapes are kept literally and invalid UTF-8 is repaired")
    func urlEncodedInvalid() throws {
        let items = try URLEncodedForm.decode("a=100%&b=%zz&c=%E2%82&d=caf%C3%A9")
        #expect(items.map(\.value) == ["100%", "%zz", "\u{FFFD}", "café"])
    }

    @Test("urlencoded: fields are cut on the bytes & and =, even before a combining mark")
    func urlEncodedSplitsOnBytes() throws {
        // WHATWG URL 5.1 splits the byte sequence; by Character, "&\u{301}" is one character.
        let items = try URLEncodedForm.decode("a=1&\u{301}b=2&c=\u{301}d&&e")
        #expect(items.map(\.name) == ["a", "\u{301}b", "c", "e"])
        #expect(items.map(\.value) == ["1", "2", "\u{301}d", ""])
        let request = HTTPRequest(method: "GET", target: "/s?a=1&\u{301}b=2&c=\u{301}d&&e")
        #expect(request.queryItems == items)
    }

    @Test("urlencoded: the field count is limited")
    func urlEncodedLimit() {
        let many = (0..<20).map { "f\($0)=v" }.joined(separator: "&")
        #expect(throws: FormError.tooManyFields(limit: 10)) { try URLEncodedForm.decode(many, maxFields: 10) }
    }

    @Test("urlencoded: encoding round-trips")
    func roundTrip() throws {
        let items = [FormItem(name: "q", value: "a b&c=d/é"), FormItem(name: "x y", value: "")]
        #expect(try URLEncodedForm.decode(URLEncodedForm.encode(items)) == items)
    }

    @Test("request query items come from the query string; past 1,000 items the rest are dropped")
    func queryItems() {
        let request = HTTPRequest(method: "GET", target: "/search?q=swift+server&page=2")
        #expect(request.queryValue("q") == "swift server")
        #expect(request.queryValue("page") == "2")
        let flood = HTTPRequest(
            method: "GET", target: "/?" + (0..<1500).map { "k\($0)=v" }.joined(separator: "&"))
        #expect(flood.queryItems.count == 1000)
        #expect(flood.queryItems.last?.name == "k999")
        #expect(flood.queryValue("k999") == "v")
        #expect(flood.queryValue("k1000") == nil)
    }

    @Test("a query value is the first field of that name, decoded as queryItems decodes it")
    func queryValueAgreesWithQueryItems() {
        let targets = [
            "/s?q=a+b&q=second", "/s?%71=encoded+name&q=later", "/s?&&q&x=1", "/s?x=1&q=",
            "/s?q=%E2%80%99s%2B1%",
            "/s?a+b=c&a%20b=d", "/s?q=x=y&q", "/s", "/s?", "/s?Q=upper", "/s?q%=bad&q=good",
            "/s?é=ü&q=caf%C3%A9", "/s?q=a&\u{301}x=1", "/s?e\u{301}=1&q=2", "/s?K=1&Key=2",
        ]
        for target in targets {
            let request = HTTPRequest(method: "GET", target: target)
            for name in ["q", "x", "a b", "Q", "é", "q%", "missing", "\u{301}x", "\u{212A}", "\u{212A}ey"] {
                #expect(
                    request.queryValue(name) == request.queryItems.first { $0.name == name }?.value,
                    "\(target) \(name)")
            }
        }
    }

    static let multipartBody: [UInt8] = Array(
        ("preamble\r\n--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
            + "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n"
            + "--XyZ--\r\nepilogue").utf8)

    @Test("multipart: fields and files with name, filename, content type and exact bytes")
    func multipart() throws {
        let parts = try MultipartFormData.parse(
            body: Self.multipartBody, contentType: "multipart/form-data; boundary=XyZ")
        #expect(parts.count == 2)
        #expect(parts[0].name == "title")
        #expect(parts[0].text == "Hello")
        #expect(parts[0].filename == nil)
        #expect(parts[1].name == "file")
        #expect(parts[1].filename == "a \"b\".txt")
        #expect(parts[1].contentType == "text/plain")
        #expect(parts[1].text == "line1\r\nline2")
    }

    @Test("multipart: boundary comes from a quoted Content-Type parameter")
    func quotedBoundary() throws {
        #expect(
            try MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\"a b:c\"")
                == "a b:c")
        #expect(throws: MultipartError.missingBoundary) {
            try MultipartFormData.boundary(fromContentType: "multipart/form-data")
        }
        #expect(throws: MultipartError.notMultipartFormData(contentType: "text/plain")) {
            try MultipartFormData.boundary(fromContentType: "text/plain")
        }
        let tooLong = String(repeating: "b", count: 71)
        #expect(throws: MultipartError.invalidBoundary(tooLong)) {
            try MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\(tooLong)")
        }
    }

    @Test("multipart: malformed bodies produce typed errors")
    func multipartMalformed() {
        let type = "multipart/form-data; boundary=B"
        #expect(throws: MultipartError.missingInitialBoundary) {
            try MultipartFormData.parse(body: Array("no boundary here".utf8), contentType: type)
        }
        #expect(throws: MultipartError.unterminatedPart(part: 0)) {
            try MultipartFormData.parse(
                body: Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever ends".utf8),
                contentType: type)
        }
        #expect(throws: MultipartError.missingContentDisposition(part: 0)) {
            try MultipartFormData.parse(
                body: Array("--B\r\nX-A: 1\r\n\r\nv\r\n--B--".utf8), contentType: type)
        }
        #expect(throws: MultipartError.missingName(part: 0)) {
            try MultipartFormData.parse(
                body: Array("--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--".utf8), contentType: type
            )
        }
    }

    @Test("multipart: part count and part size limits")
    func multipartLimits() {
        var body = ""
        for index in 0..<5 {
            body += "--B\r\nContent-Disposition: form-data; name=\"f\(index)\"\r\n\r\nvalue\r\n"
        }
        body += "--B--"
        var limits = MultipartLimits()
        limits.maxParts = 3
        #expect(throws: MultipartError.tooManyParts(limit: 3)) {
            try MultipartFormData.parse(body: Array(body.utf8), boundary: "B", limits: limits)
        }
        limits = MultipartLimits()
        limits.maxPartSize = 4
        #expect(throws: MultipartError.partTooLarge(part: 0, limit: 4)) {
            try MultipartFormData.parse(body: Array(body.utf8), boundary: "B", limits: limits)
        }
    }

    @Test("multipart: truncations of a valid body never crash")
    func multipartTruncations() {
        for length in 0..<Self.multipartBody.count {
            _ = try? MultipartFormData.parse(body: Array(Self.multipartBody[0..<length]), boundary: "XyZ")
        }
    }

    @Test("cookies: pairs parse, quotes are removed, the first occurrence wins, junk is skipped")
    func cookies() {
        let cookies = Cookies.parse(["session=abc; theme=\"dark\"; session=other; junk; =novalue", "lang=en"])
        #expect(cookies == ["session": "abc", "theme": "dark", "lang": "en"])
        #expect(HTTPRequest(method: "GET", target: "/", headers: ["Cookie": "a=1"]).cookies == ["a": "1"])
    }

    @Test(
        "cookies: white space and tabs around names and values, empty and non-ASCII values, stray semicolons")
    func cookieEdges() {
        let cookies = Cookies.parse([" \ta = 1 \t;;b=;c=\"\";  d=é\u{1F600}x ; e=x=y;", ";", ""])
        #expect(cookies == ["a": "1", "b": "", "c": "", "d": "é\u{1F600}x", "e": "x=y"])
        #expect(Cookies.parse("q=\"") == ["q": "\""])
        #expect(Cookies.parse("  =x; \t=y") == [:])
    }

    @Test("Set-Cookie: defaults are HttpOnly, SameSite=Lax, Path=/; attributes render in order")
    func setCookie() {
        var cookie = SetCookie(name: "session", value: "tok")
        #expect(cookie.headerValue == "session=tok; Path=/; HttpOnly; SameSite=Lax")
        cookie.secure = true
        cookie.maxAge = 3600
        cookie.sameSite = .strict
        #expect(cookie.headerValue == "session=tok; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict")
        #expect(SetCookie.expired(name: "session").headerValue.contains("Max-Age=0"))
    }

    @Test("Set-Cookie: a value cannot inject attributes")
    func setCookieInjection() {
        let cookie = SetCookie(name: "a", value: "x; Domain=evil.example\r\nX: y")
        #expect(!cookie.headerValue.contains(";  Domain"))
        #expect(cookie.headerValue.hasPrefix("a=x%3B%20Domain=evil.example%0D%0AX:%20y;"))
    }
}
