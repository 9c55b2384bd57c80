/// One name/value pair from a query string or a form body.
///
/// ```swift
/// let page = request.queryItems.first { $0.name == "page" }?.value
/// ```
public struct FormItem: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A form or query decoding failure.
///
/// ```swift
/// do { _ = try URLEncodedForm.decode(body, maxFields: 50) } catch .tooManyFields(let limit) { … }
/// ```
public enum FormError: Error, Sendable, Equatable {
    case tooManyFields(limit: Int)
    case bodyTooLarge(limit: Int)
}
