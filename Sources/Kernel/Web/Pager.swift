/// The "More…" link under a long list: one `rel="next"` link to the next page, in a labelled
/// `nav`. Every paginated page uses it, so the markup and its styling are the same everywhere.
///
/// ```swift
/// if let next = page.nextCursor { body += Pager.next("/activity?before=\(next)", "Older activity") }
/// // <nav class="pager" aria-label="Pages"><a rel="next" href="/activity?before=41">Older activity</a></nav>
/// ```
public enum Pager {
    /// `href` is the next page's address as plain text (it is escaped here); `navigationLabel`
    /// names the landmark for screen readers when a page has more than one pager.
    public static func next(_ href: String, _ label: String, navigationLabel: String = "Pages") -> HTML {
        "<nav class=\"pager\" aria-label=\"\(navigationLabel)\"><a rel=\"next\" href=\"\(href)\">\(label)</a></nav>"
    }
}
