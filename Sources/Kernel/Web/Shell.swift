import Foundation
import HTTP
import Storage

/// The page layout every module renders into: header with the network's name and tagline,
/// navigation from the enabled modules, a sidebar (Latest Activity, About), a footer, flash
/// messages. One instance per server, read-only after start-up.
///
/// ```swift
/// ctx.page(title: "Blogs", body: "<h1>Blogs</h1>")   // RequestContext calls shell.render
/// ```
public final class Shell: Sendable {
    public let config: DeploymentConfig
    public let navigation: [NavigationEntry]
    public let footerLinks: [FooterLink]
    private let navigationCounts: [String: NavigationCount]
    private let phrases: [String: ActivityPhrase]
    private let services: Services
    public let timeZone: TimeZone
    public let calendar: ZoneCalendar
    /// The kernel's stylesheet (the shell and the shared components), served at /assets/pln.css
    /// and linked by every page.
    public let stylesheet: String
    public let stylesheetVersion: String
    /// Each enabled module's part, in module order: linked after the kernel's by the pages whose
    /// markup it can style (``ModuleStylesheet``).
    let moduleStylesheets: [ModuleStylesheet]
    private let stylesheetLinker: StylesheetLinker
    private let kernelStylesheetLink: String
    /// Membership's links (sign in, join, profiles); nil when membership is not enabled, and
    /// then the shell offers no account links and names members without linking them.
    private let identity: (any Identity)?
    /// The sidebar's About box: from the config, so made once.
    private let aboutBox: HTML

    init(context: ModuleContext) {
        config = context.services.config
        services = context.services
        navigation = (context.navigationEntries + [Self.administration]).sorted {
            ($0.order, $0.title) < ($1.order, $1.title)
        }
        footerLinks =
            (context.footerLinks + [FooterLink(title: "Terms of Service", path: "/terms", order: 90)])
            .sorted { ($0.order, $0.title) < ($1.order, $1.title) }
        phrases = context.activityPhrases
        navigationCounts = context.navigationCounts
        identity = context.services.identity
        timeZone =
            TimeZone(identifier: context.services.config.string("network", "time_zone")) ?? TimeZone(
                identifier: "UTC")!
        calendar = ZoneCalendar.shared(timeZone)
        stylesheet =
            [Assets.stylesheet, Self.notificationStyles, SearchPages.css].joined(separator: "\n") + "\n"
        stylesheetVersion = String(SHA256.hex(stylesheet).prefix(10))
        themeStylesheet = Self.themeStylesheet(context.services.config)
        moduleStylesheets =
            [Assets.editorSheet]
            + context.stylesheets.map { ModuleStylesheet(module: $0.module, css: $0.css + "\n") }
        stylesheetLinker = StylesheetLinker(moduleStylesheets)
        kernelStylesheetLink = "<link rel=\"stylesheet\" href=\"/assets/pln.css?v=\(stylesheetVersion)\">\n"
        let about = config.string("network", "about")
        aboutBox = """
            <section class="box"><h2>About</h2><p>\(Self.sentenceStart(config.string("network", "creator"))) created this network.</p>\(about.isEmpty ? HTML.empty : "<p>\(about)</p>")</section>
            """
    }

    public var networkName: String { config.networkName }

    /// The administrators' menu (/admin); moderators reach their pages through Moderation.
    static let administration = NavigationEntry(
        title: "Admin", path: "/admin", order: 95, audience: .administrators)

