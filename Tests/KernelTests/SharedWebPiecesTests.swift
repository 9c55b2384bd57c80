import Blog
import CPD
import Foundation
import Groups
import HTTP
import Markdown
import Membership
import Moderation
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// The pieces every module shares: excerpts, the pager, page sizes and absolute links.
@Suite struct SharedWebPiecesTests {
    @Test func anExcerptIsThePlainTextOfTheFirstParagraphsWithoutALeadingHeading() {
        let markdown =
            "# Notes\n\n**Phonics** first,\nthen [maths](https://example.org).\n\nSecond paragraph."
        #expect(Excerpt.make(markdown, length: 200) == "Phonics first, then maths. Second paragraph.")
        #expect(
            Excerpt.make(markdown, length: 26) == "Phonics first, then maths.",
            "the first paragraph alone when that is all the room")
        #expect(Excerpt.make(markdown, length: 30) == "Phonics first, then maths…")
        #expect(Excerpt.make("- one item\n- two", length: 200) == "one item. two")
        #expect(Excerpt.make("## Only a heading", length: 200) == "Only a heading")
        #expect(
            Excerpt.make("```\nlet x = 1\n```", length: 200) == "let x = 1", "code when there is nothing else"
        )
        #expect(Excerpt.make("", length: 200) == "")
    }

    @Test func anExcerptKeepsASentenceBreakBetweenBlocks() {
        let post = """
            The key was giving staff time to plan together rather than another initiative.

            ## What we tried

            The key was time.

            - Pairs planned lessons
            - “Quoted” end.”

            > A quote (with brackets)
            """
        #expect(
            Excerpt.make(post, length: 400)
                == "The key was giving staff time to plan together rather than another initiative. What we tried. The key was time. Pairs planned lessons. “Quoted” end.” A quote (with brackets)",
            "a heading or item without a full stop gets one; text already ending a sentence keeps its own")
        #expect(!Excerpt.make(post, length: 400).contains("initiative. What we tried The key"))
        #expect(
            Excerpt.make(post, length: 95)
                == "The key was giving staff time to plan together rather than another initiative. What we tried…"
        )
        #expect(Excerpt.make("Why?\n\n## Because\n\nIt works!", length: 200) == "Why? Because. It works!")
    }

    @Test func anExcerptIsCutAtAWordWithAnEllipsis() {
        #expect(Excerpt.make("Phonics and early reading", length: 10) == "Phonics…")
        #expect(Excerpt.make("Phonics, and early reading", length: 10) == "Phonics…", "no dangling comma")
        #expect(
            Excerpt.make("Phonics and early reading", length: 11) == "Phonics and…",
            "a cut at a space keeps the word")
        #expect(Excerpt.make("Supercalifragilistic", length: 5) == "Super…", "one long word is cut inside it")
        #expect(Excerpt.make("Short", length: 5) == "Short")
        #expect(
            Excerpt.make("“Quoted” words here", length: 14) == "“Quoted” words…", "leading punctuation stays")
    }

    @Test func aPlainTextExcerptKeepsTheFirstParagraphAndCollapsesSpaces() {
        #expect(
            Excerpt.plain("First line\nsame   paragraph\n\nSecond", length: 100)
                == "First line same paragraph")
        #expect(Excerpt.plain("\n\n  Leading blank lines", length: 100) == "Leading blank lines")
        #expect(Excerpt.plain("*not* markdown", length: 100) == "*not* markdown")
        #expect(Excerpt.plain(String(repeating: "word ", count: 40), length: 20) == "word word word word…")
    }

    @Test func thePagerIsOneNextLinkInALabelledNavigation() {
        #expect(
            Pager.next("/groups?q=a b&after=x", "More groups").text
                == #"<nav class="pager" aria-label="Pages"><a rel="next" href="/groups?q=a b&amp;after=x">More groups</a></nav>"#
        )
        #expect(
            Pager.next("/blog/1?comments_after=3#comments", "More comments", navigationLabel: "Comment pages")
                .text
                == #"<nav class="pager" aria-label="Comment pages"><a rel="next" href="/blog/1?comments_after=3#comments">More comments</a></nav>"#
        )
    }

    @Test func aPageSizeIsKeptBetweenOneAndTheListsMaximum() {
        #expect(PageSize.clamp(0, to: 100) == 1)
        #expect(PageSize.clamp(-5, to: 100) == 1)
        #expect(PageSize.clamp(20, to: 100) == 20)
        #expect(PageSize.clamp(500, to: 100) == 100)
    }

    @Test func aLinkIsTheBaseURLWithoutItsTrailingSlashThenThePath() throws {
        var config = DeploymentConfig.defaults(enabling: [])
        config.sections["network"]?["base_url"] = .string("https://pln.example.org/network//")
        let services = Services(
            config: config, database: try Database(path: temporaryFolder() + "/links.sqlite"))
        #expect(services.baseURL == "https://pln.example.org/network")
        #expect(services.link("/blog/7") == "https://pln.example.org/network/blog/7")
        #expect(services.link("terms") == "https://pln.example.org/network/terms")
        #expect(services.link("") == "https://pln.example.org/network")
    }

    /// Each module brings its own CSS, served as its own file: the kernel's sheet holds the shell
    /// and the shared components, and a page links, after it, the enabled modules' sheets its
    /// markup can use, in module order; a disabled module's sheet does not exist.
    @Test func pagesLinkTheKernelsSheetAndTheModuleSheetsTheirMarkupUses() throws {
        let network = try TestNetwork(modules: [MembershipModule.self, BlogModule.self])
        defer { network.stop() }
        try network.services.member("Ann Author")
        let client = network.client()
        let blog = try client.get("/blog")
        let links = blog.text.matches(
            of: /<link rel="stylesheet" href="(\/assets\/[a-z]+\.css)\?v=([0-9a-f]{10})">/
        )
        .map { (String($0.1), String($0.2)) }
        #expect(links.first?.0 == "/assets/pln.css")
        #expect(links.map(\.0).contains("/assets/blog.css"))
        #expect(
            Set(links.map(\.0)).isSubset(of: [
                "/assets/pln.css", "/assets/membership.css", "/assets/blog.css",
            ]))
        let kernel = try client.get("/assets/pln.css?v=\(links[0].1)")
        #expect(kernel.status == 200)
        #expect(kernel.text.contains(".site-header{"))
        #expect(!kernel.text.contains(".post-list>li") && !kernel.text.contains(".member-grid{"))
        let blogVersion = try #require(links.first { $0.0 == "/assets/blog.css" }?.1)
        let part = try client.get("/assets/blog.css?v=\(blogVersion)")
        #expect(part.status == 200)
        #expect(part.header("Content-Type") == "text/css; charset=utf-8")
        #expect(part.header("Cache-Control")?.contains("immutable") == true)
        #expect(part.text.contains(".post-list>li"))
        let etag = try #require(part.header("ETag"))
        #expect(
            try client.get("/assets/blog.css?v=\(blogVersion)", headers: [("If-None-Match", etag)]).status
                == 304)
        // The sign-in page uses none of the blog's rules.
        #expect(!(try client.get("/sign-in").text.contains("/assets/blog.css")))
        // A module that is not enabled has no sheet, and no page links one.
        #expect(try client.get("/assets/groups.css?v=1").status == 404)
        #expect(try client.get("/assets/nothing.css").status == 404)

        let everything = try TestNetwork(
            modules: [
                MembershipModule.self, GroupsModule.self, CPDModule.self, BlogModule.self,
                ModerationModule.self,
            ])
        defer { everything.stop() }
        let chair = try everything.services.member("Chair Person").signedIn
        _ = try #require(everything.services.service(GroupsService.self)).create(
            .init(name: "Phonics", category: "Interest", visibility: .public), by: chair)
        let all = everything.client()
        for (module, rule) in [
            ("groups", ".group-nav a{"), ("cpd", ".certificate dl{"),
            ("moderation", ".reports,.notes,.audit,.badges{"),
            ("cpd", ".subnav a{"),
        ] {
            #expect(try all.get("/assets/\(module).css").text.contains(rule))
        }
        #expect(try all.get("/groups").text.contains("/assets/groups.css?v="))
        #expect(try all.get("/cpd").text.contains("/assets/cpd.css?v="))
    }

    /// Every CSS class a module's markup uses is styled by the kernel or by that module itself,
    /// never only by another module's part (which is not served when that module is disabled).
    @Test func noModuleReliesOnAnotherModulesStylesheet() throws {
        let folders = ["Membership", "Groups", "CPD", "Blog", "Moderation"]
        func classes(inCSS css: String) -> Set<String> {
            Set(css.matches(of: /\.([a-zA-Z][\w-]*)/).map { String($0.1) })
        }
        let kernel = classes(inCSS: Assets.stylesheet)
        var styledBy: [String: Set<String>] = [:]
        var used: [String: Set<String>] = [:]
        for folder in folders {
            for file in ArchitectureTests.swiftFiles(under: "Plugins/" + folder) {
                let source = try String(contentsOf: file, encoding: .utf8)
                if file.lastPathComponent == "Styles.swift" {
                    for name in classes(inCSS: source) { styledBy[name, default: []].insert(folder) }
                } else {
                    for match in source.matches(of: /class=\\?"([^"\\]*)/) {
                        used[folder, default: []].formUnion(match.1.split(separator: " ").map(String.init))
                    }
                }
            }
        }
        #expect(styledBy["certificate"] == ["CPD"] && used["CPD"]?.contains("certificate") == true)
        var borrowed: [String] = []
        for (folder, names) in used {
            for name in names where !kernel.contains(name) {
                if let owners = styledBy[name], !owners.contains(folder) {
                    borrowed.append("\(folder) uses .\(name), styled only by \(owners.sorted())")
                }
            }
        }
        #expect(borrowed.sorted() == [])
    }
}

