import Blog
import Foundation
import PLNTestSupport
import Testing

@testable import Kernel

/// The single ranked pass: pages cut from it agree with the whole order, and counts with pages.
@Suite struct SearchPagingTests {
    @Test(
        .notOnPostgres(
            "the PostgreSQL search backend has no stable order among equal ranks yet, so its pages repeat and skip results (left in issue 19)"
        ))
    func pagesOfAManyMatchQueryAgreeWithTheWholeOrder() throws {
        let network = try SearchTests.Network()
        let ada = try network.services.member("Ada")
        // 30: more in an hour and moderation holds them as spam.
        for index in 1...30 {
            // Different lengths and numbers of matches give different scores; some tie.
            let body =
                Array(repeating: "quokka", count: index % 7 + 1).joined(separator: " ")
                + String(repeating: " filler words here", count: index % 5)
            _ = try network.post("Note \(index)", body, by: ada)
        }
        let viewer = Viewer(ada.signedIn)
        let whole = try network.search.search("quokka", viewer: viewer, limit: 100)
        #expect(whole.total == 30 && whole.hits.count == 30)
        #expect(whole.counts == ["blog_post": 30])
        var paged: [String] = []
        // Pages of 2: the first ones keep only the best few of the 30, the later ones sort them.
        for page in 0..<15 {
            let results = try network.search.search("quokka", viewer: viewer, offset: page * 2, limit: 2)
            #expect(results.total == 30)
            #expect(results.hits.allSatisfy { $0.snippet.html.text.contains("<mark>quokka</mark>") })
            paged += results.hits.map(\.title)
        }
        #expect(paged == whole.hits.map(\.title))
        #expect(try network.search.search("quokka", viewer: viewer, offset: 30, limit: 5).hits.isEmpty)
    }

    @Test func aWriteIsSeenByTheNextSearchOfTheSameQuery() throws {
        let network = try SearchTests.Network()
        let ada = try network.services.member("Ada")
        let viewer = Viewer(ada.signedIn)
        _ = try network.post("Wombat one", "About wombats.", by: ada)
        #expect(try network.search.search("wombat", viewer: viewer).total == 1)
        #expect(try network.search.search("wombat", viewer: viewer).total == 1)
        let second = try network.post("Wombat two", "More wombats.", by: ada)
        #expect(try network.search.search("wombat", viewer: viewer).total == 2)
        try network.hide("blog_post", second.id)
        #expect(try network.search.search("wombat", viewer: viewer).total == 1)
        // The directory's answers too.
        let before = try network.search.directory(
            kind: "member", viewer: viewer, having: [], text: "Bea", limit: 10)
        #expect(before.isEmpty)
        let bea = try network.services.member("Bea Newcomer")
        #expect(
            try network.search.directory(kind: "member", viewer: viewer, having: [], text: "Bea", limit: 10)
                == [bea.id])
    }

    @Test func snippetsAreCutAtTheMarkersWhateverTheCharactersAround() {
        let text = HighlightedText(marked: "Zoe\u{0308} & \u{E000}cafe\u{0301}\u{E001}s <b>\u{E000}🏫\u{E001}")
        #expect(text.plain == "Zoe\u{0308} & cafe\u{0301}s <b>🏫")
        #expect(text.matches == ["cafe\u{0301}", "🏫"])
        #expect(text.html.text == "Zoe\u{0308} &amp; <mark>cafe\u{0301}</mark>s &lt;b&gt;<mark>🏫</mark>")
        #expect(HighlightedText(marked: "").pieces.isEmpty)
        #expect(HighlightedText(marked: "\u{E000}\u{E001}plain").pieces.map(\.isMatch) == [false])
        // Neighbours of the markers in the private use area are text, not markers.
        let neighbours = HighlightedText(marked: "\u{E002}a\u{E000}\u{E03F}b\u{E001}\u{E080}\u{E000}")
        #expect(
            neighbours.pieces == [
                .init(text: "\u{E002}a", isMatch: false), .init(text: "\u{E03F}b", isMatch: true),
                .init(text: "\u{E080}", isMatch: false),
            ])
        #expect(HighlightedText(marked: "ab\u{E000}").plain == "ab")
        #expect(HighlightedText(marked: "\u{E000}é\u{E001}").matches == ["é"])
    }

    @Test func anotherProcessWritingTheIndexIsSeenByCachedSearches() throws {
        // Two kernels on one database stand for `pln serve` and a `pln admin` command.
        let folder = temporaryFolder()
        let server = try bootKernel(testConfig(folder: folder))
        let console = try bootKernel(testConfig(folder: folder))
        let ada = try server.services.member("Ada")
        let viewer = Viewer(ada.signedIn)
        let blog = try #require(server.services.service(BlogService.self))
        let post = try blog.createPost(.init(title: "Axolotl care", body: "Axolotls."), by: ada.signedIn)
        #expect(try server.services.search.search("axolotl", viewer: viewer).total == 1)
        #expect(
            try server.services.search.directory(
                kind: "member", viewer: viewer, having: [], text: "Zed", limit: 5
            )
            .isEmpty)
        #expect(
            try server.services.search.directory(
                kind: "member", viewer: viewer, having: [], text: "Ada", limit: 5) == [ada.id])
        // The console hides the post, then renames the member: the server's next answers follow.
        let reportable = try #require(console.context.reportableKinds.first { $0.kind == "blog_post" })
        try console.services.database.write { db in
            try reportable.setHidden(post.id, true, db)
            try console.services.events.publish(
                ContentEvent(
                    module: "blog", kind: "blog_post", id: post.id, authorID: ada.id, action: .hidden), in: db
            )
        }
        #expect(try server.services.search.search("axolotl", viewer: viewer).total == 0)
        try console.services.database.write { db in
            try db.execute("UPDATE membership_members SET name = 'Zed Renamed' WHERE id = ?", [ada.id])
            try console.services.search.reindex(SearchItem(kind: "member", id: ada.id), in: db)
        }
        #expect(
            try server.services.search.directory(
                kind: "member", viewer: viewer, having: [], text: "Zed", limit: 5)
                == [ada.id])
    }
}
