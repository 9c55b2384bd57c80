import HTTP
import Kernel

/// Signing in and out of the JSON API: credentials for a bearer token, and revoking it.
/// Routes are declared in ``MembershipAPI``.
///
/// ```swift
/// let sessions = SessionsController(membership: membership)
/// api.post("/sessions", summary: "Sign in.", operationID: "createSession", use: sessions.create)
/// ```
struct SessionsController: Sendable {
    let membership: MembershipService

    func create(_ ctx: RequestContext, _ request: SignInRequest) throws -> Created<SessionResponse> {
        do {
            let member = try membership.signIn(
                login: request.login, password: request.password, address: ctx.request.remoteAddress)
            let token = try membership.createAPIToken(for: member)
            return Created(SessionResponse(token: token, member: MemberResponse(member, includeEmail: true)))
        } catch let failure as MembershipService.SignInFailure {
            switch failure {
            case .invalid: throw WebError.unauthorized
            case .throttled(let minutes):
                throw DomainError.rateLimited("Too many attempts; wait \(minutes) minutes.")
            case .suspended: throw DomainError.forbidden("This account is suspended.")
            }
        }
    }

    func delete(_ ctx: RequestContext) throws -> NoContent {
        guard let authorization = ctx.request.headers["Authorization"],
            authorization.lowercased().hasPrefix("bearer ")
        else {
            throw WebError.badRequest("Send the token to revoke as a bearer token.")
        }
        try membership.revokeAPIToken(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        return NoContent()
    }
}

/// Credentials: a handle or email address, and the password.
struct SignInRequest: APIModel {
    var login: String
    var password: String

    static let schemaName = "MembershipSignIn"
    static let fieldHints: [String: SchemaHint] = [
        "login": .init(
            description: "Your handle or email address.", message: "login and password are required."),
        "password": .init(message: "login and password are required."),
    ]
}

/// A bearer token and the member it signs in.
struct SessionResponse: APIModel {
    var token: String
    var member: MemberResponse

    static let schemaName = "MembershipSession"
    static let schemaDescription: String? = "A bearer token and the member it signs in."
    static let fieldHints: [String: SchemaHint] = [
        "token": .description("Send it as `Authorization: Bearer <token>`.")
    ]
}