@Suite struct PageGroupTests {
    struct Controller {
        let name: String
        @Sendable func index(_ ctx: RequestContext) throws -> HTTPResponse { .text("index of \(name)") }
        @Sendable func edit(_ ctx: RequestContext) throws -> HTTPResponse { .text("edit") }
    }

    @Test func groupsPrefixTheirPathsAndPassDownAccess() {
        var web = WebContributions()
        let controller = Controller(name: "posts")
        web.pages("/blog") { pages in
            pages.get("", use: controller.index)
            pages.group("/posts/:id", access: .members) { post in
                post.get("/edit", use: controller.edit)
                post.post("/edit", bodyLimit: 1024, use: controller.edit)
                post.get("/public", access: .anyone, use: controller.index)
            }
        }
        web.pages("") { pages in pages.get("", use: controller.index) }
        let routes = web.routes.map {
            "\($0.method) \($0.pattern) \($0.access) \($0.bodyLimit.map(String.init) ?? "-")"
        }
        #expect(
            routes == [
                "GET /blog anyone -", "GET /blog/posts/:id/edit members -",
                "POST /blog/posts/:id/edit members 1024",
                "GET /blog/posts/:id/public anyone -", "GET / anyone -",
            ])
        #expect(web.routes.allSatisfy { $0.kind == .page })
    }
}

@Suite struct ShellAboutTests {
    /// The default creator ("the administrators") opens a sentence in the sidebar.
    @Test func theAboutBoxOpensItsSentenceWithACapital() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let home = try network.client().get("/")
        #expect(home.text.contains("<p>The administrators created this network.</p>"))
        #expect(Shell.sentenceStart("") == "")
        #expect(Shell.sentenceStart("école Jules Ferry") == "École Jules Ferry")
    }
}
