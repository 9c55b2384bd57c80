/// PLN's CommonMark (0.31) renderer: what members write in blog posts, comments and discussions
/// becomes HTML here.
///
/// The default mode is `.safe`, for untrusted member writing: raw HTML is shown as text, links
/// and images to `javascript:`, `vbscript:`, `data:` and `file:` URLs are dropped (their text
/// stays), and links carry `rel="nofollow ugc noopener"`. `.commonMark` follows the spec exactly,
/// raw HTML included; it exists to measure conformance and for trusted text.
///
/// ```swift
/// Markdown.html("Hello *world*")
/// // "<p>Hello <em>world</em></p>\n"
/// Markdown.html("[x](javascript:alert(1)) <b>hi</b>")
/// // "<p>x &lt;b&gt;hi&lt;/b&gt;</p>\n"
/// Markdown.plainText("# Title\n\nSome *emphasis* and [a link](/x).")
/// // "Title\nSome emphasis and a link."
/// ```
///
/// Input is untrusted: parsing never traps, its cost stays linear on pathological input, block
/// nesting is capped and the input size is bounded (see `Limits`).
public enum Markdown {
    /// How raw HTML and link destinations are treated.
    ///
    /// ```swift
    /// Markdown.html("<b>hi</b>", mode: .commonMark)  // "<p><b>hi</b></p>\n"
    /// Markdown.html("<b>hi</b>", mode: .safe)        // "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"
    /// ```
    public enum Mode: Sendable, Hashable {
        /// Exact CommonMark output: raw HTML passes through, every destination is kept.
        case commonMark
        /// Member writing: raw HTML escaped, dangerous destinations dropped, links marked `rel`.
        case safe
    }

    /// Bounds on the work one document may cause.
    ///
    /// ```swift
    /// var limits = Markdown.Limits.default
    /// limits.maximumInputBytes = 64 * 1024
    /// let html = try Markdown.validatedHTML(comment, limits: limits)
    /// ```
    public struct Limits: Sendable, Hashable {
        /// Inputs longer than this (in UTF-8 bytes) are rejected by `validatedHTML` and truncated
        /// by `html` and `plainText`.
        public var maximumInputBytes: Int
        /// The deepest nesting of block quotes and list items (a list item counts two: list and
        /// item). Deeper markers are read as paragraph text.
        public var maximumNesting: Int

        public init(maximumInputBytes: Int = 1_000_000, maximumNesting: Int = 64) {
            self.maximumInputBytes = max(0, maximumInputBytes)
            self.maximumNesting = max(1, maximumNesting)
        }

        /// One megabyte of input, 64 levels of nesting: far beyond any real post.
        public static let `default` = Limits()
    }

    /// Renders Markdown as HTML. Input beyond `Limits.default.maximumInputBytes` is ignored.
    ///
    /// ```swift
    /// Markdown.html("A [link](https://example.org)")
    /// // "<p>A <a href=\"https://example.org\" rel=\"nofollow ugc noopener\">link</a></p>\n"
    /// ```
    public static func html(_ source: String, mode: Mode = .safe) -> String {
        html(source, mode: mode, limits: .default)
    }

    /// Renders Markdown as HTML within `limits`; input beyond the size limit is ignored.
    ///
    /// ```swift
    /// Markdown.html(post, mode: .safe, limits: Markdown.Limits(maximumInputBytes: 100_000))
    /// ```
    public static func html(_ source: String, mode: Mode = .safe, limits: Limits) -> String {
        render(bounded(source, limits), mode: mode, limits: limits)
    }

    /// Renders Markdown as HTML, rejecting input larger than the limit instead of truncating it.
    ///
    /// ```swift
    /// do {
    ///     let html = try Markdown.validatedHTML(body)
    /// } catch .inputTooLarge(let bytes, let limit) {
    ///     // tell the member: bytes > limit
    /// }
    /// ```
    public static func validatedHTML(
        _ source: String, mode: Mode = .safe, limits: Limits = .default
    ) throws(MarkdownError) -> String {
        let bytes = source.utf8.count
        guard bytes <= limits.maximumInputBytes else {
            throw .inputTooLarge(bytes: bytes, limit: limits.maximumInputBytes)
        }
        return render(Array(source.utf8), mode: mode, limits: limits)
    }

    /// The rendered text without markup, for excerpts and search: blocks are separated by line
    /// breaks, inline markup disappears, images contribute their description, and character
    /// references are decoded. The result is plain text: escape it before putting it in HTML.
    ///
    /// ```swift
    /// Markdown.plainText("**Bold** move &amp; `code`\n\n> quoted")
    /// // "Bold move & code\nquoted"
    /// ```
    public static func plainText(_ source: String, limits: Limits = .default) -> String {
        renderPlainText(parse(bounded(source, limits), limits: limits))
    }

    /// A block of text for an excerpt: a paragraph's or a heading's plain text.
    public struct TextBlock: Sendable, Equatable {
        public var text: String
        public var isHeading: Bool
        public init(text: String, isHeading: Bool) {
            self.text = text
            self.isHeading = isHeading
        }
    }

