/// Walks the tree without recursion (so nesting depth cannot exhaust the stack), calling `visit`
/// when entering every node and when leaving every container.
func walk(_ tree: Tree, _ visit: (_ node: Int, _ entering: Bool) -> Void) {
    var node = Tree.root
    var entering = true
    while true {
        visit(node, entering)
        let current = tree.nodes[node]
        if entering, current.kind.isContainer {
            if current.firstChild >= 0 {
                node = current.firstChild
            } else {
                entering = false
            }
            continue
        }
        if node == Tree.root { break }
        if current.next >= 0 {
            node = current.next
            entering = true
        } else {
            node = current.parent
            entering = false
        }
    }
}

/// Renders a parsed tree as HTML in the format of the spec's examples (that of cmark and
/// commonmark.js). In safe mode raw HTML becomes text, dangerous destinations are dropped and
/// links carry `rel` against spam and tab-nabbing.
struct HTMLRenderer {
    let tree: Tree
    let safe: Bool
    private var output: [UInt8] = []
    /// Greater than zero while rendering an image description, which becomes plain `alt` text.
    private var altDepth = 0
    /// Where `@handle` links to (the path before the handle), or nil to leave mentions as text.
    let mentionPrefix: String?
    /// Greater than zero inside a link, where a mention stays text.
    private var linkDepth = 0

    init(tree: Tree, safe: Bool, mentionPrefix: String? = nil) {
        self.tree = tree
        self.safe = safe
        self.mentionPrefix = mentionPrefix
    }

    mutating func render() -> [UInt8] {
        output.reserveCapacity(tree.nodes.count * 8)
        walk(tree) { node, entering in
            if altDepth > 0 {
                visitAltText(node, entering)
            } else {
                visit(node, entering)
            }
        }
        return output
    }

