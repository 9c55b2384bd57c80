import HTTP

/// The message the previous response left in the `pln_flash` cookie (after a redirect), shown
/// once: the cookie is expired on this response.
///
/// ```swift
/// FlashMiddleware()   // then context.flash is set
/// ```
struct FlashMiddleware: WebMiddleware {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        if let value = context.requestCookies[Flash.cookieName] {
            context.flash = Flash(cookieValue: value)
            context.cookies.append(SetCookie.expired(name: Flash.cookieName))
        }
        return try next(context)
    }
}
