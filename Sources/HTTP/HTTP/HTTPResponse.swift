import Foundation

/// A response: status, headers and the whole body as bytes.
///
/// The server adds `Date`, `Content-Length` and `Connection`; for HEAD it sends the headers
/// (with the GET body's Content-Length) and no body.
///
/// ```swift
/// HTTPResponse.text("Hello, World!")
/// HTTPResponse.html("<p>Hi</p>", status: .created)
/// HTTPResponse.redirect(to: "/login")  // 303 See Other
/// ```
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `text/plain; charset=utf-8`.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// `text/html; charset=utf-8`. The caller is responsible for escaping (use the HTML builder).
    public static func html(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    /// Raw bytes with an explicit media type.
    public static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPStatus = .ok) -> HTTPResponse
    {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: bytes)
    }

    /// `application/json` from an `Encodable` value. An encoding failure is a programming error
    /// in the application, so it becomes a 500 problem response rather than a thrown error.
    public static func json<Value: Encodable>(
        _ value: Value, status: HTTPStatus = .ok, encoder: JSONEncoder = HTTPResponse.defaultJSONEncoder()
    ) -> HTTPResponse {
        do {
            let data = try encoder.encode(value)
            return HTTPResponse(
                status: status, headers: ["Content-Type": "application/json"], body: Array(data))
        } catch {
            return .problem(
                ProblemDetails(status: .internalServerError, detail: "The response could not be encoded."))
        }
    }

    /// Sorted keys, ISO 8601 dates: stable output for clients and tests.
    public static func defaultJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// A redirect; 303 by default so a POST is followed by a GET (post/redirect/get).
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Location": location])
    }

    /// `application/problem+json` (RFC 9457).
    public static func problem(_ problem: ProblemDetails) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: problem.status),
            headers: ["Content-Type": "application/problem+json"], body: problem.jsonBytes())
    }

    /// A bare status with a short text body (the reason phrase), used for engine errors.
    public static func status(_ status: HTTPStatus) -> HTTPResponse {
        status.allowsContent
            ? .text(status.reasonPhrase.isEmpty ? "\(status.code)" : status.reasonPhrase, status: status)
            : HTTPResponse(status: status)
    }

    /// Adds a `Set-Cookie` field.
    public mutating func setCookie(_ cookie: SetCookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }

    /// The body as UTF-8 text (for tests and logging).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
