import Foundation
import Kernel
import PLNTestSupport
import Storage
import Synchronization
import Testing

@testable import Blog

@Suite struct PostTests {
    @Test func publishingRecordsOneActivityAndADraftRecordsNone() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let draft = try fixture.post(by: author, title: "Not ready", publish: false)
        #expect(draft.status == .draft)
        #expect(draft.publishedAt == nil)
        #expect(try fixture.activities().isEmpty)
        let published = try fixture.blog.publish(postID: draft.id, by: author)
        #expect(published.status == .published)
        #expect(published.publishedAt == fixture.clock.now)
        let entries = try fixture.activities()
        #expect(entries.count == 1)
        #expect(entries.first?.verb == "published")
        #expect(entries.first?.scope == "public")
        // Publishing again changes nothing.
        _ = try fixture.blog.publish(postID: draft.id, by: author)
        #expect(try fixture.activities().count == 1)
    }

    @Test func theListExcerptIsStoredWithThePostAndFollowsEdits() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let post = try fixture.blog.createPost(
            .init(
                title: "Phonics", body: "# Heading\n\nSome **bold** words and a [link](https://example.org).",
                publish: true),
            by: author)
        func stored() throws -> String {
            try fixture.services.database.read { db in
                try db.query("SELECT excerpt FROM blog_posts WHERE id = ?", [post.id]) {
                    try $0.value("excerpt") as String
                }
            }.first ?? ""
        }
        #expect(try stored() == "Some bold words and a link.", "the first paragraph, not the heading")
        #expect(post.excerpt == "Some bold words and a link.")
        _ = try fixture.blog.updatePost(
            id: post.id, .init(title: "Phonics", body: "New *text*.", publish: true), by: author)
        #expect(try stored() == "New text.")
        #expect(try fixture.blog.post(id: post.id, viewer: .anonymous)?.excerpt == "New text.")
        let long = String(repeating: "word ", count: 100)
        _ = try fixture.blog.updatePost(
            id: post.id, .init(title: "Phonics", body: long, publish: true), by: author)
        #expect(try stored() == Excerpt.make(long, length: BlogPost.excerptLength))
        #expect(try stored().hasSuffix("word…"))
    }

    @Test func theExcerptMigrationFillsInPostsWrittenBeforeIt() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let post = try fixture.post(by: author, title: "Older post", publish: true)
        let migration = try #require(BlogSchema.migrations.first { $0.name == "005_stored_excerpts" })
        try fixture.services.database.write { db in
            try db.execute("ALTER TABLE blog_posts DROP COLUMN excerpt")
            try migration.body(db)
        }
        let excerpt = try fixture.services.database.read { db in
            try db.query("SELECT excerpt FROM blog_posts WHERE id = ?", [post.id]) {
                try $0.value("excerpt") as String
            }
        }
        #expect(excerpt == [Excerpt.make(post.body, length: BlogPost.excerptLength)])
        #expect(!post.body.isEmpty)
    }

    @Test func migration008RecomputesStoredExcerptsWithBreaksBetweenBlocks() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let post = try fixture.blog.createPost(
            .init(
                title: "Phonics",
                body: "# Heading\n\nFirst paragraph.\n\n## What we tried\n\nSecond paragraph.",
                publish: true),
            by: author)
        for name in ["007_first_paragraph_excerpts", "008_excerpts_keep_block_breaks"] {
            let migration = try #require(BlogSchema.migrations.first { $0.name == name })
            try fixture.services.database.write { db in
                // As migration 005 and earlier versions stored it: every block run together.
                try db.execute(
                    "UPDATE blog_posts SET excerpt = 'Heading First paragraph. What we tried Second paragraph.' WHERE id = ?",
                    [post.id])
                try migration.body(db)
            }
            let excerpt = try fixture.services.database.read { db in
                try db.query("SELECT excerpt FROM blog_posts WHERE id = ?", [post.id]) {
                    try $0.value("excerpt") as String
                }
            }
            #expect(excerpt == ["First paragraph. What we tried. Second paragraph."], "\(name)")
        }
    }

    @Test func moderationHearsOfAPostWhenItIsPublishedNotWhileItIsADraft() throws {
        let fixture = try BlogFixture()
        let heard = Mutex<[String]>([])
        fixture.services.events.subscribe(ContentEvent.self, module: "test") { event in
            heard.withLock { $0.append("\(event.kind) \(event.id) \(event.action)") }
        }
        let author = try fixture.member("Erin Author")
        let draft = try fixture.post(by: author, publish: false)
        _ = try fixture.blog.updatePost(
            id: draft.id, .init(title: "Still a draft", body: "Body", publish: false), by: author)
        #expect(heard.withLock { $0 }.isEmpty)
        _ = try fixture.blog.publish(postID: draft.id, by: author)
        #expect(heard.withLock { $0 } == ["blog_post \(draft.id) created"])
        let comment = try fixture.blog.addComment(to: draft.id, body: "Hello", by: author)
        try fixture.blog.deleteComment(id: comment.id, by: author)
        try fixture.blog.deletePost(id: draft.id, by: author)
        #expect(
            heard.withLock { $0 } == [
                "blog_post \(draft.id) created", "blog_comment \(comment.id) created",
                "blog_comment \(comment.id) deleted",
                "blog_post \(draft.id) deleted",
            ])
    }

    @Test func draftsAreInvisibleToEveryoneButTheirAuthor() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let other = try fixture.member("Olive Other")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let draft = try fixture.post(by: author, title: "Secret draft", publish: false)
        #expect(try fixture.blog.post(id: draft.id, viewer: fixture.viewer(author)) != nil)
        for viewer in [Viewer.anonymous, fixture.viewer(other), fixture.viewer(admin)] {
            #expect(try fixture.blog.post(id: draft.id, viewer: viewer) == nil)
            for query in [
                BlogService.PostQuery(), .init(order: .views), .init(authorID: author.id),
                .init(tag: "literacy"),
            ] {
                #expect(try fixture.blog.posts(query, viewer: viewer, limit: 10).posts.isEmpty)
            }
        }
        // Not even the author sees a draft in the public lists; it is under "Your drafts".
        #expect(try fixture.blog.posts(.init(), viewer: fixture.viewer(author), limit: 10).posts.isEmpty)
        #expect(try fixture.blog.drafts(of: author.id).map(\.id) == [draft.id])
        #expect(throws: DomainError.notFound) {
            try fixture.blog.addComment(to: draft.id, body: "Early!", by: other)
        }
        #expect(throws: DomainError.notFound) { try fixture.blog.deletePost(id: draft.id, by: admin) }
        #expect(throws: DomainError.notFound) {
            try fixture.blog.setFeatured(true, postID: draft.id, by: admin)
        }
    }

    @Test func editingAPublishedPostMarksItEditedButEditingADraftDoesNot() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let draft = try fixture.post(by: author, publish: false)
        fixture.clock.advance(by: 60)
        let changedDraft = try fixture.blog.updatePost(
            id: draft.id, .init(title: "Better title", body: "More", publish: false), by: author)
        #expect(changedDraft.editedAt == nil)
        let post = try fixture.post(by: author, title: "Original")
        fixture.clock.advance(by: 60)
        let same = try fixture.blog.updatePost(id: post.id, BlogService.PostInput(post), by: author)
        #expect(same.editedAt == nil)
        var input = BlogService.PostInput(post)
        input.title = "Revised"
        let edited = try fixture.blog.updatePost(id: post.id, input, by: author)
        #expect(edited.editedAt == fixture.clock.now)
        #expect(edited.title == "Revised")
        // The stream shows the new title.
        let title = try fixture.services.database.read { db in
            try db.scalar(
                "SELECT object_title FROM activities WHERE object_id = ? AND module = 'blog'", [post.id],
                as: String.self)
        }
        #expect(title == "Revised")
        let other = try fixture.member("Olive Other")
        #expect(throws: DomainError.notFound) { try fixture.blog.updatePost(id: post.id, input, by: other) }
    }

    @Test func onlyTheAuthorOrAnAdministratorDeletesAPost() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let other = try fixture.member("Olive Other")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let first = try fixture.post(by: author, title: "First")
        let second = try fixture.post(by: author, title: "Second")
        _ = try fixture.blog.addComment(to: first.id, body: "Nice", by: other)
        #expect(throws: DomainError.forbidden("Only the author or an administrator can delete this post.")) {
            try fixture.blog.deletePost(id: first.id, by: other)
        }
        try fixture.blog.deletePost(id: first.id, by: author)
        try fixture.blog.deletePost(id: second.id, by: admin)
        #expect(try fixture.blog.post(id: first.id, viewer: fixture.viewer(author)) == nil)
        #expect(try fixture.blog.post(id: second.id, viewer: fixture.viewer(author)) == nil)
        // Its activity and its comments' activity go with it.
        #expect(try fixture.activities().isEmpty)
        let comments = try fixture.services.database.read {
            try $0.scalar("SELECT count(*) FROM blog_comments", as: Int.self)
        }
        #expect(comments == 0)
    }

    @Test func invalidInputNamesEveryFieldAndWritesNothing() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        do {
            _ = try fixture.blog.createPost(
                .init(
                    title: "  ", body: "", tags: "ok, <script>", videoURL: "https://evil.example/video.html",
                    visibility: "friends"), by: author)
            Issue.record("expected validation errors")
        } catch DomainError.invalid(let errors) {
            #expect(Set(errors.map(\.field)) == ["title", "body", "tags", "video_url", "visibility"])
        }
        let count = try fixture.services.database.read {
            try $0.scalar("SELECT count(*) FROM blog_posts", as: Int.self)
        }
        #expect(count == 0)
    }

    @Test func tagsAreNormalisedAndLimited() {
        #expect(BlogService.parseTags("Maths, Early Years ,maths,  ") == .success(["maths", "early-years"]))
        #expect(BlogService.parseTags("français, ks2") == .success(["français", "ks2"]))
        if case .failure(let message) = BlogService.parseTags("<script>alert(1)</script>") {
            #expect(message.contains("letters, digits and hyphens"))
        } else {
            Issue.record("a tag with markup must be refused")
        }
        let many = (1...11).map { "tag\($0)" }.joined(separator: ",")
        #expect(BlogService.parseTags(many) == .failure("Use at most 10 tags (there are 11)."))
    }

    @Test func membersOnlyPostsAreHiddenFromVisitorsAndTheirActivityIsMembersScoped() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author, title: "Staff only", visibility: "members")
        #expect(try fixture.blog.post(id: post.id, viewer: .anonymous) == nil)
        #expect(try fixture.blog.post(id: post.id, viewer: fixture.viewer(reader)) != nil)
        #expect(try fixture.blog.posts(.init(), viewer: .anonymous, limit: 10).posts.isEmpty)
        #expect(try fixture.activities().first?.scope == "members")
        let stream = try fixture.services.activity.latest(for: .anonymous, limit: 10)
        #expect(stream.groups.allSatisfy { $0.lead.module != "blog" })
    }

    @Test func listsAreOrderedAndPaginatedByKeyset() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let reader = try fixture.member("Rita Reader")
        var ids: [Int64] = []
        for index in 1...7 {
            fixture.clock.advance(by: 60)
            ids.append(
                try fixture.post(
                    by: author, title: "Post \(index)", tags: index.isMultiple(of: 2) ? "even" : "odd"
                ).id)
        }
        var seen: [Int64] = []
        var cursor: Int64?
        repeat {
            let page = try fixture.blog.posts(.init(), viewer: .anonymous, limit: 3, before: cursor)
            seen += page.posts.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == ids.reversed())
        let even = try fixture.blog.posts(.init(tag: "even"), viewer: .anonymous, limit: 2)
        #expect(even.posts.map(\.id) == [ids[5], ids[3]])
        let rest = try fixture.blog.posts(
            .init(tag: "even"), viewer: .anonymous, limit: 2, before: even.nextCursor)
        #expect(rest.posts.map(\.id) == [ids[1]])
        #expect(rest.nextCursor == nil)
        // Most viewed: post 3 gets two views, post 5 one.
        for (post, viewers) in [(ids[2], [reader.id, 999]), (ids[4], [reader.id])] {
            for viewer in viewers {
                try fixture.blog.views.record(
                    postID: post, authorID: author.id, viewer: .member(viewer), userAgent: "Mozilla/5.0")
            }
        }
        try fixture.blog.views.flush()
        let popular = try fixture.blog.posts(.init(order: .views), viewer: .anonymous, limit: 2)
        #expect(popular.posts.map(\.id) == [ids[2], ids[4]])
        let next = try fixture.blog.posts(
            .init(order: .views), viewer: .anonymous, limit: 2, before: popular.nextCursor)
        #expect(next.posts.first?.id == ids[6])
        #expect(try fixture.blog.posts(.init(), viewer: .anonymous, limit: 3, before: 9999).posts.isEmpty)
    }

    @Test(
        .notOnPostgres(
            "a 50 ms per page budget measured for SQLite's in-process reads; on PostgreSQL each query is a round trip"
        )) func listsStayFastWithTenThousandPosts() throws
    {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let now = fixture.clock.now
        try fixture.services.database.write { db in
            for index in 0..<10_000 {
                let published = now.addingTimeInterval(Double(index))
                try db.execute(
                    """
                    INSERT INTO blog_posts (author_id, title, body, status, view_count, created_at, published_at, updated_at)
                    VALUES (?, ?, 'Body', 'published', ?, ?, ?, ?)
                    """, [author.id, "Post \(index)", index % 97, published, published, published])
                try db.execute(
                    "INSERT INTO blog_post_tags (post_id, tag, published_at) VALUES (?, ?, ?)",
                    [db.lastInsertedRowID, index.isMultiple(of: 10) ? "rare" : "common", published])
            }
        }
        let blog = fixture.blog
        var timings: [String] = []
        for (name, query) in [
            ("newest", BlogService.PostQuery()), ("views", .init(order: .views)), ("tag", .init(tag: "rare")),
            ("author", .init(authorID: author.id)),
        ] {
            var cursor: Int64?
            let clock = ContinuousClock()
            var pages = 0
            let elapsed = try clock.measure {
                // Fifty pages deep: keyset pagination costs the same on every page.
                for _ in 0..<50 {
                    let page = try blog.posts(query, viewer: .anonymous, limit: 10, before: cursor)
                    #expect(page.posts.count == 10)
                    cursor = page.nextCursor
                    pages += 1
                }
            }
            timings.append("\(name): \(elapsed / pages) per page")
            #expect(elapsed / pages < .milliseconds(50), "\(name)")
        }
        print("blog lists over 10,000 posts — " + timings.joined(separator: ", "))
    }

    @Test(.notOnPostgres("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans differently"))
    func everyListQueryWalksAnIndexInItsOrder() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Erin Author")
        let post = try fixture.post(by: author)
        try fixture.blog.setFeatured(true, postID: post.id, by: nil)
        let queries: [(BlogService.PostQuery, String)] = [
            (.init(order: .newest), "blog_posts_published"), (.init(order: .views), "blog_posts_views"),
            (.init(order: .featured), "blog_posts_featured"),
            (.init(authorID: author.id), "blog_posts_author"),
            (.init(tag: "literacy"), "blog_post_tags_order"),
        ]
        for (query, index) in queries {
            for cursor in [nil, post.id] {
                let plan = try fixture.services.database.read { db -> String in
                    guard
                        let (sql, arguments) = try fixture.blog.listSQL(
                            query, viewer: .anonymous, before: cursor, in: db)
                    else { return "no query" }
                    return try db.query("EXPLAIN QUERY PLAN " + sql, arguments + [10]) {
                        try $0.value("detail") as String
                    }
                    .joined(separator: "\n")
                }
                #expect(plan.contains(index), "\(query) should use \(index):\n\(plan)")
                #expect(!plan.contains("TEMP B-TREE"), "\(query) should not sort:\n\(plan)")
            }
        }
    }
}
