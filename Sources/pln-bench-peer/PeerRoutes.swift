import HTTP
import Storage

/// The routing table: `/plaintext` answers on the event loop, the database routes on the
/// worker pool.
///
/// ```swift
/// let router = PeerRoutes.router(database: database)
/// let server = HTTPServer(configuration: config, responder: RouterResponder(router: router))
/// ```
enum PeerRoutes {
    static func router(database: Database) -> Router<Route> {
        // Built once: the body array is shared copy-on-write by every response.
        let plaintext = HTTPResponse.text("Hello, World!")
        var router = Router<Route>()
        router.add("GET", "/plaintext", .inline { _ in plaintext })
        router.add(
            "GET", "/api/posts/:id",
            .blocking { request in
                guard let id = postID(request) else { return .status(.badRequest) }
                do {
                    guard let post = try database.read({ try PeerQueries.post($0, id: id) }) else {
                        return .status(.notFound)
                    }
                    return .bytes(PeerJSON.post(post), contentType: "application/json; charset=utf-8")
                } catch {
                    return failure(error)
                }
            })
        router.add(
            "GET", "/posts/:id",
            .blocking { request in
                guard let id = postID(request) else { return .status(.badRequest) }
                do {
                    guard let (post, comments) = try database.read({ try PeerQueries.postPage($0, id: id) })
                    else { return .status(.notFound) }
                    return .html(PeerPage.render(post: post, comments: comments).text)
                } catch {
                    return failure(error)
                }
            })
        router.add(
            "POST", "/api/posts/:id/views",
            .blocking { request in
                guard let id = postID(request) else { return .status(.badRequest) }
                do {
                    guard let views = try database.write({ try PeerQueries.incrementViews($0, id: id) }) else {
                        return .status(.notFound)
                    }
                    return .bytes(PeerJSON.views(views), contentType: "application/json; charset=utf-8")
                } catch {
                    return failure(error)
                }
            })
        return router
    }

    static func postID(_ request: HTTPRequest) -> Int64? {
        request.routeParameters["id"].flatMap { Int64($0) }
    }

    /// A storage failure is logged with its SQL and answered 500 without details.
    static func failure(_ error: any Error) -> HTTPResponse {
        print("pln-bench-peer: \(error)")
        return .status(.internalServerError)
    }
}
