import Markdown

/// Rendered Markdown, remembered by its source text: a post page renders the post and every
/// comment on each view, and the same texts come back view after view (perf: a tenth of a blog
/// post page's CPU). Keyed by the text itself, so an edit is a new key and nothing goes stale.
///
/// Bounded by bytes, in two generations: when the current one fills, it becomes the previous
/// one and the older is dropped; a hit in the previous generation moves back to the current.
///
/// ```swift
/// let html: HTML = .markdown(comment.body)     // safe mode, as Markdown.html(_:)
/// ```
public enum MarkdownCache {
    /// Bytes of source and HTML one generation holds (the cache holds at most twice this).
    public static let generationBytes = 8 << 20
    /// Sources longer than this are rendered every time: few, and they would crowd the rest out.
    public static let largestSource = 64 << 10

    private struct Generations {
        var current: [String: String] = [:]
        var currentBytes = 0
        var previous: [String: String] = [:]
    }

    private static let store = ReadMostly(Generations())
    /// Where `@handle` links to (Identity's profile path before the handle); nil leaves mentions as text.
    private static let mentionPrefix = ReadMostly<String?>(nil)

    /// Sets where mentions link to (at boot, from Identity); a change empties the cache.
    public static func setMentionPrefix(_ prefix: String) {
        guard mentionPrefix.read({ $0 }) != prefix else { return }
        mentionPrefix.write { $0 = prefix }
        store.write { $0 = Generations() }
    }

    private static func render(_ source: String) -> String {
        if let prefix = mentionPrefix.read({ $0 }) { return Markdown.html(source, mentionPrefix: prefix) }
        return Markdown.html(source)
    }

    /// `Markdown.html(source)` (safe mode), from the cache when it has it.
    public static func html(_ source: String) -> String {
        guard source.utf8.count <= largestSource else { return render(source) }
        if let hit = store.read({ $0.current[source] }) { return hit }
        let html = store.read({ $0.previous[source] }) ?? render(source)
        // The generation dropped is freed after the lock is let go: freeing thousands of
        // rendered pages takes milliseconds, and every page with Markdown waits for this lock.
        var dropped: [String: String] = [:]
        store.write { generations in
            if generations.current[source] != nil { return }
            let bytes = source.utf8.count + html.utf8.count
            if generations.currentBytes + bytes > generationBytes {
                swap(&dropped, &generations.previous)
                generations.previous = generations.current
                generations.current = [:]
                generations.currentBytes = 0
            }
            generations.current[source] = html
            generations.currentBytes += bytes
        }
        _ = dropped
        return html
    }

    /// Bytes held now, both generations (tests).
    static var heldBytes: Int {
        store.read { generations in
            (generations.current.map { $0.key.utf8.count + $0.value.utf8.count }.reduce(0, +))
                + (generations.previous.map { $0.key.utf8.count + $0.value.utf8.count }.reduce(0, +))
        }
    }

    /// Empties the cache (tests).
    public static func removeAll() {
        store.write { $0 = Generations() }
    }
}

extension HTML {
    /// Markdown rendered in safe mode (untrusted HTML escaped, unsafe URLs dropped), cached.
    public static func markdown(_ source: String) -> HTML {
        HTML(trustedRenderer: MarkdownCache.html(source))
    }
}
