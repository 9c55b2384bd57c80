import HTTP

/// Errors thrown by the later steps and the handler, answered once: problem details (RFC 9457)
/// on API routes, the shell's error page on pages, a redirect to sign in for a page that needs a
/// member, and a logged 500 for anything unexpected.
///
/// ```swift
/// ErrorMiddleware()   // a handler's `throw DomainError.notFound` becomes a 404 page
/// ```
struct ErrorMiddleware: WebMiddleware {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        let isAPI = context.route.kind == .api
        do {
            return try next(context)
        } catch let domain as DomainError {
            let error = WebError(domain)
            return isAPI
                ? context.respond(WebApplication.problem(error))
                : context.shell.errorPage(error, context: context)
        } catch let error as WebError {
            if isAPI { return context.respond(WebApplication.problem(error)) }
            if error == .unauthorized, let signIn = context.shell.signInPath(next: context.request.target) {
                return context.respond(.redirect(to: signIn))
            }
            return context.shell.errorPage(error, context: context)
        } catch {
            context.services.log.error("handler failed", ["path": context.request.path, "error": "\(error)"])
            if isAPI {
                return context.respond(
                    WebApplication.problem(
                        .internalServerError, "Internal error",
                        "Something went wrong on our side. It has been logged."))
            }
            return context.page(
                title: "Something went wrong",
                body:
                    "<h1>Something went wrong</h1><p>Something went wrong on our side. It has been logged; please try again.</p>",
                status: .internalServerError, sidebar: false)
        }
    }
}
