import Foundation
import HTTP
import Markdown

extension WebApplication {
    /// Routes the kernel itself serves: home, Latest Activity, terms, assets, health, OpenAPI.
    static func kernelRoutes(kernel: Kernel) -> [WebRoute] {
        let services = kernel.services
        let homeSections = kernel.context.web.homeSections.sorted { $0.order < $1.order }
        var routes: [WebRoute] = []
        routes.append(WebRoute(method: "GET", pattern: "/healthz", kind: .api) { _ in .text("ok\n") })
        routes.append(
            WebRoute(method: "GET", pattern: "/", kind: .page) { ctx in
                let config = services.config
                // Visitors meet the network; a member's home is theirs (modules add the composer,
                // their groups, their bookings).
                var body: HTML
                if let member = ctx.member {
                    let first = member.name.split(separator: " ").first.map(String.init) ?? member.name
                    body = "<h1 class=\"home-title\">Welcome back, \(first)</h1>"
                } else {
                    body = """
                        <section class="welcome"><h1>Welcome to \(config.networkName)</h1>
                        <p>\(config.string("network", "tagline"))</p>\(ctx.shell.joinOrSignIn)</section>
                        """
                }
                for section in homeSections { body += try section.render(ctx) }
                if homeSections.isEmpty {
                    let latest = try ctx.shell.latestActivity(for: ctx.viewer, limit: 20)
                    body +=
                        "<section><h2>Latest Activity</h2>\(ctx.shell.activityList(latest.page.groups, photos: latest.photos))<p class=\"more\"><a href=\"/activity\">See all activity</a></p></section>"
                }
                return ctx.page(title: config.networkName, body: body, sidebarActivity: !homeSections.isEmpty)
            })
        routes.append(
            WebRoute(method: "GET", pattern: "/activity", kind: .page) { ctx in
                let cursor = ctx.query("before").flatMap(Int64.init)
                let (page, photos) = try ctx.shell.latestActivity(for: ctx.viewer, limit: 30, before: cursor)
                var body: HTML =
                    "<h1>Latest Activity</h1>\(ctx.shell.activityList(page.groups, photos: photos))"
                if let next = page.nextCursor {
                    body +=
                        "<nav class=\"pager\" aria-label=\"Pages\"><a rel=\"next\" href=\"/activity?before=\(next)\">Older activity</a></nav>"
                }
                return ctx.page(title: "Latest Activity", body: body, sidebar: false)
            })
        routes.append(
            WebRoute(method: "GET", pattern: "/terms", kind: .page) { ctx in
                let terms = Markdown.html(services.config.string("network", "terms_of_service"))
                return ctx.page(
                    title: "Terms of Service",
                    body:
                        "<h1>Terms of Service</h1><div class=\"prose\">\(HTML(trustedRenderer: terms))</div>")
            })
        routes.append(
            WebRoute(method: "GET", pattern: "/assets/:file", kind: .page) { ctx in
                let file = try ctx.parameter("file")
                let shell = ctx.shell
                switch file {
                case "pln.css":
                    return Assets.serve(
                        shell.stylesheet, type: "text/css; charset=utf-8", request: ctx.request)
                case "pln.js":
                    return Assets.serve(
                        Assets.script, type: "text/javascript; charset=utf-8", request: ctx.request)
                case "editor.js":
                    return Assets.serve(
                        Assets.editorScriptFile, type: "text/javascript; charset=utf-8", request: ctx.request)
                case "theme.css":
                    return Assets.serve(
                        shell.themeStylesheet, type: "text/css; charset=utf-8", request: ctx.request)
                case let name where name.hasSuffix(".css"):
                    guard let sheet = shell.moduleStylesheets.first(where: { "\($0.module).css" == name })
                    else {
                        throw DomainError.notFound
                    }
                    return Assets.serve(sheet.css, type: "text/css; charset=utf-8", request: ctx.request)
                default: throw DomainError.notFound
                }
            })
        routes.append(
            WebRoute(method: "GET", pattern: "/api/v1/openapi.json", kind: .api) { ctx in
                var response = HTTPResponse(
                    status: .ok, body: Array(openAPI(kernel: kernel).jsonText(pretty: true).utf8))
                response.headers.add("Content-Type", "application/json")
                return response
            })
        routes += kernelAPI(kernel: kernel).routes
        var unsubscribe = WebRoute(
            method: "POST", pattern: Notifications.unsubscribePath, kind: .page,
            handler: NotificationPages(services: services).unsubscribe)
        unsubscribe.checksCSRF = false
        routes.append(unsubscribe)
        return routes
    }

