/// Decoded form fields with lookup by name.
///
/// ```swift
/// let form = try FormData(urlEncoded: request.body)
/// guard let title = form["title"], !title.isEmpty else { return .text("title required", status: .unprocessableContent) }
/// ```
public struct FormData: Sendable, Equatable {
    public var items: [FormItem]

    public init(_ items: [FormItem]) { self.items = items }

    public init(urlEncoded body: [UInt8], maxFields: Int = 1000) throws(FormError) {
        items = try URLEncodedForm.decode(body: body, maxFields: maxFields)
    }

    /// The first value for `name`.
    public subscript(name: String) -> String? { items.first { $0.name == name }?.value }

    public func values(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
}
