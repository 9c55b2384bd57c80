/// Problem details for HTTP APIs (RFC 9457), serialised as `application/problem+json`.
///
/// ```swift
/// let problem = ProblemDetails(status: .unprocessableContent, title: "Invalid slug",
///                              detail: "Slugs use a-z, 0-9 and '-'.", extensions: ["field": "slug"])
/// return .problem(problem)
/// ```
public struct ProblemDetails: Sendable, Equatable {
    /// A URI reference identifying the problem type; "about:blank" when there is none.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    /// Extension members (string-valued, kept simple on purpose).
    public var extensions: [String: String]

    public init(
        type: String = "about:blank", status: HTTPStatus, title: String? = nil, detail: String? = nil,
        instance: String? = nil, extensions: [String: String] = [:]
    ) {
        self.type = type
        self.status = status.code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.instance = instance
        self.extensions = extensions
    }

    /// Serialises with the standard members first, then extensions sorted by name; standard
    /// member names cannot be overridden by an extension.
    public func jsonBytes() -> [UInt8] {
        var members: [(String, String)] = [
            ("type", JSONString.quote(type)), ("title", JSONString.quote(title)), ("status", String(status)),
        ]
        if let detail { members.append(("detail", JSONString.quote(detail))) }
        if let instance { members.append(("instance", JSONString.quote(instance))) }
        let reserved: Set<String> = ["type", "title", "status", "detail", "instance"]
        for (key, value) in extensions.sorted(by: { $0.key < $1.key }) where !reserved.contains(key) {
            members.append((key, JSONString.quote(value)))
        }
        let body = members.map { "\(JSONString.quote($0.0)):\($0.1)" }.joined(separator: ",")
        return Array("{\(body)}".utf8)
    }
}

enum JSONString {
    /// Quotes a string per RFC 8259 §7 (control characters escaped, non-ASCII kept as UTF-8).
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
