/// What a service says went wrong, in the words of the domain rather than of HTTP: pages,
/// the JSON API and the console all call the same services, and the kernel turns these into an
/// HTML error page or form errors, RFC 9457 problem details, or a console message and exit code,
/// each in one place (``WebError/init(_:)``, ``Console/explain(_:context:)``).
///
/// ```swift
/// guard let post = try post(id: id, viewer: viewer) else { throw DomainError.notFound }
/// guard post.authorID == member.id else { throw DomainError.forbidden("Only the author can edit this post.") }
/// ```
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing there, or nothing this person may see: the two read the same, so a private
    /// thing's existence is never revealed.
    case notFound
    /// There, and visible, but not this person's to do.
    case forbidden(String)
    /// The input fails the rules: a message per field.
    case invalid([FieldError])
    /// It cannot be done in the current state (already booked, already reported, locked …).
    case conflict(String)
    /// Too many in too short a time.
    case rateLimited(String)

    public static let notFoundMessage =
        "There is nothing here. It may have been moved or deleted, or you may not be allowed to see it."

    /// One sentence for a person: what is wrong.
    public var message: String {
        switch self {
        case .notFound: return Self.notFoundMessage
        case .forbidden(let message), .conflict(let message), .rateLimited(let message): return message
        case .invalid(let errors): return errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        }
    }

    public var description: String { message }
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
