// Checks on rendered HTML shared by the spec and fuzz tests: which tags the renderer itself
// makes, in its exact format, and which must have come from raw HTML in the input.

/// The tags in `html` that are not in the renderer's exact output format.
func rawTags(in html: String) -> [String] {
    var tags: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        let candidate = rest[open...]
        if let length = rendererTagLength(candidate) {
            rest = candidate.dropFirst(length)
        } else {
            let end = candidate.firstIndex(of: ">").map { candidate.index(after: $0) } ?? candidate.endIndex
            tags.append(String(candidate[..<end]))
            rest = candidate[end...]
        }
    }
    return tags
}

func firstNonRendererTag(in html: String) -> String? {
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        let candidate = rest[open...]
        guard let length = rendererTagLength(candidate) else { return String(candidate.prefix(40)) }
        rest = candidate.dropFirst(length)
    }
    return nil
}

private let plainTags = [
    "p", "/p", "em", "/em", "strong", "/strong", "blockquote", "/blockquote", "ul", "/ul", "ol", "/ol",
    "li", "/li", "pre", "/pre", "code", "/code", "/a", "h1", "/h1", "h2", "/h2", "h3", "/h3", "h4", "/h4",
    "h5", "/h5", "h6", "/h6",
]

/// Length of the tag at the start of `text` when it is one the renderer emits, in its exact form:
/// plain tags, `<hr />`, `<br />`, `<ol start="n">`, `<code class="language-…">`,
/// `<a href="…"[ title="…"][ rel="…"]>` and `<img src="…" alt="…"[ title="…"] />`, where attribute
/// values are escaped (contain no `<`, `>` or `"`).
private func rendererTagLength(_ text: Substring) -> Int? {
    for tag in plainTags + ["hr /", "br /"] where text.hasPrefix("<\(tag)>") {
        return tag.count + 2
    }
    func attributes(_ names: [(String, Bool)], after prefix: String, closing: String) -> Int? {
        guard text.hasPrefix(prefix) else { return nil }
        var rest = text.dropFirst(prefix.count)
        for (name, required) in names {
            let opening = " \(name)=\""
            guard rest.hasPrefix(opening) else {
                if required { return nil }
                continue
            }
            rest = rest.dropFirst(opening.count)
            guard let quote = rest.firstIndex(of: "\"") else { return nil }
            if rest[..<quote].contains(where: { $0 == "<" || $0 == ">" }) { return nil }
            rest = rest[rest.index(after: quote)...]
        }
        guard rest.hasPrefix(closing) else { return nil }
        return text.count - rest.count + closing.count
    }
    if let length = attributes([("start", true)], after: "<ol", closing: ">") { return length }
    if let length = attributes([("class", true)], after: "<code", closing: ">") { return length }
    if let length = attributes([("href", true), ("title", false), ("rel", false)], after: "<a", closing: ">") {
        return length
    }
    return attributes([("src", true), ("alt", true), ("title", false)], after: "<img", closing: " />")
}
