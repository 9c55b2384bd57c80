import HTTP

/// State-changing requests (POST, PUT, PATCH, DELETE) from a browser must come from this site and
/// carry the CSRF token (see ``CSRF/verify(request:context:expected:isAPI:hasSession:)``). A
/// request authenticated by a bearer token carries no ambient authority and is not checked.
///
/// ```swift
/// CSRFCheckMiddleware()   // a cross-site form post is answered 403
/// ```
struct CSRFCheckMiddleware: WebMiddleware {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        if !context.authenticatedByBearer, context.route.checksCSRF, Self.changesState(context.request.method) {
            try CSRF.verify(
                request: context.request, context: context, expected: context.csrfToken,
                isAPI: context.route.kind == .api, hasSession: context.member != nil)
        }
        return try next(context)
    }

    private static func changesState(_ method: String) -> Bool {
        method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE"
    }
}
