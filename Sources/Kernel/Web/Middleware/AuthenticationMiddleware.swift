import HTTP

/// Who is asking: the member of an `Authorization: Bearer` token (an unknown, expired or revoked
/// token is answered 401 at once), or of the session cookie, or nobody.
///
/// ```swift
/// AuthenticationMiddleware()   // then context.member is set for every later step
/// ```
struct AuthenticationMiddleware: WebMiddleware {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        let authenticator = context.services.service(AuthenticatorBox.self)?.authenticator
        if let authorization = context.request.headers["Authorization"],
            authorization.lowercased().hasPrefix("bearer ")
        {
            let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard let member = authenticator?.member(forBearerToken: token) else {
                var response = WebApplication.problem(
                    .init(code: 401), "Invalid token", "The bearer token is unknown, expired or revoked.")
                response.headers.add("WWW-Authenticate", "Bearer")
                // A problem document, whichever route was asked for.
                response.headers.add(
                    "Content-Security-Policy", SecurityHeadersMiddleware.apiContentSecurityPolicy)
                return response
            }
            context.member = member
            context.authenticatedByBearer = true
        } else {
            context.member = authenticator?.member(forSessionIn: context.request)
        }
        return try next(context)
    }
}
