import Foundation
import HTTP

/// Everything a handler needs about one request: the request, its route parameters, the
/// signed-in member, services, and helpers to answer with pages, JSON and redirects.
///
/// ```swift
/// context.web.page("GET", "/members/:handle") { ctx in
///     let handle = try ctx.parameter("handle")
///     return ctx.page(title: handle, body: "<h1>\(handle)</h1>")
/// }
/// ```
public final class RequestContext: @unchecked Sendable {
    // @unchecked: a context belongs to one request, handled on one worker thread.
    /// The steps of the request path (``WebMiddleware``) fill in the request as the application
    /// sees it, the member, the CSRF token and the flash before the handler runs.
    public internal(set) var request: HTTPRequest
    public let services: Services
    public let shell: Shell
    public internal(set) var member: SignedInMember?
    public let route: WebRoute
    /// The CSRF token forms on this page must carry.
    public internal(set) var csrfToken: String
    /// Cookies to set on whatever response the handler returns.
    public var cookies: [SetCookie] = []
    /// The message carried over from the previous request (after a redirect).
    public internal(set) var flash: Flash?
    /// The member was authenticated by an `Authorization: Bearer` token (no ambient authority).
    var authenticatedByBearer = false
    /// The request's cookies, parsed once for every step that reads them.
    lazy var requestCookies: [String: String] = request.cookies
    private var parsedForm: FormData?
    private var parsedFiles: [MultipartPart] = []

    init(
        request: HTTPRequest, services: Services, shell: Shell, member: SignedInMember? = nil,
        route: WebRoute,
        csrfToken: String = "", flash: Flash? = nil
    ) {
        self.request = request
        self.services = services
        self.shell = shell
        self.member = member
        self.route = route
        self.csrfToken = csrfToken
        self.flash = flash
    }

    public var now: Date { services.clock.now }

    /// A route parameter (e.g. `:handle`).
    public func parameter(_ name: String) throws -> String {
        guard let value = request.routeParameters[name], !value.isEmpty else { throw DomainError.notFound }
        return value
    }

    /// A route parameter that must be a positive whole number.
    public func idParameter(_ name: String) throws -> Int64 {
        guard let id = Int64(try parameter(name)), id > 0 else { throw DomainError.notFound }
        return id
    }

    public func query(_ name: String) -> String? { request.queryValue(name) }

    /// The signed-in member, or 401 (pages redirect to sign in).
    public func requireMember() throws -> SignedInMember {
        guard let member else { throw WebError.unauthorized }
        return member
    }

    /// A member who may post (not pending approval).
    public func requireActiveMember() throws -> SignedInMember {
        let member = try requireMember()
        try member.requireMayWrite()
        return member
    }

    /// What this viewer may see of the activity stream and other scoped content.
    public lazy var viewer: Viewer = {
        guard let member else { return .anonymous }
        let groups = services.service(GroupScopesBox.self)?.scopes.groupIDs(of: member.id) ?? []
        return Viewer(memberID: member.id, isModerator: member.isModerator, groupIDs: groups)
    }()

    /// The submitted form (URL-encoded or multipart), parsed once.
    public func form() throws -> FormData {
        if let parsedForm { return parsedForm }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        let form: FormData
        do {
            if contentType.hasPrefix("multipart/form-data") {
                let parts = try MultipartFormData.parse(
                    body: request.body, contentType: request.headers["Content-Type"] ?? "")
                form = FormData(
                    parts.filter { $0.filename == nil }.map { FormItem(name: $0.name, value: $0.text) })
                parsedFiles = parts.filter { $0.filename != nil }
            } else {
                form = try FormData(urlEncoded: request.body)
            }
        } catch {
            throw WebError.badRequest("The form could not be read: \(error)")
        }
        parsedForm = form
        return form
    }

    /// An uploaded file of a multipart form, by field name (empty uploads count as none).
    public func file(_ name: String) throws -> MultipartPart? {
        _ = try form()
        return parsedFiles.first { $0.name == name && !$0.body.isEmpty }
    }

    /// Decodes a JSON body.
    public func json<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(request.body))
        } catch {
            throw WebError.badRequest(
                "The request body is not valid JSON for this operation: \(Self.describe(error))")
        }
    }

    /// The JSON body as a loose value.
    public func jsonBody() throws -> JSONValue {
        do {
            return try JSONValue.parse(request.bodyText)
        } catch {
            throw WebError.badRequest("The request body is not valid JSON.")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        default: return "malformed JSON"
        }
    }

    // MARK: Responses

    /// A full page in the network's layout.
    /// `sidebarActivity: false` leaves Latest Activity out of the sidebar, for pages that show
    /// the stream in their main column already.
    public func page(
        title: String, body: HTML, status: HTTPStatus = .ok, sidebar: Bool = true,
        sidebarActivity: Bool = true
    ) -> HTTPResponse {
        respond(
            .html(
                shell.render(
                    title: title, body: body, context: self, sidebar: sidebar,
                    sidebarActivity: sidebarActivity
                ).text,
                status: status))
    }

    /// JSON built from a ``JSONValue``.
    public func json(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(value.jsonText().utf8))
        response.headers.add("Content-Type", "application/json")
        return respond(response)
    }

    /// A redirect after a successful form, with an optional message for the next page.
    public func redirect(to location: String, flash message: String? = nil, kind: Flash.Kind = .success)
        -> HTTPResponse
    {
        if let message { cookies.append(Flash(kind: kind, message: message).cookie) }
        return respond(.redirect(to: location))
    }

    /// Adds cookies the handler set.
    public func respond(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// A hidden CSRF field for a form.
    /// The hidden form field with the CSRF token; made once per token (a page with a form per
    /// message or comment asks for it dozens of times).
    public var csrfField: HTML {
        if let made = madeCSRFField, made.token == csrfToken { return made.field }
        let field: HTML = "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">"
        madeCSRFField = (csrfToken, field)
        return field
    }
    private var madeCSRFField: (token: String, field: HTML)?

    public var isSecure: Bool { request.isSecure }
}

/// Holds the groups module's scopes in the service container.
public struct GroupScopesBox: Sendable {
    public let scopes: any GroupScopes
    public init(_ scopes: any GroupScopes) { self.scopes = scopes }
}

/// Holds the membership module's authenticator in the service container.
public struct AuthenticatorBox: Sendable {
    public let authenticator: any Authenticator
    public init(_ authenticator: any Authenticator) { self.authenticator = authenticator }
}

/// A one-time message shown on the next page ("Your post was published").
public struct Flash: Sendable, Equatable {
    public enum Kind: String, Sendable { case success, error, info }
    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    static let cookieName = "pln_flash"

    var cookie: SetCookie {
        // SetCookie percent-encodes what a cookie value may not hold; reading decodes it once.
        var cookie = SetCookie(name: Self.cookieName, value: kind.rawValue + ":" + message)
        cookie.maxAge = 60
        return cookie
    }

    init?(cookieValue: String) {
        guard let colon = cookieValue.firstIndex(of: ":"),
            let kind = Kind(rawValue: String(cookieValue[..<colon]))
        else { return nil }
        let encoded = String(cookieValue[cookieValue.index(after: colon)...])
        guard let message = PercentDecoding.decode(encoded) else { return nil }
        self.kind = kind
        self.message = String(message.prefix(500))
    }
}