    /// The kernel's typed API operations (their routes and their part of the document).
    static func kernelAPI(kernel: Kernel) -> WebContributions {
        var web = WebContributions()
        ActivityAPI(services: kernel.services).register(&web)
        NotificationPages(services: kernel.services).register(&web)
        NotificationsAPI(services: kernel.services).register(&web)
        LikesWeb(services: kernel.services).register(&web)
        MarkdownPreviewPages(limiter: PreviewLimiter()).register(&web)
        SearchAPI(search: kernel.services.search).register(&web)
        SearchPages(search: kernel.services.search).register(&web)
        AdministrationPages(kernel: kernel).register(&web)
        return web
    }

    /// The OpenAPI 3.1 document: the kernel's operations plus every enabled module's.
    static func openAPI(kernel: Kernel) -> JSONValue {
        let web = kernel.context.web
        var paths: [(String, JSONValue)] = []
        let kernelAPI = kernelAPI(kernel: kernel)
        var kernelPaths: [(path: String, method: String, operation: JSONValue)] = kernelAPI.openAPIPaths
        kernelPaths.append(
            (
                "/api/v1/openapi.json", "get",
                [
                    "tags": ["meta"], "summary": "This document.", "operationId": "openAPI",
                    "responses": [
                        "200": [
                            "description": "The OpenAPI 3.1 document.",
                            "content": ["application/json": ["schema": ["type": "object"]]],
                        ]
                    ],
                ]
            ))
        kernelPaths += web.openAPIPaths
        for entry in kernelPaths {
            var operation = entry.operation
            if case .object(var fields) = operation, !fields.contains(where: { $0.0 == "responses" }) {
                fields.append(
                    (
                        "responses",
                        [
                            "default": [
                                "description": "Problem details (RFC 9457).",
                                "content": [
                                    "application/problem+json": ["schema": APIDocument.problemReference]
                                ],
                            ]
                        ]
                    ))
                operation = .object(fields)
            }
            if let index = paths.firstIndex(where: { $0.0 == entry.path }),
                case .object(var methods) = paths[index].1
            {
                methods.append((entry.method, operation))
                paths[index].1 = .object(methods)
            } else {
                paths.append((entry.path, .object([(entry.method, operation)])))
            }
        }
        var schemas: [(String, JSONValue)] = [(APIDocument.problemSchemaName, APIDocument.problemSchema)]
        schemas += web.openAPISchemas
        schemas += kernelAPI.apiSchemas.components.map { ($0.name, $0.schema) }
        // A kernel type modules' operations use too (``LikesResponse``) is listed once.
        let kernelSchemas = kernelAPI.apiSchemas.components
        schemas += web.apiSchemas.components.filter { component in
            !kernelSchemas.contains { $0.name == component.name && $0.schema == component.schema }
        }.map { ($0.name, $0.schema) }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": .string("\(kernel.services.config.networkName) API"),
                "version": "1",
                "description": "The JSON API of a PLN network. Errors are RFC 9457 problem details.",
            ],
            "servers": [["url": .string(kernel.services.config.string("network", "base_url"))]],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            ],
            "security": [[:], ["bearer": []]],
        ]
    }
}
