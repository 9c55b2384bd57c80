import Blog
import Foundation
import Groups
import Membership
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// The search service: what goes into the index, inside which write, and who finds it.
@Suite struct SearchTests {
    struct Network {
        let kernel: Kernel
        var services: Services { kernel.services }
        var search: SearchService { kernel.services.search }
        var blog: BlogService { kernel.services.service(BlogService.self)! }
        var groups: GroupsService { kernel.services.service(GroupsService.self)! }

        init() throws { kernel = try bootKernel() }

        func post(
            _ title: String, _ body: String, by member: Member, visibility: String = "public",
            publish: Bool = true
        )
            throws -> BlogPost
        {
            try blog.createPost(
                .init(title: title, body: body, visibility: visibility, publish: publish), by: member.signedIn
            )
        }

        func privateGroup(_ name: String, owner: Member, visibility: GroupVisibility = .private) throws
            -> Group
        {
            try groups.create(
                .init(name: name, category: groups.categories.first ?? "Interest", visibility: visibility),
                by: owner.signedIn)
        }

        func titles(_ text: String, as viewer: Viewer, kind: String? = nil) throws -> [String] {
            try search.search(text, viewer: viewer, kind: kind).hits.map(\.title)
        }

        func hide(_ kind: String, _ id: Int64, _ hidden: Bool = true) throws {
            let reportable = kernel.context.reportableKinds.first { $0.kind == kind }!
            try services.database.write { db in
                try reportable.setHidden(id, hidden, db)
                try services.events.publish(
                    ContentEvent(
                        module: reportable.module, kind: kind, id: id, authorID: nil,
                        action: hidden ? .hidden : .restored), in: db)
            }
        }
    }

    static func viewer(_ member: Member, groups: GroupsService? = nil) -> Viewer {
        Viewer(member.signedIn, groupIDs: groups?.groupIDs(of: member.id) ?? [])
    }

