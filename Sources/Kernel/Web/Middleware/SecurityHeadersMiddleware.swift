import Foundation
import HTTP

/// Security headers on every response, whoever produced it. Over TLS (a trusted proxy said
/// https, or the base_url is https) browsers are told to keep to https (HSTS, a year) and every
/// cookie is marked Secure, whoever set it.
///
/// It is the outermost step: it reads `context.request.isSecure` on the way out, after
/// ``ForwardedHeadersMiddleware`` has decided it.
///
/// ```swift
/// WebPipeline([SecurityHeadersMiddleware(), ForwardedHeadersMiddleware(…), …], handler: …)
/// ```
struct SecurityHeadersMiddleware: WebMiddleware {
    /// The pages' policy, allowing the inline `<style>` elements whose exact text is given
    /// (the network's colours) by their SHA-256 hash, and no other inline style.
    let pagePolicy: String

    init(inlineStyles: [String] = []) {
        let hashes = inlineStyles.map {
            " 'sha256-\(Data(SHA256.hash(Array($0.utf8))).base64EncodedString())'"
        }
        pagePolicy = Self.contentSecurityPolicy.replacingOccurrences(
            of: "style-src 'self';", with: "style-src 'self'\(hashes.joined());")
    }

    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        Self.secure(
            try next(context), api: context.route.kind == .api, tls: context.request.isSecure,
            pagePolicy: pagePolicy)
    }

    static let apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
        + "frame-src https://www.youtube-nocookie.com https://player.vimeo.com; frame-ancestors 'none'; "
        + "form-action 'self'; base-uri 'none'; object-src 'none'"

    /// The headers, for responses made outside the pipeline too (health checks, 405s).
    static func secure(
        _ response: HTTPResponse, api: Bool, tls: Bool, pagePolicy: String = contentSecurityPolicy
    ) -> HTTPResponse {
        var response = response
        if tls {
            response.headers.replaceOrAdd("Strict-Transport-Security", "max-age=31536000")
            let cookies = response.headers.values(for: "Set-Cookie")
            if cookies.contains(where: { !Self.isMarkedSecure($0) }) {
                response.headers.remove("Set-Cookie")
                for cookie in cookies {
                    response.headers.add(
                        "Set-Cookie", Self.isMarkedSecure(cookie) ? cookie : cookie + "; Secure")
                }
            }
        }
        response.headers.replaceOrAdd("X-Content-Type-Options", "nosniff")
        response.headers.replaceOrAdd("Referrer-Policy", "strict-origin-when-cross-origin")
        if !response.headers.contains("Content-Security-Policy") {
            response.headers.add(
                "Content-Security-Policy",
                api ? apiContentSecurityPolicy : pagePolicy)
        }
        response.headers.replaceOrAdd("X-Frame-Options", "DENY")
        if !response.headers.contains("Cache-Control") {
            response.headers.add("Cache-Control", "no-store")
        }
        return response
    }

    private static func isMarkedSecure(_ setCookie: String) -> Bool {
        setCookie.split(separator: ";").dropFirst().contains {
            $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure"
        }
    }
}
