import HTTP

/// How a request ends with an error status: the shell renders it as an error page for members
/// or as RFC 9457 problem details for the API. Never a stack trace. Services throw
/// ``DomainError``; this adds what only HTTP knows (a malformed request, no session, a body too
/// large).
public enum WebError: Error, Equatable {
    case badRequest(String)
    /// Not signed in.
    case unauthorized
    case payloadTooLarge
    /// A service's error, mapped once here.
    case domain(DomainError)

    public init(_ error: DomainError) { self = .domain(error) }

    public static let notFound = WebError.domain(.notFound)

    public var status: HTTPStatus {
        switch self {
        case .badRequest: return HTTPStatus(code: 400)
        case .unauthorized: return HTTPStatus(code: 401)
        case .payloadTooLarge: return HTTPStatus(code: 413)
        case .domain(let error):
            switch error {
            case .forbidden: return HTTPStatus(code: 403)
            case .notFound: return HTTPStatus(code: 404)
            case .conflict: return HTTPStatus(code: 409)
            case .invalid: return HTTPStatus(code: 422)
            case .rateLimited: return HTTPStatus(code: 429)
            }
        }
    }

    public var title: String {
        switch self {
        case .badRequest: return "Bad request"
        case .unauthorized: return "Please sign in"
        case .payloadTooLarge: return "Too large"
        case .domain(let error):
            switch error {
            case .forbidden: return "Not allowed"
            case .notFound: return "Page not found"
            case .conflict: return "Conflict"
            case .invalid: return "Please check what you entered"
            case .rateLimited: return "Too many attempts"
            }
        }
    }

    public var detail: String {
        switch self {
        case .badRequest(let message): return message
        case .unauthorized: return "You need to sign in to do that."
        case .payloadTooLarge: return "What you sent is larger than this page accepts."
        case .domain(let error): return error.message
        }
    }

    /// The field messages of a failed validation, for forms that show them beside each field.
    public var fieldErrors: [FieldError]? {
        if case .domain(.invalid(let errors)) = self { return errors }
        return nil
    }
}