    @Test func theQueryParserReadsWordsPhrasesExclusionsAndFilters() {
        let query = SearchQuery.parse(
            #"Phonics "Year 2 reading" -reception -"big book" kind:blog group:KS1-hub author:@Ada"#)
        #expect(query.required == [["phonics"], ["year", "2", "reading"]])
        #expect(query.excluded == [["reception"], ["big", "book"]])
        #expect(query.kinds == ["blog"])
        #expect(query.group == "ks1-hub")
        #expect(query.author == "ada")
        #expect(
            query.fullTextExpression == #"("phonics" AND "year 2 reading") NOT ("reception" OR "big book")"#)
    }

    /// ASCII queries take a shorter way through the parser and the tokenizer: it must read every
    /// query as the general way does.
    @Test func asciiQueriesParseAsTheGeneralWayReadsThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 -\":\r\n\t.,'@_!kind:group:author:")
        for length in [0, 1, 2, 5, 20, 80] {
            for _ in 0..<200 {
                let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                #expect(
                    SearchQuery.parse(text) == SearchQuery.parse(characters: Array(text)),
                    "\(text.debugDescription)")
                #expect(
                    SearchQuery.tokens(of: text) == SearchQuery.foldedTokens(of: text),
                    "\(text.debugDescription)")
            }
        }
        let everyByte = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        #expect(SearchQuery.tokens(of: everyByte) == SearchQuery.foldedTokens(of: everyByte))
        #expect(SearchQuery.tokens(of: "Year-6 KS2/KS3") == ["year", "6", "ks2", "ks3"])
    }

    @Test func kindListsReachTheIndexAsJSONThatDecodesToThem() throws {
        let lists: [[String]] = [
            [], ["blog_post"], ["a", "b c", "quote\"", "back\\slash", "tab\tnew\nline\u{1}", "é🏫", ""],
        ]
        for list in lists {
            let decoded = try JSONDecoder().decode(
                [String].self, from: Data(SQLiteSearchIndex.jsonArray(list).utf8))
            #expect(decoded == list)
        }
    }

    @Test func queryTextNeverReachesTheIndexAsTyped() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        _ = try network.post("Quotes and stars", "A body about NEAR and OR", by: ada)
        for text in [
            #"""#, #"a" OR "b"#, "NEAR(a b)", "*", "title:x", "\"unclosed", "-", "^a", "a AND", "(((", "💥",
        ] {
            _ = try network.search.search(text, viewer: Self.viewer(ada))
        }
        #expect(try network.titles("near", as: Self.viewer(ada)) == ["Quotes and stars"])
        #expect(SearchQuery.parse(#"x" OR "y"#).fullTextExpression == #""x" AND "or" AND "y""#)
    }

    @Test func aPublishedPostIsFoundAtOnceAndLeavesWhenDeleted() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        let post = try network.post(
            "Teaching fractions with bar models", "Singapore maths in Year 5.", by: ada)
        let anyone = Viewer.anonymous
        #expect(try network.titles("fraction", as: anyone) == ["Teaching fractions with bar models"])
        #expect(try network.titles("bar models", as: anyone).count == 1)
        #expect(try network.titles("singapore -fractions", as: anyone).isEmpty)
        try network.blog.deletePost(id: post.id, by: ada.signedIn)
        #expect(try network.titles("fractions", as: anyone).isEmpty)
    }

    @Test func titlesRankAboveBodiesAndStemsAndDiacriticsMatch() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        _ = try network.post("Notes from the week", "We spent a session on phonics screening.", by: ada)
        _ = try network.post("Phonics screening tips", "What worked for us.", by: ada)
        _ = try network.post("Café culture in Year 6", "Zoë's class ran a café.", by: ada)
        let viewer = Self.viewer(ada)
        #expect(
            try network.titles("phonics screening", as: viewer) == [
                "Phonics screening tips", "Notes from the week",
            ])
        #expect(try network.titles("cafe zoe", as: viewer) == ["Café culture in Year 6"])
        #expect(try network.titles("screened", as: viewer).count == 2)
    }

    @Test func membersOnlyPostsDraftsAndHiddenPostsReachOnlyThoseAllowed() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        let bob = try network.services.member("Bob")
        let mod = try network.services.member("Mo", role: .moderator)
        _ = try network.post("Members only inset notes", "Quokka.", by: ada, visibility: "members")
        #expect(try network.titles("quokka", as: .anonymous).isEmpty)
        #expect(try network.titles("quokka", as: Self.viewer(bob)).count == 1)

        let draft = try network.post("Unfinished wombat", "Draft text.", by: ada, publish: false)
        try network.services.database.write { db in
            try network.search.reindex(SearchItem(kind: "blog_post", id: draft.id), in: db)
        }
        #expect(try network.titles("wombat", as: Self.viewer(ada)) == ["Unfinished wombat"])
        #expect(try network.titles("wombat", as: Self.viewer(bob)).isEmpty)
        #expect(try network.titles("wombat", as: Self.viewer(mod)).isEmpty)

        let hidden = try network.post("Platypus post", "Reported.", by: ada)
        let comment = try network.blog.addComment(to: hidden.id, body: "Platypus comment", by: bob.signedIn)
        try network.hide("blog_post", hidden.id)
        #expect(try network.titles("platypus", as: Self.viewer(bob)).isEmpty)
        #expect(try network.search.search("platypus", viewer: Self.viewer(bob)).total == 0)
        #expect(try network.titles("platypus", as: Self.viewer(mod)).count == 2)
        try network.hide("blog_post", hidden.id, false)
        #expect(try network.titles("platypus", as: Self.viewer(bob)).count == 2)
        _ = comment
    }

    @Test func aPrivateGroupsContentIsFoundOnlyByItsMembersAndCountsRevealNothing() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        let bob = try network.services.member("Bob")
        let mod = try network.services.member("Mo", role: .moderator)
        let group = try network.privateGroup("Oracy cluster", owner: ada)
        _ = try network.groups.startDiscussion(
            groupID: group.id, by: ada.signedIn, title: "Talk partners", body: "Our xylophonic strategy.")
        let outsider = Self.viewer(bob, groups: network.groups)
        for viewer in [outsider, Self.viewer(mod, groups: network.groups), Viewer.anonymous] {
            let results = try network.search.search("xylophonic", viewer: viewer)
            #expect(results.hits.isEmpty && results.total == 0 && results.counts.isEmpty)
            // Nor does "did you mean" point at it.
            #expect(try network.search.search("xylophonik", viewer: viewer).suggestion == nil)
        }
        let member = Self.viewer(ada, groups: network.groups)
        #expect(try network.titles("xylophonic", as: member) == ["Talk partners"])
        #expect(try network.search.search("xylophonik", viewer: member).suggestion?.text == "xylophonic")
        // The group itself is listed, so its name is found by everyone.
        #expect(try network.titles("oracy", as: outsider) == ["Oracy cluster"])
    }

    @Test func makingAGroupPrivateTakesItsDiscussionsOutOfSightInTheSameWrite() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        let bob = try network.services.member("Bob")
        let group = try network.privateGroup("Open maths", owner: ada, visibility: .public)
        let topic = try network.groups.startDiscussion(
            groupID: group.id, by: ada.signedIn, title: "Mastery", body: "Quincunx counters.")
        _ = try network.groups.reply(to: topic.id, by: ada.signedIn, body: "More quincunx.")
        let outsider = Self.viewer(bob, groups: network.groups)
        #expect(try network.titles("quincunx", as: outsider).count == 2)
        _ = try network.groups.update(
            groupID: group.id, .init(name: group.name, category: group.category, visibility: .private),
            by: ada.signedIn)
        #expect(try network.titles("quincunx", as: outsider).isEmpty)
        #expect(
            try network.search.search(
                "quincunx group:open-maths", viewer: Self.viewer(ada, groups: network.groups)
            ).total == 2)
    }

    @Test func partOfANameFindsTheMember() throws {
        let network = try Network()
        let jon = try network.services.member("Jonathan Smith")
        _ = try network.services.member("Marta Jones")
        let viewer = Self.viewer(jon)
        #expect(try network.titles("Jon Smit", as: viewer) == ["Jonathan Smith"])
        #expect(try network.titles("smith", as: viewer, kind: "member") == ["Jonathan Smith"])
        // Inside a word is not the start of a name.
        #expect(try network.titles("art", as: viewer, kind: "member").isEmpty)
    }

    @Test func snippetsMarkMatchesAndEscapeMemberText() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        _ = try network.post(
            "Escaping", "<script>alert(1)</script> the gnu \u{E000}fake\u{E001} & more", by: ada)
        let hit = try #require(try network.search.search("gnu", viewer: Self.viewer(ada)).hits.first)
        #expect(hit.snippet.html.text.contains("&lt;script&gt;"))
        #expect(hit.snippet.html.text.contains("<mark>gnu</mark>"))
        #expect(!hit.snippet.html.text.contains("<mark>fake"))
        #expect(!hit.snippet.html.text.contains("<script>"))
    }

    @Test func authorAndKindFiltersNarrowResults() throws {
        let network = try Network()
        let ada = try network.services.member("Ada", handle: "ada")
        let bob = try network.services.member("Bob", handle: "bob")
        let post = try network.post("Retrieval practice", "Low stakes quizzing.", by: ada)
        _ = try network.blog.addComment(
            to: post.id, body: "We quiz daily: retrieval works.", by: bob.signedIn)
        let viewer = Self.viewer(bob)
        #expect(try network.search.search("retrieval", viewer: viewer).total == 2)
        #expect(try network.titles("retrieval author:ada", as: viewer) == ["Retrieval practice"])
        #expect(try network.titles("retrieval author:nobody", as: viewer).isEmpty)
        #expect(
            try network.titles("retrieval kind:comment", as: viewer) == ["Comment on “Retrieval practice”"])
        #expect(try network.search.search("retrieval kind:nonsense", viewer: viewer).total == 0)
        #expect(try network.titles("retrieval", as: viewer, kind: "blog_post") == ["Retrieval practice"])
    }

    @Test func deletingAnAccountTakesTheMemberAndWhatTheyWroteOut() throws {
        let network = try Network()
        let ada = try network.services.member("Ada Quill")
        let bob = try network.services.member("Bob")
        _ = try network.post("Ada's marmoset post", "Body.", by: ada)
        let membership = network.services.service(MembershipService.self)!
        #expect(try network.titles("marmoset", as: Self.viewer(bob)).count == 1)
        #expect(try network.titles("quill", as: Self.viewer(bob)) == ["Ada Quill"])
        try membership.deleteAccount(memberID: ada.id, hooks: membership.personalDataHooks())
        #expect(try network.titles("marmoset", as: Self.viewer(bob)).isEmpty)
        #expect(try network.titles("quill", as: Self.viewer(bob)).isEmpty)
        let left = try network.services.database.read { db in
            try db.scalar(
                "SELECT COUNT(*) FROM search_documents WHERE author_id = ? OR (kind = 'member' AND item_id = ?)",
                [ada.id, ada.id], as: Int.self)
        }
        #expect(left == 0)
    }

    @Test func reindexingResumesWhereItStoppedAndDropsWhatIsGone() throws {
        let network = try Network()
        let ada = try network.services.member("Ada")
        for index in 1...5 { _ = try network.post("Ocelot \(index)", "Body.", by: ada) }
        // Rows written past the services (as the seeder does) are not indexed until a rebuild.
        try network.services.database.write { db in
            try db.execute("DELETE FROM search_documents WHERE kind = 'blog_post'")
            try db.execute("DELETE FROM search_text")
            try db.execute("INSERT INTO search_reindex (kind, last_id) VALUES ('blog_post', 3)")
        }
        let report = try network.search.rebuild(kind: "blog_post", batchSize: 2)
        #expect(report.first?.done == 2)
        #expect(try network.titles("ocelot", as: .anonymous).sorted() == ["Ocelot 4", "Ocelot 5"])
        try network.search.rebuild(kind: "blog", restart: true)
        #expect(try network.titles("ocelot", as: .anonymous).count == 5)
        #expect(throws: DomainError.self) { try network.search.rebuild(kind: "nonsense") }
    }

    @Test func purgingAModuleForgetsItsEntries() throws {
        let folder = temporaryFolder()
        var kernel: Kernel? = try bootKernel(testConfig(folder: folder))
        let ada = try kernel!.services.member("Ada")
        _ = try kernel!.services.service(BlogService.self)!.createPost(
            .init(title: "Gone soon", body: "Body."), by: ada.signedIn)
        kernel = nil
        let config = testConfig(enabling: ["membership", "groups", "cpd", "moderation"], folder: folder)
        let database = try Database(location: config.storageLocation)
        try Kernel.purge(moduleID: "blog", registry: fullRegistry, config: config, database: database)
        let left = try database.read {
            try $0.scalar("SELECT COUNT(*) FROM search_documents WHERE module = 'blog'", as: Int.self)
        }
        #expect(left == 0)
    }

    @Test func theDirectoryAnswersTheSameWhetherARareFacetDrivesOrNamesAreWalked() throws {
        let network = try Network()
        let index = SQLiteSearchIndex()
        let count = SQLiteSearchIndex.drivingFacetLimit + 500
        try network.services.database.write { db in
            for id in 1...Int64(count) {
                var facets = [SearchFacet("key_stage", "KS2")]
                if id % 3 == 0 { facets.append(SearchFacet("subjects", "Computing")) }
                if id % 10 == 0 { facets.append(SearchFacet("school", "Rare Primary")) }
                try index.upsert(
                    SearchItem(kind: "probe", id: id), module: "test",
                    SearchDocument(
                        title: String(format: "Name %05d", id), url: "/\(id)", authorID: nil,
                        audience: .everyone,
                        date: Date(timeIntervalSince1970: 0), facets: facets), in: db)
            }
        }
        func ids(_ having: [SearchFacet], lacking: [SearchFacet] = []) throws -> [Int64] {
            try network.search.directory(
                kind: "probe", viewer: .anonymous, having: having, lacking: lacking, limit: 200)
        }
        // Both facets common: members are walked by name.
        let walked = try ids([SearchFacet("key_stage", "KS2"), SearchFacet("subjects", "Computing")])
        #expect(walked == Array(stride(from: Int64(3), through: 600, by: 3)))
        // A rare school drives.
        let driven = try ids([SearchFacet("key_stage", "KS2"), SearchFacet("school", "Rare Primary")])
        #expect(driven == Array(stride(from: Int64(10), through: 2000, by: 10)))
        let lacking = try ids(
            [SearchFacet("subjects", "Computing")], lacking: [SearchFacet("school", "Rare Primary")])
        #expect(lacking.prefix(4) == [3, 6, 9, 12] && !lacking.contains(30))
    }
}
