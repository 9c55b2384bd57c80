import Foundation
import HTTP

/// The design system at /admin/style: each shared component shown live with the markup that
/// makes it, so modules and administrators use the same card, list, table, button, badge,
/// notice, pager and empty state (and the stylesheet's selectors match the markup shown here).
struct StyleGuidePage: Sendable {
    static let link = AdminLink(
        title: "Style guide", path: "/admin/style",
        summary: "The components pages are built from, with their markup.", order: 90)

    /// (name, what it is for, markup): the markup is shown rendered and as source.
    static let components: [(name: String, use: String, markup: String)] = [
        (
            "Card", "A block of related content or a form.",
            "<section class=\"card\"><h2>Phonics network</h2><p>Colleagues sharing early reading practice.</p></section>"
        ),
        (
            "Box", "A sidebar or home-page panel with a heading and a way on.",
            "<section class=\"box\"><h2>Your groups</h2><ul class=\"plain-list\"><li><a href=\"#\">Blending in Year 1</a> <span class=\"meta\">in Phonics network</span></li><li><a href=\"#\">Fractions walls</a> <span class=\"meta\">in Maths hub</span></li></ul><p class=\"more\"><a href=\"#\">All groups</a></p></section>"
        ),
        (
            "Media object",
            "Someone's face (photo or initials, decorative: the name is beside it) with what they wrote: comments, replies, discussions, bylines, member lists (Shell.withFace).",
            "<article class=\"media comment\"><span class=\"avatar initials face size-32\" aria-hidden=\"true\">AK</span><div class=\"media-body\"><p class=\"meta\"><a href=\"#\">Amira Khan</a> · <time>2 hours ago</time></p><div class=\"prose\"><p>Trying retrieval starters with Year 5.</p></div></div></article>"
        ),
        (
            "Activity line", "A media object in the activity list: who did what, when, and an excerpt.",
            "<ul class=\"activity-list\"><li class=\"activity has-face\"><span class=\"avatar initials face size-32\" aria-hidden=\"true\">AK</span><div class=\"line\"><span class=\"who\"><a href=\"#\">Amira Khan</a></span> posted a status <span class=\"when\"><time>2 hours ago</time></span><p class=\"excerpt\">Trying retrieval starters with Year 5.</p></div></li></ul>"
        ),
        (
            "Buttons",
            "One main action per form; secondary and danger beside it; a link-styled button for small actions.",
            "<div class=\"actions\"><button type=\"button\">Post status</button><button type=\"button\" class=\"secondary\">Cancel</button><button type=\"button\" class=\"danger\">Delete</button><button type=\"button\" class=\"link\">Edit</button><a class=\"button\" href=\"#\">A link as a button</a></div>"
        ),
        (
            "Badges", "A short state beside a title; never the only sign of meaning.",
            "<p><span class=\"badge\">Featured</span> <span class=\"badge badge-ok\">On</span> <span class=\"nav-count\">3<span class=\"visually-hidden\"> new</span></span></p>"
        ),
        (
            "Table",
            "Rows to compare. With class \"stack\" and a data-label on each cell it becomes one card per row on phones.",
            "<table class=\"stack\"><thead><tr><th scope=\"col\">Session</th><th scope=\"col\">When</th><th scope=\"col\">Status</th></tr></thead><tbody><tr><td data-label=\"Session\"><a href=\"#\">Phonics: twilight workshop</a></td><td data-label=\"When\">12 Dec 2026, 16:00 GMT</td><td data-label=\"Status\">Booked</td></tr></tbody></table>"
        ),
        (
            "Notices", "What the page wants the reader to know: information, success, a problem.",
            "<p class=\"notice\">2 requests to join groups you chair.</p><div class=\"flash flash-success\" role=\"status\">Status posted.</div><div class=\"flash flash-error\" role=\"status\">Check your status.</div>"
        ),
        (
            "Form field", "A label above its input, hint and error tied to it.",
            "<div class=\"field\"><label for=\"style-guide-name\">Name</label><p class=\"hint\" id=\"style-guide-hint\">As colleagues know you.</p><input type=\"text\" id=\"style-guide-name\" aria-describedby=\"style-guide-hint\"></div>"
        ),
        (
            "Pager", "The way to the next page of a long list.",
            "<nav class=\"pager\" aria-label=\"Example pages\"><a rel=\"prev\" href=\"#\">Previous</a> <span>Page 2 of 7</span> <a rel=\"next\" href=\"#\">Next</a></nav>"
        ),
        (
            "Empty state", "What an empty list says, with the way on when there is one.",
            "<p class=\"empty\">Nothing booked. <a href=\"#\">Find a session</a></p>"
        ),
    ]

    @Sendable func page(_ ctx: RequestContext) throws -> HTTPResponse {
        let sections = Self.components.map { component -> HTML in
            """
            <section class="style-component"><h2>\(component.name)</h2><p>\(component.use)</p>
            <div class="style-example">\(HTML(trustedRenderer: component.markup))</div>
            <details><summary>Markup</summary><pre><code>\(component.markup)</code></pre></details></section>
            """
        }
        let body: HTML = """
            <h1>Style guide</h1>
            <p>The components every page is built from. Dates read “12 Dec 2026” in lists, “Saturday 12 December 2026, 16:00 GMT” \
            for a session, and “2 hours ago” in activity with the exact time on hover. Focus shows as a dark ring \
            (white in the header) at more than 3:1 on every background.</p>
            \(HTML.join(sections))
            """
        return ctx.page(title: "Style guide", body: body, sidebar: false)
    }
}
