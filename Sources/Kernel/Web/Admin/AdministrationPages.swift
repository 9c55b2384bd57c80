import Foundation
import HTTP

/// The administrators' menu at /admin (pages every enabled module contributes through
/// `ModuleContext.adminLink`), the modules of this deployment, and its settings read-only from
/// the config script. Moderators see the menu with the links meant for them.
///
/// ```swift
/// AdministrationPages(kernel: kernel).register(&web)   // /admin, /admin/modules, /admin/settings
/// ```
struct AdministrationPages: Sendable {
    let links: [AdminLink]
    let manifests: [ModuleManifest]
    let enabled: [String]
    let config: DeploymentConfig

    init(kernel: Kernel) {
        links =
            (kernel.context.adminLinks + Self.kernelLinks).sorted {
                ($0.order, $0.title) < ($1.order, $1.title)
            }
        manifests = KernelSettings.sections + kernel.registry.manifests
        enabled = kernel.enabledModuleIDs
        config = kernel.services.config
    }

    static let kernelLinks = [
        AdminLink(
            title: "Modules", path: "/admin/modules", summary: "The features this deployment runs.", order: 80
        ),
        AdminLink(
            title: "Settings", path: "/admin/settings",
            summary: "Every setting as the config script set it (change them in the config file).", order: 85),
        StyleGuidePage.link,
    ]

    func register(_ web: inout WebContributions) {
        web.pages("/admin", access: .moderators) { pages in
            pages.get("", use: menu)
            pages.get("/modules", access: .admins, use: modules)
            pages.get("/settings", access: .admins, use: settings)
            pages.get("/style", access: .admins, use: StyleGuidePage().page)
        }
    }

    @Sendable func menu(_ ctx: RequestContext) throws -> HTTPResponse {
        let me = try ctx.requireMember()
        let shown = links.filter { me.role >= .admin || $0.forModerators }
        let items = shown.map { link -> HTML in
            "<li class=\"card\"><h2><a href=\"\(link.path)\">\(link.title)</a></h2><p>\(link.summary)</p></li>"
        }
        let body: HTML = """
            <h1>Administration</h1>
            <ul class="admin-menu">\(items)</ul>
            """
        return ctx.page(title: "Administration", body: body, sidebar: false)
    }

    @Sendable func modules(_ ctx: RequestContext) throws -> HTTPResponse {
        let rows = manifests.filter { manifest in !KernelSettings.sections.contains { $0.id == manifest.id } }
            .map { manifest -> HTML in
                let on = enabled.contains(manifest.id)
                let needs =
                    manifest.dependencies.isEmpty ? "—" : manifest.dependencies.joined(separator: ", ")
                return """
                    <tr><th scope="row" data-label="Module">\(manifest.title)<br><code>\(manifest.id)</code></th><td data-label="What it does">\(manifest.summary)</td>\
                    <td data-label="Needs">\(needs)</td><td data-label="Status">\(on ? HTML("<span class=\"badge badge-ok\">On</span>") : HTML("<span class=\"badge\">Off</span>"))</td></tr>
                    """
            }
        let body: HTML = """
            <h1>Modules</h1>
            <p>Modules are switched on and off in the config script\(config.sourcePath.map { HTML(" (<code>\($0)</code>)") } ?? HTML.empty), \
            then the server is restarted. Switching one off keeps its data; <code>pln admin modules purge</code> removes it.</p>
            <table class="stack"><thead><tr><th scope="col">Module</th><th scope="col">What it does</th>\
            <th scope="col">Needs</th><th scope="col">Status</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return ctx.page(title: "Modules", body: body, sidebar: false)
    }

    @Sendable func settings(_ ctx: RequestContext) throws -> HTTPResponse {
        var sections: [HTML] = []
        for manifest in manifests
        where !manifest.settings.isEmpty
            && (KernelSettings.sections.contains { $0.id == manifest.id } || enabled.contains(manifest.id))
        {
            let rows = manifest.settings.map { spec -> HTML in
                let value = config.value(manifest.id, spec.name)
                return """
                    <tr><th scope="row" data-label="Setting"><code>\(spec.name)</code></th><td data-label="Value">\(Self.display(value, section: manifest.id, name: spec.name, config: config))</td>\
                    <td data-label="Meaning">\(spec.doc)</td></tr>
                    """
            }
            sections.append(
                """
                <section><h2 id="\(manifest.id)">\(manifest.title) <code>\(manifest.id)</code></h2>
                <table class="stack"><thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">Meaning</th></tr></thead>
                <tbody>\(rows)</tbody></table></section>
                """)
        }
        let body: HTML = """
            <h1>Settings</h1>
            <p>Read only: settings live in the config script\(config.sourcePath.map { HTML(" <code>\($0)</code>") } ?? HTML.empty); \
            change them there and restart the server. Values read from the environment and secrets are not shown.</p>
            \(sections)
            """
        return ctx.page(title: "Settings", body: body, sidebar: false)
    }

    /// A setting's value for the page; secrets and values taken from environment variables are
    /// named, never shown (a DATABASE_URL carries a password).
    static func display(_ value: SettingValue?, section: String, name: String, config: DeploymentConfig)
        -> HTML
    {
        guard let value else { return "<span class=\"meta\">not set</span>" }
        if let variable = environmentVariable(giving: value, config: config) {
            return "<span class=\"meta\">from the environment (<code>\(variable)</code>)</span>"
        }
        if Self.isSecret(name) || (section == "storage" && name == "url") {
            return "<span class=\"meta\">hidden</span>"
        }
        let text = value.description
        return text.count > 300 ? "<code>\(String(text.prefix(300)))…</code>" : "<code>\(text)</code>"
    }

    static func environmentVariable(giving value: SettingValue, config: DeploymentConfig) -> String? {
        guard let text = value.stringValue, !text.isEmpty else { return nil }
        return config.environmentReads.first { read in
            read.value.map { !$0.isEmpty && text.contains($0) } ?? false
        }?
        .name
    }

    static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["password", "secret", "token", "key", "credential"].contains { lowered.contains($0) }
    }
}