    /// The plain text of the paragraphs and headings in order (a list item's or a quote's
    /// paragraphs count), each with its line breaks as spaces, until their text from the first
    /// paragraph on reaches `characters` (headings before it do not count: an excerpt leaves
    /// them out): what an excerpt of more than one block is made from. A document with no
    /// paragraph or heading gives its first code block, as a paragraph.
    ///
    /// ```swift
    /// Markdown.leadingTextBlocks("Intro.\n\n## What we tried\n\nThe key.", characters: 200)
    /// // [("Intro.", false), ("What we tried", true), ("The key.", false)]
    /// ```
    public static func leadingTextBlocks(_ source: String, characters: Int, limits: Limits = .default)
        -> [TextBlock]
    {
        let tree = parse(bounded(source, limits), limits: limits)
        var blocks: [TextBlock] = []
        var total = 0
        var firstCode: [UInt8]?
        var collecting: Int?
        var output: [UInt8] = []
        walk(tree) { node, entering in
            guard total < characters else { return }
            let current = tree.nodes[node]
            switch current.kind {
            case .paragraph, .heading:
                if entering, collecting == nil {
                    collecting = node
                    output = []
                } else if !entering, collecting == node {
                    collecting = nil
                    let text = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace)
                        .joined(separator: " ")
                    if !text.isEmpty {
                        let block = TextBlock(text: text, isHeading: current.kind == .heading)
                        blocks.append(block)
                        if !block.isHeading || blocks.contains(where: { !$0.isHeading }) {
                            total += text.count + 1
                        }
                    }
                }
            case .codeBlock:
                if firstCode == nil { firstCode = current.content }
            case .text, .code, .htmlInline:
                if collecting != nil { output.append(contentsOf: current.content) }
            case .softBreak, .lineBreak:
                if collecting != nil { output.append(Byte.space) }
            default:
                break
            }
        }
        if blocks.isEmpty, let firstCode {
            let text = String(decoding: firstCode, as: UTF8.self).split(whereSeparator: \.isWhitespace)
                .joined(separator: " ")
            if !text.isEmpty { blocks.append(TextBlock(text: text, isHeading: false)) }
        }
        return blocks
    }

    private static func bounded(_ source: String, _ limits: Limits) -> [UInt8] {
        var bytes = Array(source.utf8)
        guard bytes.count > limits.maximumInputBytes else { return bytes }
        var cut = limits.maximumInputBytes
        // Cut at a character boundary so that the prefix stays valid UTF-8.
        while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        bytes.removeSubrange(cut...)
        return bytes
    }

    private static func parse(_ input: [UInt8], limits: Limits) -> Tree {
        let blockParser = BlockParser(maximumNesting: limits.maximumNesting)
        let tree = blockParser.parse(input)
        let inlineParser = InlineParser(tree: tree, references: blockParser.references)
        var blocks: [Int] = []
        walk(tree) { node, entering in
            let kind = tree.nodes[node].kind
            if entering, kind == .paragraph || kind == .heading { blocks.append(node) }
        }
        for block in blocks {
            inlineParser.parse(block)
        }
        return tree
    }

    /// The raw HTML of a document (HTML blocks and inline HTML, in order), for checking that safe
    /// mode shows every piece of it as text.
    static func rawHTMLFragments(in source: String) -> [String] {
        let tree = parse(bounded(source, .default), limits: .default)
        var fragments: [String] = []
        walk(tree) { node, entering in
            let kind = tree.nodes[node].kind
            if entering, kind == .htmlBlock || kind == .htmlInline {
                fragments.append(String(decoding: tree.nodes[node].content, as: UTF8.self))
            }
        }
        return fragments
    }

    /// Renders member writing in safe mode with every `@handle` outside links and code linked
    /// to `mentionPrefix + handle` (e.g. "/members/").
    ///
    /// ```swift
    /// Markdown.html("Thanks @ada!", mentionPrefix: "/members/")
    /// // "<p>Thanks <a class=\"mention\" href=\"/members/ada\">@ada</a>!</p>\n"
    /// ```
    public static func html(_ source: String, mentionPrefix: String) -> String {
        render(bounded(source, .default), mode: .safe, limits: .default, mentionPrefix: mentionPrefix)
    }

    /// The handles mentioned in `source`'s text (not in code or links), each once, in order.
    public static func mentionedHandles(in source: String) -> [String] {
        let tree = parse(bounded(source, .default), limits: .default)
        var handles: [String] = []
        var linkDepth = 0
        walk(tree) { node, entering in
            let current = tree.nodes[node]
            if current.kind == .link || current.kind == .image { linkDepth += entering ? 1 : -1 }
            guard entering, current.kind == .text, linkDepth == 0 else { return }
            for range in Mentions.ranges(in: current.content) {
                let handle = String(
                    decoding: current.content[(range.lowerBound + 1)..<range.upperBound], as: UTF8.self)
                if !handles.contains(handle) { handles.append(handle) }
            }
        }
        return handles
    }

    private static func render(_ input: [UInt8], mode: Mode, limits: Limits, mentionPrefix: String? = nil)
        -> String
    {
        var renderer = HTMLRenderer(
            tree: parse(input, limits: limits), safe: mode == .safe,
            mentionPrefix: mode == .safe ? mentionPrefix : nil)
        return String(decoding: renderer.render(), as: UTF8.self)
    }
}

/// Why Markdown was not rendered.
///
/// ```swift
/// catch MarkdownError.inputTooLarge(let bytes, let limit) { … }
/// ```
public enum MarkdownError: Error, Hashable {
    /// The input has `bytes` UTF-8 bytes, more than the `limit` allowed.
    case inputTooLarge(bytes: Int, limit: Int)
}
