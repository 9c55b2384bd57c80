/// `application/x-www-form-urlencoded` decoding (WHATWG URL §5.1), also used for query strings.
///
/// `+` is a space, escapes are percent-decoded, malformed escapes are kept literally and invalid
/// UTF-8 becomes U+FFFD, as browsers do; the number of fields is capped.
///
/// ```swift
/// let items = try URLEncodedForm.decode("name=Ada+Lovelace&tag=a&tag=b")
/// let form = FormData(items)
/// form["name"]           // "Ada Lovelace"
/// form.values("tag")     // ["a", "b"]
/// ```
public enum URLEncodedForm {
    public static func decode(_ string: some StringProtocol, maxFields: Int = 1000) throws(FormError)
        -> [FormItem]
    {
        var items: [FormItem] = []
        for field in Substring(string).utf8.split(
            separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
        {
            if items.count >= maxFields { throw .tooManyFields(limit: maxFields) }
            items.append(item(field))
        }
        return items
    }

    /// One `name=value` field, split at its first `=` byte. Fields are cut on the bytes `&` and
    /// `=`, as the standard says (by `Character`, three fields cost 46,000 instructions).
    static func item(_ field: Substring.UTF8View) -> FormItem {
        let equals = field.firstIndex(of: UInt8(ascii: "="))
        let value = equals.map { field[field.index(after: $0)...] } ?? field[field.endIndex...]
        return FormItem(
            name: PercentDecoding.decodeLeniently(
                Substring(field[..<(equals ?? field.endIndex)]), plusAsSpace: true),
            value: PercentDecoding.decodeLeniently(Substring(value), plusAsSpace: true))
    }

    /// Decodes a request body; the body is treated as UTF-8.
    public static func decode(body: [UInt8], maxFields: Int = 1000) throws(FormError) -> [FormItem] {
        try decode(String(decoding: body, as: UTF8.self), maxFields: maxFields)
    }

    /// Encodes pairs as `a=1&b=x%20y` (spaces as `%20`, which every decoder accepts).
    public static func encode(_ items: [FormItem]) -> String {
        items.map { PercentDecoding.encode($0.name) + "=" + PercentDecoding.encode($0.value) }
            .joined(separator: "&")
    }
}
