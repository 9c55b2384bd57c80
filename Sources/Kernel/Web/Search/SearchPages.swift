import Foundation
import HTTP

/// The search page: `/search?q=…` with a tab per kind (counts of what the viewer may see, and
/// nothing else), pages of results with highlighted snippets, and "did you mean" when nothing
/// was found but a close word finds something.
///
/// ```swift
/// var web = WebContributions()
/// SearchPages(search: services.search).register(&web)
/// ```
struct SearchPages: Sendable {
    let search: SearchService
    static let pageSize = 20

    func register(_ web: inout WebContributions) {
        web.pages("") { pages in pages.get("/search", use: results) }
    }

    /// The box in the header of every page.
    static func headerBox(_ context: RequestContext) -> HTML {
        let query = context.request.path == "/search" ? context.query("q") ?? "" : ""
        return """
            <form class="site-search" role="search" method="get" action="/search"><input type="search" name="q" value="\(query)" placeholder="Search" aria-label="Search the network"> <button type="submit">Search</button></form>
            """
    }

    static let css = """
        .site-search{display:flex;gap:.25rem;align-items:center}
        .site-search input{min-width:12rem;padding:.3rem .5rem}
        .search-tabs{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:0 0 1rem}
        .search-tabs a[aria-current]{font-weight:700;text-decoration:none}
        .search-results{list-style:none;padding:0}
        .search-results li{margin:0 0 1.25rem}
        .search-results .kind{font-size:.85em;color:var(--muted,#555);margin-left:.5rem}
        .search-results mark{background:#fff3a8;color:inherit;padding:0 .1em}
        """

    static func href(_ query: String, kind: String?, page: Int = 1) -> String {
        var href = "/search?q=" + PercentDecoding.encode(query)
        if let kind { href += "&kind=" + PercentDecoding.encode(kind) }
        if page > 1 { href += "&page=\(page)" }
        return href
    }

    @Sendable func results(_ ctx: RequestContext) throws -> HTTPResponse {
        let text = (ctx.query("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let kind = ctx.query("kind").flatMap { search.kind($0) == nil ? nil : $0 }
        let page = max(1, min(ctx.query("page").flatMap(Int.init) ?? 1, 500))
        var body: HTML = """
            <h1>Search</h1>
            <form method="get" action="/search" class="card" role="search">
            <p><label for="search-q">Words, "a phrase", -word, kind:blog, group:slug, author:handle</label>
            <input id="search-q" type="search" name="q" value="\(text)"> <button type="submit">Search</button></p></form>
            """
        guard !text.isEmpty else { return ctx.page(title: "Search", body: body, sidebar: false) }
        let results = try search.search(
            text, viewer: ctx.viewer, kind: kind, offset: (page - 1) * Self.pageSize, limit: Self.pageSize)
        var tabs: [HTML] = [
            tab("Everything", text, kind: nil, count: results.counts.values.reduce(0, +), current: kind)
        ]
        for registered in search.kinds {
            guard let count = results.counts[registered.kind], count > 0 else { continue }
            tabs.append(tab(registered.label, text, kind: registered.kind, count: count, current: kind))
        }
        body += "<nav aria-label=\"Kinds of result\"><ul class=\"search-tabs\">\(tabs)</ul></nav>"
        if results.hits.isEmpty {
            body += "<p class=\"empty\">No results for “\(text)”.</p>"
            if let suggestion = results.suggestion {
                body +=
                    "<p class=\"suggestion\">Did you mean <a href=\"\(Self.href(suggestion.text, kind: kind))\">\(suggestion.text)</a>?</p>"
            }
            return ctx.page(title: "Search", body: body, sidebar: false)
        }
        // Members found are shown with their faces (one query for the page's photos); a status
        // links to its author's profile too, but its id and title are not the author's.
        let people = Set(search.kinds.filter(\.isPerson).map(\.kind))
        let handles = results.hits.map {
            people.contains($0.kind) ? Self.memberHandle(of: $0, ctx.shell) : nil
        }
        let photos = ctx.shell.membersWithPhotos(
            zip(results.hits, handles).compactMap { $1 == nil ? nil : $0.id })
        let labels = Dictionary(
            search.kinds.map { ($0.kind, $0.label) }, uniquingKeysWith: { first, _ in first })
        let items = zip(results.hits, handles).map { hit, handle -> HTML in
            let content = Self.hitContent(hit, label: labels[hit.kind] ?? hit.kind, shell: ctx.shell)
            guard let handle else { return HTML(trustedRenderer: "<li>" + content.text + "</li>") }
            return ctx.shell.withFace(
                name: hit.title, handle: handle, hasPhoto: photos.contains(hit.id), size: 40, tag: "li",
                content)
        }
        body += "<p class=\"meta\">\(results.total) result\(results.total == 1 ? "" : "s")</p>"
        body += "<ol class=\"search-results\">\(items)</ol>"
        if page * Self.pageSize < results.total {
            body += Pager.next(Self.href(text, kind: kind, page: page + 1), "More results")
        }
        return ctx.page(title: "Search: \(text)", body: body, sidebar: false)
    }

    /// A hit's link, kind, date, group and snippet. Appended piece by piece into one string
    /// (perf: nested interpolations cost a tenth of a page of twenty results).
    static func hitContent(_ hit: SearchHit, label: String, shell: Shell) -> HTML {
        let snippet = hit.snippet.html.text
        var out = "<a href=\""
        out.reserveCapacity(160 + hit.url.utf8.count + hit.title.utf8.count + snippet.utf8.count)
        HTML.escape(hit.url, into: &out)
        out += "\">"
        HTML.escape(hit.title, into: &out)
        out += "</a><span class=\"kind\">"
        HTML.escape(label, into: &out)
        out += " · "
        out += shell.time(hit.date).text
        if let name = hit.groupName, let url = hit.groupURL {
            out += " · in <a href=\""
            HTML.escape(url, into: &out)
            out += "\">"
            HTML.escape(name, into: &out)
            out += "</a>"
        }
        out += "</span>\n<p class=\"snippet\">"
        out += snippet
        out += "</p>"
        return HTML(trustedRenderer: out)
    }

    /// The handle of the member a hit is, when it is a member's profile (its URL is one).
    static func memberHandle(of hit: SearchHit, _ shell: Shell) -> String? {
        // The last path segment, found on the UTF-8 bytes (splitting by Characters cost 7,000
        // instructions a hit).
        let url = hit.url.utf8
        guard let slash = url.lastIndex(of: UInt8(ascii: "/")), url.index(after: slash) < url.endIndex,
            let handle = String(hit.url.utf8[url.index(after: slash)...]),
            shell.profilePath(handle: handle) == hit.url
        else { return nil }
        return handle
    }

    private func tab(_ title: String, _ text: String, kind: String?, count: Int, current: String?) -> HTML {
        let selected = kind == current ? HTML(" aria-current=\"page\"") : HTML.empty
        return "<li><a href=\"\(Self.href(text, kind: kind))\"\(selected)>\(title) (\(count))</a></li>"
    }
}
