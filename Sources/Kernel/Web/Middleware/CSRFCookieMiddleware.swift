import HTTP

/// The CSRF token this request's forms carry: the session's, or the one in the browser's
/// `pln_csrf` cookie when this deployment issued it, or a new one set in that cookie.
///
/// ```swift
/// CSRFCookieMiddleware(csrf: CSRF(key: key))   // then context.csrfToken is set
/// ```
struct CSRFCookieMiddleware: WebMiddleware {
    let csrf: CSRF

    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        if let sessionToken = context.member?.csrfToken {
            context.csrfToken = sessionToken
        } else if let cookieToken = context.requestCookies[CSRF.cookieName], csrf.isIssued(cookieToken) {
            context.csrfToken = cookieToken
        } else {
            context.csrfToken = csrf.issue()
            var cookie = SetCookie(name: CSRF.cookieName, value: context.csrfToken)
            cookie.secure = context.request.isSecure
            context.cookies.append(cookie)
        }
        return try next(context)
    }
}
