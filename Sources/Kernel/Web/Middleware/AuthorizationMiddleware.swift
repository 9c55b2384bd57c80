import HTTP

/// The route's access rule (``WebRoute/access``): anyone, members, moderators or admins.
/// Nobody signed in gets 401 (pages redirect to sign in); a member without the role gets 403.
///
/// ```swift
/// context.web.page("GET", "/admin", access: .admins) { … }   // checked here, before the handler
/// ```
struct AuthorizationMiddleware: WebMiddleware {
    func respond(to context: RequestContext, next: WebResponder) throws -> HTTPResponse {
        switch context.route.access {
        case .anyone: break
        case .members: if context.member == nil { throw WebError.unauthorized }
        case .moderators:
            guard let member = context.member else { throw WebError.unauthorized }
            if !member.isModerator { throw DomainError.forbidden("Only moderators can see this.") }
        case .admins:
            guard let member = context.member else { throw WebError.unauthorized }
            if !member.isAdmin { throw DomainError.forbidden("Only administrators can see this.") }
        }
        return try next(context)
    }
}