    private mutating func literal(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    /// Starts a new line unless the output is empty or already at the start of one.
    private mutating func newlineIfNeeded() {
        if let last = output.last, last != Byte.newline { output.append(Byte.newline) }
    }

    private func isDropped(_ node: Int) -> Bool {
        safe && isDangerousDestination(tree[details: node].destination)
    }

    private mutating func visit(_ node: Int, _ entering: Bool) {
        let current = tree.nodes[node]
        switch current.kind {
        case .document:
            break
        case .paragraph:
            let grandparent = current.parent >= 0 ? tree.nodes[current.parent].parent : -1
            if grandparent >= 0, tree.nodes[grandparent].kind == .list, tree[details: grandparent].list.isTight {
                break
            }
            if entering {
                newlineIfNeeded()
                literal("<p>")
            } else {
                literal("</p>")
                newlineIfNeeded()
            }
        case .heading:
            if entering {
                newlineIfNeeded()
                literal("<h\(current.level)>")
            } else {
                literal("</h\(current.level)>")
                newlineIfNeeded()
            }
        case .blockQuote:
            newlineIfNeeded()
            literal(entering ? "<blockquote>" : "</blockquote>")
            newlineIfNeeded()
        case .list:
            let list = tree[details: node].list
            newlineIfNeeded()
            if entering {
                if list.isOrdered {
                    literal(list.start == 1 ? "<ol>" : "<ol start=\"\(list.start)\">")
                } else {
                    literal("<ul>")
                }
            } else {
                literal(list.isOrdered ? "</ol>" : "</ul>")
            }
            newlineIfNeeded()
        case .item:
            if entering {
                literal("<li>")
            } else {
                literal("</li>")
                newlineIfNeeded()
            }
        case .thematicBreak:
            newlineIfNeeded()
            literal("<hr />")
            newlineIfNeeded()
        case .codeBlock:
            newlineIfNeeded()
            literal("<pre><code")
            let info = tree[details: node].info
            let language = info.prefix { !isASCIIWhitespace($0) }
            if !language.isEmpty {
                literal(" class=\"language-")
                appendEscapedHTML(language, to: &output)
                literal("\"")
            }
            literal(">")
            appendEscapedHTML(current.content, to: &output)
            literal("</code></pre>")
            newlineIfNeeded()
        case .htmlBlock:
            newlineIfNeeded()
            if safe {
                var text = current.content[...]
                while let last = text.last, isASCIIWhitespace(last) { text = text.dropLast() }
                literal("<p>")
                appendEscapedHTML(text, to: &output)
                literal("</p>")
            } else {
                output.append(contentsOf: current.content)
            }
            newlineIfNeeded()
        case .text:
            if let mentionPrefix, linkDepth == 0 {
                appendTextLinkingMentions(current.content, prefix: mentionPrefix)
            } else {
                appendEscapedHTML(current.content, to: &output)
            }
        case .softBreak:
            output.append(Byte.newline)
        case .lineBreak:
            literal("<br />\n")
        case .code:
            literal("<code>")
            appendEscapedHTML(current.content, to: &output)
            literal("</code>")
        case .htmlInline:
            if safe {
                appendEscapedHTML(current.content, to: &output)
            } else {
                output.append(contentsOf: current.content)
            }
        case .emphasis:
            literal(entering ? "<em>" : "</em>")
        case .strong:
            literal(entering ? "<strong>" : "</strong>")
        case .link:
            // A dropped link keeps its text: the reader still sees what the writer wrote.
            guard !isDropped(node) else { break }
            linkDepth += entering ? 1 : -1
            if entering {
                let details = tree[details: node]
                literal("<a href=\"")
                appendEscapedHTML(details.destination, to: &output)
                if !details.title.isEmpty {
                    literal("\" title=\"")
                    appendEscapedHTML(details.title, to: &output)
                }
                literal(safe ? "\" rel=\"nofollow ugc noopener\">" : "\">")
            } else {
                literal("</a>")
            }
        case .image:
            // Only entering reaches here: leaving is handled in alt-text mode.
            if !isDropped(node) {
                literal("<img src=\"")
                appendEscapedHTML(tree[details: node].destination, to: &output)
                literal("\" alt=\"")
            }
            altDepth = 1
        }
    }

    /// Text with each `@handle` (letters, digits, `_`, `-`, `.` inside; not after a letter,
    /// digit or `.`, so addresses stay text) as a link to the member's profile.
    private mutating func appendTextLinkingMentions(_ text: [UInt8], prefix: String) {
        let mentions = Mentions.ranges(in: text)
        var start = 0
        for range in mentions {
            appendEscapedHTML(Array(text[start..<range.lowerBound]), to: &output)
            let handle = Array(text[(range.lowerBound + 1)..<range.upperBound])
            literal("<a class=\"mention\" href=\"")
            appendEscapedHTML(Array(prefix.utf8) + handle, to: &output)
            literal("\">@")
            appendEscapedHTML(handle, to: &output)
            literal("</a>")
            start = range.upperBound
        }
        appendEscapedHTML(Array(text[start...]), to: &output)
    }

    private mutating func visitAltText(_ node: Int, _ entering: Bool) {
        let current = tree.nodes[node]
        switch current.kind {
        case .text, .code, .htmlInline:
            appendEscapedHTML(current.content, to: &output)
        case .softBreak, .lineBreak:
            // As cmark renders breaks inside an image description.
            output.append(Byte.space)
        case .image:
            altDepth += entering ? 1 : -1
            if altDepth == 0, !isDropped(node) {
                let title = tree[details: node].title
                if !title.isEmpty {
                    literal("\" title=\"")
                    appendEscapedHTML(title, to: &output)
                }
                literal("\" />")
            }
        default:
            break
        }
    }
}

/// Renders the text of a document without markup, for excerpts and search: blocks are separated
/// by a line break, soft breaks become spaces, images contribute their description.
func renderPlainText(_ tree: Tree) -> String {
    var output: [UInt8] = []
    func separate() {
        if let last = output.last, last != Byte.newline { output.append(Byte.newline) }
    }
    walk(tree) { node, entering in
        let current = tree.nodes[node]
        switch current.kind {
        case .text, .code, .htmlInline:
            output.append(contentsOf: current.content)
        case .softBreak:
            output.append(Byte.space)
        case .lineBreak:
            output.append(Byte.newline)
        case .codeBlock, .htmlBlock:
            separate()
            output.append(contentsOf: current.content)
            separate()
        case .paragraph, .heading, .item, .blockQuote, .list, .thematicBreak:
            separate()
        default:
            break
        }
    }
    while let last = output.last, isASCIIWhitespace(last) { output.removeLast() }
    return String(decoding: output, as: UTF8.self)
}

private let dangerousSchemes = ["javascript:", "vbscript:", "data:", "file:"].map { Array($0.utf8) }

/// Whether a destination uses a scheme that can run script or reach local files. Browsers ignore
/// tabs, line breaks and control characters in URLs and compare schemes case-insensitively, so the
/// check does the same (on a percent-decoded copy, to be conservative).
func isDangerousDestination(_ destination: [UInt8]) -> Bool {
    var decoded: [UInt8] = []
    decoded.reserveCapacity(min(destination.count, 16))
    var i = 0
    while i < destination.count, decoded.count < 16 {
        var c = destination[i]
        if c == 0x25, i + 2 < destination.count, isHexDigit(destination[i + 1]), isHexDigit(destination[i + 2]),
            let value = UInt8(String(decoding: destination[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
        {
            c = value
            i += 2
        }
        i += 1
        if c <= Byte.space || c == 0x7F { continue }
        decoded.append(asciiLowercase(c))
    }
    return dangerousSchemes.contains { decoded.starts(with: $0) }
}