    /// `text` with its first letter in capitals, to open a sentence ("the administrators" →
    /// "The administrators").
    static func sentenceStart(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// "19 hours ago", "yesterday", "Saturday", "12 March".
    public func relative(_ date: Date) -> String {
        RelativeTime.describe(date, now: services.clock.now, calendar: calendar)
    }

    /// A `<time>` element with the relative text and the exact time in its title.
    /// Written byte by byte into one string (``ASCIIText``): the texts are made here from the
    /// date (digits, English month and day names, "ago"), never from member input, so they need
    /// no escaping; a page of 30 messages prints 30 of these (callgrind: 9,400 instructions each
    /// through interpolation, a tenth of the page).
    public func time(_ date: Date) -> HTML {
        let local = calendar.local(date)
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= 0, interval < 253_402_300_800, (0...9999).contains(local.year)
        else {
            return
                "<time datetime=\"\(JSONValue.timestamp(date))\" title=\"\(calendar.string(date, .dayMonthYearTime))\">\(relative(date))</time>"
        }
        let seconds = Int(interval.rounded(.down))
        let secondOfDay = seconds % 86_400
        let (year, month, day) = ZoneCalendar.civil(fromDays: seconds / 86_400)
        let relative = self.relative(date)
        return HTML(
            trustedRenderer: ASCIIText.make(capacity: 96 + relative.utf8.count) { out in
                out.text("<time datetime=\"")
                out.digits(year, width: 4)
                out.byte(UInt8(ascii: "-"))
                out.digits(month, width: 2)
                out.byte(UInt8(ascii: "-"))
                out.digits(day, width: 2)
                out.byte(UInt8(ascii: "T"))
                out.digits(secondOfDay / 3600, width: 2)
                out.byte(UInt8(ascii: ":"))
                out.digits(secondOfDay % 3600 / 60, width: 2)
                out.byte(UInt8(ascii: ":"))
                out.digits(secondOfDay % 60, width: 2)
                out.text("Z\" title=\"")
                out.digits(local.day)
                out.byte(UInt8(ascii: " "))
                out.text(ZoneCalendar.months[local.month - 1])
                out.byte(UInt8(ascii: " "))
                out.digits(local.year, width: 4)
                out.text(", ")
                out.digits(local.hour, width: 2)
                out.byte(UInt8(ascii: ":"))
                out.digits(local.minute, width: 2)
                out.text("\">")
                out.text(relative)
                out.text("</time>")
            })
    }

    // MARK: Members

    /// A member's profile page (from Identity), or nil when membership is not enabled.
    public func profilePath(handle: String) -> String? { identity?.profilePath(handle: handle) }

    /// A member's name, linked to their profile when there is one.
    public func memberLink(name: String, handle: String) -> HTML {
        guard let path = profilePath(handle: handle) else { return "\(name)" }
        // Appended piece by piece (perf: through interpolation 4,200 instructions a link, and a
        // page of messages or activity prints dozens).
        var out = "<a href=\""
        out.reserveCapacity(24 + path.utf8.count + name.utf8.count)
        HTML.escape(path, into: &out)
        out += "\">"
        HTML.escape(name, into: &out)
        out += "</a>"
        return HTML(trustedRenderer: out)
    }

    /// The sign-in page, coming back to `next` after signing in; nil when no one can sign in.
    public func signInPath(next: String? = nil) -> String? {
        guard let path = identity?.signInPath else { return nil }
        return next.map { path + "?next=" + PercentDecoding.encode($0) } ?? path
    }

    /// The page where people join; nil when membership is not enabled.
    public var joinPath: String? { identity?.joinPath }

    /// "Join or sign in." for visitors, when people can.
    var joinOrSignIn: HTML {
        guard let identity, services.service(AuthenticatorBox.self) != nil else { return "" }
        return
            "<p><a class=\"button\" href=\"\(identity.joinPath)\">Join</a> or <a href=\"\(identity.signInPath)\">sign in</a>.</p>"
    }

    // MARK: Activity

    /// One aggregated activity line: "Karen D Honeycutt, Jessica J Lenhart, Erin and 11 more joined".
    public func activityLine(_ group: ActivityGroup) -> HTML { activityLine(group, photos: nil) }

    /// A member's face: their photo when they uploaded one (`hasPhoto`), else their initials
    /// (a blank disc for a former member). Decorative (the name beside it says who), so
    /// hidden from screen readers.
    public func face(name: String, handle: String, hasPhoto: Bool, size: Int = 32) -> HTML {
        guard let identity else { return "" }
        if handle.isEmpty || handle.hasPrefix("former-member-") {
            return "<span class=\"avatar initials face size-\(size)\" aria-hidden=\"true\"></span>"
        }
        if hasPhoto {
            return
                "<img class=\"avatar face\" src=\"\(identity.photoPath(handle: handle))\" alt=\"\" width=\"\(size)\" height=\"\(size)\" loading=\"lazy\">"
        }
        return
            "<span class=\"avatar initials face size-\(size)\" aria-hidden=\"true\">\(Self.initials(name))</span>"
    }

    /// The first letters of a name's first two words, in capitals ("Amira khan" → "AK"). ASCII
    /// names (most) are read as bytes: by `Character` this was a twentieth of a page's CPU
    /// (perf: eight faces in the Latest Activity sidebar on every page).
    public static func initials(_ name: String) -> String {
        var letters: [UInt8] = []
        var atWordStart = true
        for byte in name.utf8 {
            if byte >= 0x80 {
                return name.split(separator: " ").prefix(2).compactMap(\.first).map(String.init).joined()
                    .uppercased()
            }
            if byte == UInt8(ascii: " ") {
                atWordStart = true
            } else if atWordStart {
                atWordStart = false
                if letters.count < 2 { letters.append((0x61...0x7A).contains(byte) ? byte - 0x20 : byte) }
            }
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// The media object every author line uses: the member's face, then `content` (their name,
    /// when, what they wrote) beside it. `tag` is the element that holds both, e.g. "li" in a
    /// list; `classes` are added to its "media" class, `attributes` (e.g. an id) follow it.
    ///
    /// ```swift
    /// let photos = ctx.shell.membersWithPhotos(comments.map(\.authorID))   // one query per list
    /// ctx.shell.withFace(name: c.authorName, handle: c.authorHandle, hasPhoto: photos.contains(c.authorID),
    ///     "<p class=\"meta\">…</p><div class=\"prose\">…</div>")
    /// ```
    public func withFace(
        name: String, handle: String, hasPhoto: Bool, size: Int = 32, tag: String = "div",
        classes: String = "", attributes: HTML = "", _ content: HTML
    ) -> HTML {
        let face = self.face(name: name, handle: handle, hasPhoto: hasPhoto, size: size)
        let classList = classes.isEmpty ? "media" : "media \(classes)"
        return
            "<\(tag) class=\"\(classList)\"\(attributes)>\(face)<div class=\"media-body\">\(content)</div></\(tag)>"
    }

    /// Which of these members uploaded a photo, in one query for a whole list (empty when
    /// membership is not enabled, or the read fails: faces then show initials).
    public func membersWithPhotos(_ memberIDs: [Int64]) -> Set<Int64> {
        guard identity != nil, !memberIDs.isEmpty else { return [] }
        return (try? services.database.read { db in try self.membersWithPhotos(memberIDs, in: db) }) ?? []
    }

    /// The same inside a read the page already holds.
    public func membersWithPhotos(_ memberIDs: [Int64], in db: Connection) throws -> Set<Int64> {
        guard let identity, !memberIDs.isEmpty else { return [] }
        return try identity.membersWithPhotos(among: Array(Set(memberIDs)), in: db)
    }

    /// `photos`: the lead actors who uploaded a photo (nil: show no faces).
    /// Built by appending to one string: every page's sidebar prints eight, the activity page
    /// thirty (callgrind: 30,000 instructions a line through nested interpolations).
    func activityLine(_ group: ActivityGroup, photos: Set<Int64>?) -> HTML {
        var out = ""
        out.reserveCapacity(480 + (group.lead.excerpt?.utf8.count ?? 0))
        let lead = group.actors.first
        if let photos, let lead {
            out += "<li class=\"activity has-face\">"
            out += face(name: lead.name, handle: lead.handle, hasPhoto: photos.contains(lead.id)).text
            out += "<div class=\"line\">"
        } else {
            out += "<li class=\"activity\">"
        }
        out += "<span class=\"who\">"
        let shown = group.actors.prefix(3)
        let more = group.actors.count - shown.count
        for (index, actor) in shown.enumerated() {
            if index > 0 { out += more == 0 && index == shown.count - 1 ? " and " : ", " }
            out += memberLink(name: actor.name, handle: actor.handle).text
        }
        if more > 0 {
            out += " and "
            out += String(more)
            out += " more"
        }
        out += "</span>"
        let phrase = phrases["\(group.lead.module).\(group.lead.verb)"]?(group) ?? group.lead.verb
        // A possessive phrase ("'s blog post was featured") attaches to the name.
        if !(phrase.hasPrefix("'s") || phrase.hasPrefix("’s")) { out += " " }
        HTML.escape(phrase, into: &out)
        if let title = group.lead.objectTitle {
            out += " "
            if let url = group.lead.objectURL {
                out += "<a href=\""
                HTML.escape(HTML.safeURL(url), into: &out)
                out += "\">"
                HTML.escape(title, into: &out)
                out += "</a>"
            } else {
                HTML.escape(title, into: &out)
            }
        }
        out += " <span class=\"when\">"
        out += time(group.lead.createdAt).text
        out += "</span>"
        if let text = group.lead.excerpt, !text.isEmpty {
            out += "<p class=\"excerpt\">"
            HTML.escape(text, into: &out)
            out += "</p>"
        }
        out += photos != nil && lead != nil ? "</div></li>" : "</li>"
        return HTML(trustedRenderer: out)
    }

    /// Activity lines with the face of each line's first actor (one query for the photos).
    public func activityList(_ groups: [ActivityGroup]) -> HTML {
        if groups.isEmpty { return "<p class=\"empty\">Nothing yet.</p>" }
        let photos = try? services.database.read { db in try self.photos(of: groups, in: db) }
        return activityList(groups, photos: photos ?? nil)
    }

    /// Lines already read with the photos of their actors (``latestActivity(for:limit:before:)``).
    public func activityList(_ groups: [ActivityGroup], photos: Set<Int64>?) -> HTML {
        if groups.isEmpty { return "<p class=\"empty\">Nothing yet.</p>" }
        return "<ul class=\"activity-list\">\(groups.map { activityLine($0, photos: photos) })</ul>"
    }

    /// The newest activity `viewer` may see and which of its lead actors have a photo, in one
    /// read (the sidebar and the activity page print faces without a second transaction).
    public func latestActivity(for viewer: Viewer, limit: Int, before cursor: Int64? = nil) throws -> (
        page: ActivityPage, photos: Set<Int64>?
    ) {
        try services.database.read { db in
            let page = try services.activity.latest(
                for: viewer, limit: limit, before: cursor, filter: .all, in: db)
            return (page, try photos(of: page.groups, in: db))
        }
    }

    private func photos(of groups: [ActivityGroup], in db: Connection) throws -> Set<Int64>? {
        guard let identity else { return nil }
        guard !groups.isEmpty else { return [] }
        return try identity.membersWithPhotos(among: groups.compactMap { $0.actors.first?.id }, in: db)
    }

    // MARK: Layout

    public func render(
        title: String, body: HTML, context: RequestContext, sidebar: Bool, sidebarActivity: Bool = true
    ) -> HTML {
        let name = networkName
        let member = context.member
        let navigationLinks: [HTML] =
            [navLink("Home", "/", context)]
            + navigation.filter { $0.audience.includes(member) }.map { entry in
                let count =
                    member.flatMap { member in (try? navigationCounts[entry.path]?(member)) ?? nil } ?? 0
                return navLink(entry.title, entry.path, context, count: count)
            }
        var account: HTML = ""
        if let member, let identity {
            account = """
                \(notificationBell(member, context))\(memberLink(name: member.name, handle: member.handle))
                <form method="post" action="\(identity.signOutPath)" class="inline">\(context.csrfField)<button type="submit" class="link">Sign out</button></form>
                """
        } else if let identity, services.service(AuthenticatorBox.self) != nil {
            account =
                "<a href=\"\(identity.signInPath)\">Sign in</a> <a class=\"button\" href=\"\(identity.joinPath)\">Join</a>"
        }
        var flashHTML: HTML = ""
        if let flash = context.flash {
            flashHTML =
                "<div class=\"flash flash-\(flash.kind.rawValue)\" role=\"status\">\(flash.message)</div>"
        }
        var aside: HTML = ""
        if sidebar {
            var activityBox: HTML = ""
            if sidebarActivity {
                let latest = try? latestActivity(for: context.viewer, limit: 8)
                activityBox =
                    "<section class=\"box\"><h2>Latest Activity</h2>\(activityList(latest?.page.groups ?? [], photos: latest?.photos ?? nil))<p class=\"more\"><a href=\"/activity\">See all activity</a></p></section>"
            }
            aside = """
                <aside class="sidebar" aria-label="Sidebar">
                \(activityBox)
                \(aboutBox)
                </aside>
                """
        }
        let logo = config.string("network", "logo_url")
        let logoHTML: HTML = logo.isEmpty ? "" : "<img class=\"logo\" src=\"\(url: logo)\" alt=\"\">"
        let footer = HTML.join(footerLinks.map { "<a href=\"\($0.path)\">\($0.title)</a>" }, separator: " | ")
        let pageTitle = title == name ? name : "\(title) — \(name)"
        return """
            <!doctype html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(pageTitle)</title>
            \(stylesheetLinks(for: body, aside))<style>\(HTML(trustedRenderer: themeStylesheet))</style>
            <script src="/assets/pln.js?v=\(Assets.scriptVersion)" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#main">Skip to content</a>
            <header class="site-header">
            <div class="brand">\(logoHTML)<a class="name" href="/">\(name)</a><p class="tagline">\(config.string("network", "tagline"))</p></div>
            \(SearchPages.headerBox(context))
            <div class="account">\(account)</div>
            </header>
            <nav class="site-nav" aria-label="Main"><ul>\(navigationLinks)</ul></nav>
            <div class="page\(sidebar ? " with-sidebar" : "")">
            <main id="main" tabindex="-1">\(flashHTML)\(body)</main>
            \(aside)
            </div>
            <footer class="site-footer"><p>\(footer)</p><p class="small">\(name) runs on PLN.</p></footer>
            </body>
            </html>
            """
    }

    /// The kernel's stylesheet, then the module sheets the page's content (its main part and
    /// sidebar: the header, navigation and footer are the kernel's) can use, in module order.
    func stylesheetLinks(for main: HTML, _ sidebar: HTML) -> HTML {
        var links = kernelStylesheetLink
        for sheet in stylesheetLinker.sheets(for: sidebar.isEmpty ? [main.text] : [main.text, sidebar.text]) {
            links += sheet.link
        }
        return HTML(trustedRenderer: links)
    }

    private func navLink(_ title: String, _ path: String, _ context: RequestContext, count: Int = 0) -> HTML {
        let current = path == "/" ? context.request.path == "/" : context.request.path.hasPrefix(path)
        let badge: HTML =
            count > 0
            ? " <span class=\"nav-count\">\(count > 99 ? "99+" : String(count))<span class=\"visually-hidden\"> new</span></span>"
            : ""
        return
            "<li><a href=\"\(path)\"\(current ? HTML(" aria-current=\"page\"") : HTML.empty)>\(title)\(badge)</a></li>"
    }

    /// The network's colours as CSS custom properties, inlined in every page's head (the CSP
    /// allows this one inline style by its hash) and also served at /assets/theme.css. Made
    /// once: every page prints them.
    public let themeStylesheet: String

    public var themeVersion: String { String(SHA256.hex(themeStylesheet).prefix(10)) }

    static func themeStylesheet(_ config: DeploymentConfig) -> String {
        let primary = colour(config, "primary_colour", "#1f5f8b")
        let accent = colour(config, "accent_colour", "#f0a500")
        return ":root{--primary:\(primary);--accent:\(accent)}\n"
    }

    /// A configured colour, only if it is a plain #rgb or #rrggbb value (it lands in CSS).
    private static func colour(_ config: DeploymentConfig, _ name: String, _ fallback: String) -> String {
        let value = config.string("network", name)
        let hex = value.dropFirst()
        let valid = value.hasPrefix("#") && (hex.count == 3 || hex.count == 6) && hex.allSatisfy(\.isHexDigit)
        return valid ? value : fallback
    }

    /// The error page for a status, with no internals.
    public func errorPage(_ error: WebError, context: RequestContext) -> HTTPResponse {
        var body: HTML = "<h1>\(error.title)</h1>"
        switch error {
        case .unauthorized:
            body += "<p>\(error.detail)</p>"
            if let signIn = signInPath(next: context.request.target) {
                body += "<p><a class=\"button\" href=\"\(signIn)\">Sign in</a></p>"
            }
        case .domain(.invalid(let errors)):
            body += "<ul class=\"errors\">\(errors.map { error -> HTML in "<li>\(error.message)</li>" })</ul>"
        default:
            body += "<p>\(error.detail)</p><p><a href=\"/\">Go to the home page</a></p>"
        }
        return context.page(title: error.title, body: body, status: error.status, sidebar: false)
    }
}
