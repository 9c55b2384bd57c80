import HTTP

/// The request as the client sent it: X-Forwarded-For, -Proto and -Host count only from the
/// configured trusted proxies (``TrustedProxies``: addresses and CIDR ranges, one rule for the
/// three headers). A deployment whose base_url is https is served over TLS whatever the proxy
/// says.
///
/// ```swift
/// ForwardedHeadersMiddleware(proxies: try TrustedProxies(parsing: ["10.0.0.0/8"]), servedOverTLS: true)
/// ```
struct ForwardedHeadersMiddleware: WebMiddleware {
    let proxies: TrustedProxies
    let servedOverTLS: Bool

    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        if !proxies.isEmpty { context.request = proxies.apply(to: context.request) }
        if servedOverTLS { context.request.isSecure = true }
        return try next(context)
    }
}
