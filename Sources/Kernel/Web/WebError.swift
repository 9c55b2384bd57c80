import HTTP

/// An error a handler throws to answer with a status: the shell renders it as an error page
/// for members or as RFC 9457 problem details for the API. Never a stack trace.
public enum WebError: Error, Equatable {
    case badRequest(String)
    /// Not signed in.
    case unauthorized
    case forbidden(String)
    case notFound
    case conflict(String)
    /// Validation failed: a message per field.
    case unprocessable([FieldError])
    case tooManyRequests(String)
    case payloadTooLarge

    public var status: HTTPStatus {
        switch self {
        case .badRequest: return HTTPStatus(code: 400)
        case .unauthorized: return HTTPStatus(code: 401)
        case .forbidden: return HTTPStatus(code: 403)
        case .notFound: return HTTPStatus(code: 404)
        case .conflict: return HTTPStatus(code: 409)
        case .unprocessable: return HTTPStatus(code: 422)
        case .tooManyRequests: return HTTPStatus(code: 429)
        case .payloadTooLarge: return HTTPStatus(code: 413)
        }
    }

    public var title: String {
        switch self {
        case .badRequest: return "Bad request"
        case .unauthorized: return "Please sign in"
        case .forbidden: return "Not allowed"
        case .notFound: return "Page not found"
        case .conflict: return "Conflict"
        case .unprocessable: return "Please check what you entered"
        case .tooManyRequests: return "Too many attempts"
        case .payloadTooLarge: return "Too large"
        }
    }

    public var detail: String {
        switch self {
        case .badRequest(let message), .forbidden(let message), .conflict(let message), .tooManyRequests(let message):
            return message
        case .unauthorized: return "You need to sign in to do that."
        case .notFound: return "There is nothing here. It may have been moved or deleted, or you may not be allowed to see it."
        case .unprocessable(let errors): return errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .payloadTooLarge: return "What you sent is larger than this page accepts."
        }
    }
}

/// One field's validation message.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
