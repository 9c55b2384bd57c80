import Foundation
import Testing

@testable import HTTP

@Suite("Responses, dates and static files")
struct ResponseTests {
    struct Post: Codable, Equatable {
        var title: String
        var tags: [String]
    }

    @Test("json encodes with sorted keys and the JSON media type")
    func json() throws {
        let response = HTTPResponse.json(Post(title: "Hi", tags: ["a"]), status: .created)
        #expect(response.status == .created)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.bodyText == #"{"tags":["a"],"title":"Hi"}"#)
        #expect(
            try JSONDecoder().decode(Post.self, from: Data(response.body)) == Post(title: "Hi", tags: ["a"]))
    }

    @Test("problem details follow RFC 9457 and escape their strings")
    func problem() throws {
        let response = HTTPResponse.problem(
            ProblemDetails(
                status: .unprocessableContent, detail: "bad \"slug\"\n", instance: "/x",
                extensions: ["field": "slug", "status": "ignored"]))
        #expect(response.status.code == 422)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["type"] as? String == "about:blank")
        #expect(object["title"] as? String == "Unprocessable Content")
        #expect(object["status"] as? Int == 422)
        #expect(object["detail"] as? String == "bad \"slug\"\n")
        #expect(object["field"] as? String == "slug")
    }

    @Test("redirects default to 303 with a Location")
    func redirect() {
        let response = HTTPResponse.redirect(to: "/login")
        #expect(response.status.code == 303)
        #expect(response.headers["Location"] == "/login")
    }

    @Test("the serializer owns framing headers and leaves out application values holding CR/LF")
    func serializer() {
        var response = HTTPResponse.text("hello")
        response.headers.add("X-Evil", "a\r\nSet-Cookie: x=y")
        response.headers.add("Content-Length", "999")
        let output = ResponseSerializer.serialize(
            response, isHead: false, keepAlive: true, requestVersion: .http1_1, date: Array("D".utf8))
        let text = String(decoding: output.head, as: UTF8.self)
        #expect(!text.contains("X-Evil"))
        #expect(!text.contains("Set-Cookie"))
        #expect(text.contains("Content-Length: 5\r\n"))
        #expect(!text.contains("999"))
        #expect(text.hasSuffix("\r\n\r\nhello"))
    }

    @Test("HEAD keeps Content-Length and drops the body; 304 and 204 carry neither")
    func headAndNoContent() {
        let head = ResponseSerializer.serialize(
            .text("hello"), isHead: true, keepAlive: true, requestVersion: .http1_1, date: [])
        let headText = String(decoding: head.head, as: UTF8.self)
        #expect(headText.contains("Content-Length: 5\r\n"))
        #expect(headText.hasSuffix("\r\n\r\n"))
        #expect(head.body == nil)
        let notModified = ResponseSerializer.serialize(
            HTTPResponse(status: .notModified, body: Array("x".utf8)), isHead: false, keepAlive: true,
            requestVersion: .http1_1, date: [])
        let text = String(decoding: notModified.head, as: UTF8.self)
        #expect(!text.contains("Content-Length"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test("HTTP-date formats IMF-fixdate and parses all three forms")
    func httpDate() {
        #expect(HTTPDate.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.parse("Sun, 31 Feb 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
        let now = Int(Date().timeIntervalSince1970)
        #expect(HTTPDate.parse(HTTPDate.format(epochSeconds: now)) == now)
    }

    @Test("percent decoding: strict rejects malformed escapes and NUL; lenient keeps them")
    func percentDecoding() {
        #expect(PercentDecoding.decode("caf%C3%A9") == "café")
        #expect(PercentDecoding.decode("100%") == nil)
        #expect(PercentDecoding.decode("%zz") == nil)
        #expect(PercentDecoding.decode("%00") == nil)
        #expect(PercentDecoding.decode("%C3") == nil)
        #expect(PercentDecoding.decodeLeniently("a+b%2", plusAsSpace: true) == "a b%2")
        #expect(PercentDecoding.encode("a b/é") == "a%20b%2F%C3%A9")
        #expect(PercentDecoding.encode("") == "")
        #expect(PercentDecoding.encode("AZaz09-._~") == "AZaz09-._~")
        #expect(PercentDecoding.encode("🏫%+&=") == "%F0%9F%8F%AB%25%2B%26%3D")
        // Every text comes back from its encoding (NUL aside: decode refuses it).
        for text in ["a b/é", "\u{7F}\u{1}x", "Zoë & \"friends\"?#", String(repeating: "€", count: 40)] {
            #expect(PercentDecoding.decode(PercentDecoding.encode(text)) == text)
        }
    }

    func makeAssets() throws -> (StaticFiles, String) {
        let directory = NSTemporaryDirectory() + "pln-static-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/css", withIntermediateDirectories: true)
        try Data("body{}".utf8).write(to: URL(fileURLWithPath: directory + "/css/site.css"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: directory + "/.env"))
        return (StaticFiles(root: directory, cacheControl: "public, max-age=60"), directory)
    }

    @Test("static files: content type, strong ETag, Last-Modified, Cache-Control")
    func staticFile() throws {
        let (assets, directory) = try makeAssets()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let response = assets.response(
            for: HTTPRequest(method: "GET", target: "/static/css/site.css"), path: "css/site.css")
        #expect(response.status == .ok)
        #expect(response.bodyText == "body{}")
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.headers["Cache-Control"] == "public, max-age=60")
        let etag = try #require(response.headers["ETag"])
        #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
        #expect(HTTPDate.parse(try #require(response.headers["Last-Modified"])) != nil)
    }

    @Test("static files: 304 on a matching If-None-Match or a fresh If-Modified-Since")
    func staticConditional() throws {
        let (assets, directory) = try makeAssets()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = assets.response(for: HTTPRequest(method: "GET", target: "/"), path: "css/site.css")
        let etag = try #require(first.headers["ETag"])
        let lastModified = try #require(first.headers["Last-Modified"])
        let byTag = assets.response(
            for: HTTPRequest(method: "GET", target: "/", headers: ["If-None-Match": "\"other\", \(etag)"]),
            path: "css/site.css")
        #expect(byTag.status == .notModified)
        #expect(byTag.body.isEmpty)
        #expect(byTag.headers["ETag"] == etag)
        let byDate = assets.response(
            for: HTTPRequest(method: "GET", target: "/", headers: ["If-Modified-Since": lastModified]),
            path: "css/site.css")
        #expect(byDate.status == .notModified)
        let stale = assets.response(
            for: HTTPRequest(method: "GET", target: "/", headers: ["If-None-Match": "\"other\""]),
            path: "css/site.css")
        #expect(stale.status == .ok)
        let old = assets.response(
            for: HTTPRequest(
                method: "GET", target: "/", headers: ["If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"]),
            path: "css/site.css")
        #expect(old.status == .ok)
    }

    @Test("static files: traversal, hidden files and missing files are 404")
    func staticSafety() throws {
        let (assets, directory) = try makeAssets()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for path in [
            "../etc/passwd", "css/../../x", ".env", "css//site.css", "", "css", "missing.css",
            "css\\site.css",
        ] {
            #expect(
                assets.response(for: HTTPRequest(method: "GET", target: "/"), path: path).status == .notFound,
                "\(path)")
        }
    }

    @Test("decimal rendering of status codes and lengths matches String(_:)")
    func decimals() {
        for value in [0, 7, 9, 10, 99, 100, 200, 404, 1000, 3_000_000, Int.max] {
            var out: [UInt8] = []
            ResponseSerializer.appendDecimal(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }

    @Test("an application status cannot split the status line or pose as an interim response")
    func statusLineSafety() {
        let injected = ResponseSerializer.serialize(
            HTTPResponse(status: HTTPStatus(code: 200, reasonPhrase: "OK\r\nSet-Cookie: a=b")), isHead: false,
            keepAlive: true, requestVersion: .http1_1, date: [])
        #expect(
            String(decoding: injected.head, as: UTF8.self).hasPrefix("HTTP/1.1 200 OKSet-Cookie: a=b\r\n"))
        let interim = ResponseSerializer.serialize(
            HTTPResponse(status: HTTPStatus(code: 101)), isHead: false, keepAlive: true,
            requestVersion: .http1_1,
            date: [])
        #expect(
            String(decoding: interim.head, as: UTF8.self).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
    }

    @Test("a header value holding CR, LF or NUL is left out whole, never joined into another value")
    func headerValuesWithLineBreaksAreRefused() {
        var response = HTTPResponse.redirect(to: "/\r\n/evil.example/")
        response.headers.add("X-Nul", "a\u{0}b")
        response.headers.add("X-Fine", "kept")
        let head = String(
            decoding: ResponseSerializer.serialize(
                response, isHead: false, keepAlive: true, requestVersion: .http1_1, date: []
            ).head, as: UTF8.self)
        #expect(!head.contains("Location"))
        #expect(!head.contains("evil.example"))
        #expect(!head.contains("X-Nul"))
        #expect(head.contains("X-Fine: kept\r\n"))
    }
}
