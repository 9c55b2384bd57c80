/// A header value with `;`-separated parameters (Content-Type, Content-Disposition), with
/// quoted-string values unescaped. Parameter names are lowercased.
///
/// ```swift
/// let p = HeaderParameters.parse(#"form-data; name="a;b"; filename="x.txt""#)
/// p.value                   // "form-data"
/// p.parameters["name"]      // "a;b"
/// ```
public struct HeaderParameters: Sendable, Equatable {
    public var value: String
    public var parameters: [String: String]

    public static func parse(_ header: String) -> HeaderParameters {
        var segments: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if inQuotes && character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                current.append(character)
            } else if character == ";" && !inQuotes {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        let value = segments.first.map { $0.trimmingHTTPWhitespace() } ?? ""
        var parameters: [String: String] = [:]
        for segment in segments.dropFirst() {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            let name = segment[..<equals].trimmingHTTPWhitespace().lowercased()
            var raw = segment[segment.index(after: equals)...].trimmingHTTPWhitespace()
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast())
                var unescaped = ""
                var pendingEscape = false
                for character in raw {
                    if pendingEscape {
                        unescaped.append(character)
                        pendingEscape = false
                    } else if character == "\\" {
                        pendingEscape = true
                    } else {
                        unescaped.append(character)
                    }
                }
                raw = unescaped
            }
            if !name.isEmpty && parameters[name] == nil { parameters[name] = raw }
        }
        return HeaderParameters(value: value, parameters: parameters)
    }
}
