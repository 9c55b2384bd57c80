import HTTP
import Storage

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
        } catch let error as StorageError where error.isRetryableConflict || error.isBusy {
            // Writers still colliding after the storage layer's retries (PostgreSQL's
            // serialization failures and deadlocks, SQLite's busy timeout): that
            // transaction was rolled back whole, so nothing is half-written and the request can be
            // sent again. 503 with Retry-After says so, where a 500 would say something broke.
            // (A handler that wrote in an earlier transaction may have saved that part.)
            context.services.log.warning(
                "write conflict", ["path": context.request.path, "error": error.summary])
            var response: HTTPResponse
            if isAPI {
                response = context.respond(
                    WebApplication.problem(
                        .serviceUnavailable, "Busy",
                        "Too many changes at once: this change was not saved. Try again in a moment."))
            } else {
                response = context.page(
                    title: "Busy",
                    body:
                        "<h1>Busy for a moment</h1><p>Too many changes arrived at once, so yours was not saved. Go back, check it and send it again in a moment.</p>",
                    status: .serviceUnavailable, sidebar: false)
            }
            response.headers.add("Retry-After", "1")
            return response
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
