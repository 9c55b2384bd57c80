import Testing

@testable import HTTP

@Suite("Router")
struct RouterTests {
    func makeRouter() -> Router<String> {
        var router = Router<String>()
        router.add("GET", "/", "root")
        router.add("GET", "/blog/:slug", "post")
        router.add("GET", "/blog/new", "new-post-form")
        router.add("POST", "/blog", "create-post")
        router.add("GET", "/api/v1/groups/:slug/discussions/:id", "discussion")
        router.add("GET", "/static/*path", "asset")
        router.add("DELETE", "/blog/:slug", "delete-post")
        return router
    }

    func found(_ match: RouteMatch<String>) -> (String, [String: String])? {
        if case .found(let handler, let parameters) = match { return (handler, parameters) }
        return nil
    }

    @Test("parameters are captured and percent-decoded")
    func parameters() throws {
        let router = makeRouter()
        let (handler, parameters) = try #require(
            found(router.match(method: "GET", path: "/blog/hello%20world")))
        #expect(handler == "post")
        #expect(parameters == ["slug": "hello world"])
        let (deep, deepParameters) = try #require(
            found(router.match(method: "GET", path: "/api/v1/groups/heads/discussions/42")))
        #expect(deep == "discussion")
        #expect(deepParameters == ["slug": "heads", "id": "42"])
    }

    @Test("an encoded slash stays inside its segment")
    func encodedSlash() throws {
        let (_, parameters) = try #require(found(makeRouter().match(method: "GET", path: "/blog/a%2Fb")))
        #expect(parameters["slug"] == "a/b")
    }

    @Test("static segments win over parameters")
    func staticWins() throws {
        #expect(
            try #require(found(makeRouter().match(method: "GET", path: "/blog/new"))).0 == "new-post-form")
    }

    @Test("the search backtracks from a static segment to a parameter")
    func backtracking() throws {
        var router = Router<String>()
        router.add("GET", "/a/b/c", "static")
        router.add("GET", "/a/:x/d", "param")
        let (handler, parameters) = try #require(found(router.match(method: "GET", path: "/a/b/d")))
        #expect(handler == "param")
        #expect(parameters == ["x": "b"])
    }

    @Test("a trailing wildcard captures the rest of the path")
    func wildcard() throws {
        let (handler, parameters) = try #require(
            found(makeRouter().match(method: "GET", path: "/static/css/site.css")))
        #expect(handler == "asset")
        #expect(parameters == ["path": "css/site.css"])
    }

    @Test("the root path matches the root route")
    func root() throws {
        #expect(try #require(found(makeRouter().match(method: "GET", path: "/"))).0 == "root")
    }

    @Test("unknown paths are notFound")
    func notFound() {
        guard case .notFound = makeRouter().match(method: "GET", path: "/nope") else {
            Issue.record("expected notFound")
            return
        }
        guard case .notFound = makeRouter().match(method: "GET", path: "/blog/a/b") else {
            Issue.record("expected notFound for an extra segment")
            return
        }
    }

    @Test("a known path with another method is methodNotAllowed with a sorted Allow list including HEAD")
    func methodNotAllowed() {
        guard case .methodNotAllowed(let allowed) = makeRouter().match(method: "PUT", path: "/blog/x") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allowed == ["DELETE", "GET", "HEAD"])
        guard case .methodNotAllowed(let postOnly) = makeRouter().match(method: "GET", path: "/blog") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(postOnly == ["POST"])
    }

    @Test("HEAD falls back to the GET route")
    func headFallback() throws {
        #expect(try #require(found(makeRouter().match(method: "HEAD", path: "/blog/x"))).0 == "post")
    }

    @Test("invalid percent-encoding in the path does not match")
    func invalidEncoding() {
        guard case .notFound = makeRouter().match(method: "GET", path: "/blog/%zz") else {
            Issue.record("expected notFound")
            return
        }
    }

    @Test("RouterResponder sets route parameters, runs inline routes inline and blocking ones offloaded")
    func responder() {
        var router = Router<Route>()
        router.add(
            "GET", "/inline/:id",
            .inline { request in .text("inline \(request.routeParameters["id"] ?? "")") })
        router.add("GET", "/pool", .blocking { _ in .text("pool") })
        let tagging: Middleware = { request, next in
            var response = next(request)
            response.headers.add("X-Tag", "1")
            return response
        }
        let responder = RouterResponder(router: router, middleware: [tagging])
        guard case .respond(let inline) = responder.dispatch(HTTPRequest(method: "GET", target: "/inline/7"))
        else {
            Issue.record("expected an inline response")
            return
        }
        #expect(inline.bodyText == "inline 7")
        #expect(inline.headers["X-Tag"] == "1")
        guard case .offload(let work) = responder.dispatch(HTTPRequest(method: "GET", target: "/pool")) else {
            Issue.record("expected offloaded work")
            return
        }
        #expect(work().bodyText == "pool")
        guard case .respond(let missing) = responder.dispatch(HTTPRequest(method: "GET", target: "/x")) else {
            Issue.record("expected a 404")
            return
        }
        #expect(missing.status == .notFound)
    }

    @Test("middleware runs outermost first")
    func middlewareOrder() {
        let first: Middleware = { request, next in
            var response = next(request)
            response.headers.add("X-Order", "first")
            return response
        }
        let second: Middleware = { request, next in
            var response = next(request)
            response.headers.add("X-Order", "second")
            return response
        }
        let handler = [first, second].wrap { _ in .text("x") }
        #expect(
            handler(HTTPRequest(method: "GET", target: "/")).headers.values(for: "X-Order") == [
                "second", "first",
            ])
    }

    @Test("RouterResponder's 405 can be customised and always carries Allow")
    func customMethodNotAllowed() {
        var router = Router<Route>()
        router.add("POST", "/api/v1/posts", .blocking { _ in .text("created") })
        let responder = RouterResponder(
            router: router,
            methodNotAllowed: { _, allowed in
                .problem(
                    ProblemDetails(
                        status: .methodNotAllowed, detail: "Use \(allowed.joined(separator: " or "))"))
            })
        guard
            case .respond(let response) = responder.dispatch(
                HTTPRequest(method: "GET", target: "/api/v1/posts"))
        else {
            Issue.record("expected an inline 405")
            return
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "POST")
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }
}

@Suite("Router parameter names")
struct RouterParameterNameTests {
    @Test("parameter names belong to each route even where routes share a trie node")
    func namesPerRoute() throws {
        var router = Router<String>()
        router.add("GET", "/blog/:slug", "show")
        router.add("GET", "/blog/:id/edit", "edit")
        router.add("GET", "/files/:owner/*rest", "files")
        guard case .found("show", let show) = router.match(method: "GET", path: "/blog/hello") else {
            Issue.record("expected show")
            return
        }
        #expect(show == ["slug": "hello"])
        guard case .found("edit", let edit) = router.match(method: "GET", path: "/blog/7/edit") else {
            Issue.record("expected edit")
            return
        }
        #expect(edit == ["id": "7"])
        guard case .found("files", let files) = router.match(method: "GET", path: "/files/ann/a/b.txt") else {
            Issue.record("expected files")
            return
        }
        #expect(files == ["owner": "ann", "rest": "a/b.txt"])
    }
}
