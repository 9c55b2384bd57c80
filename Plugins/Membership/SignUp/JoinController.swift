import HTTP
import Kernel

/// Joining the network through the JSON API. Routes are declared in ``MembershipAPI``.
///
/// ```swift
/// let join = JoinController(membership: membership)
/// api.post("/members", summary: "Join the network.", operationID: "join", use: join.create)
/// ```
struct JoinController: Sendable {
    let membership: MembershipService

    func create(_ ctx: RequestContext, _ request: SignUpRequest) throws -> Accepted<CheckMailResponse> {
        try membership.requestSignUp(
            .init(
                name: request.name, email: request.email, password: request.password, handle: request.handle,
                acceptsTerms: request.acceptTerms, answers: (request.answers ?? [:]).mapValues(\.text),
                invitationCode: request.invitation))
        return Accepted(
            CheckMailResponse(
                status: "check_mail",
                detail:
                    "We have sent a message to that address. Open the link in it to finish joining; it works for a day."
            ))
    }
}

/// A sign-up through the API.
struct SignUpRequest: APIModel {
    var name: String
    var email: String
    var password: String
    var handle: String?
    var acceptTerms: Bool
    var answers: [String: AnswerText]?
    var invitation: String?

    static let schemaName = "MembershipSignUp"
    static let fieldHints: [String: SchemaHint] = [
        "name": .init(message: "Enter your name."),
        "email": .init(message: "Enter your email address."),
        "password": .init(minLength: Passwords.minimumLength, message: "Choose a password."),
        "handle": .description("Your handle; derived from your name when left out."),
        "acceptTerms": .init(message: "You need to accept the Terms of Service to join."),
        "answers": .description("Answers to the profile questions, by question id."),
        "invitation": .description(
            "The code from an invitation link (required when the network is by invitation)."),
    ]
}

/// What a sign-up answers, the same whether or not the address is a member's already.
struct CheckMailResponse: APIModel {
    var status: String
    var detail: String

    static let schemaName = "MembershipCheckMail"
    static let schemaDescription: String? =
        "Accepted: a message went to the address (a link to finish joining, or, when the address is a member's already, a note to its owner). The answer is the same either way."
}
