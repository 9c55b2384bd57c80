import Foundation
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// A module whose routes fail the way colliding writers do once the storage layer's retries
/// are used up: PostgreSQL's serialization failure, SQLite's busy timeout, and, for contrast,
/// an error that is not a conflict.
private struct ConflictModule: FeatureModule {
    static let manifest = ModuleManifest(id: "conflicts", title: "Conflicts", summary: "")
    var migrations: [Migration] { [] }

    static func fail(_ which: String) throws -> Never {
        switch which {
        case "serialization":
            var error = StorageError(kind: .postgres, message: "could not serialize access")
            error.sqlState = "40001"
            throw error
        case "busy":
            throw StorageError(kind: .sqlite, resultCode: 5 /* SQLITE_BUSY */, message: "database is locked")
        default:
            throw StorageError(kind: .sqlite, resultCode: 1 /* SQLITE_ERROR */, message: "no such table: x")
        }
    }

    func bootstrap(_ context: ModuleContext) throws {
        context.web.pages("/conflict") { pages in
            pages.post("/:which", use: { ctx in try Self.fail(try ctx.parameter("which")) })
        }
        context.web.apiGroup("/api/v1/conflict", tag: "conflicts") { api in
            api.post(
                "/serialization", summary: "Fails as colliding writers do", operationID: "conflict",
                use: { (_: RequestContext) throws -> NoContent in try Self.fail("serialization") })
        }
    }
}

@Suite struct WriteConflictTests {
    /// Writers still colliding after the retries get 503 and Retry-After (send it again), not a
    /// 500: the transaction was rolled back whole.
    @Test func aWriteConflictIsAnswered503WithRetryAfterOnPagesAndTheAPI() throws {
        let network = try TestNetwork(modules: [ConflictModule.self])
        defer { network.stop() }
        let client = network.client()
        _ = try client.get("/terms")  // sets the visitor's CSRF cookie, whose token forms carry
        let csrf = try #require(client.cookies["pln_csrf"])
        for which in ["serialization", "busy"] {
            let page = try client.post("/conflict/\(which)", form: ["_csrf": csrf])
            #expect(page.status == 503, "\(which)")
            #expect(page.header("Retry-After") == "1")
            #expect(page.text.contains("Too many changes arrived at once, so yours was not saved."))
            #expect(!page.text.contains("could not serialize") && !page.text.contains("locked"))
        }
        let api = try client.send(
            "POST", "/api/v1/conflict/serialization", headers: [("Content-Type", "application/json")],
            body: Array("{}".utf8))
        #expect(api.status == 503)
        #expect(api.header("Retry-After") == "1")
        #expect(api.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        #expect(api.text.contains("this change was not saved"))
        // Any other storage error is still a logged 500 that names nothing internal.
        let other = try client.post("/conflict/other", form: ["_csrf": csrf])
        #expect(other.status == 500)
        #expect(other.header("Retry-After") == nil)
        #expect(!other.text.contains("no such table"))
    }
}
