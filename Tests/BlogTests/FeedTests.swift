import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Blog

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads an Atom document with Foundation's XML parser: the entries' titles, ids and contents,
/// and whether the document parsed at all.
final class AtomReader: NSObject, XMLParserDelegate {
    struct Entry {
        var title = ""
        var id = ""
        var content = ""
        var categories: [String] = []
    }

    var rootName = ""
    var rootNamespace = ""
    var feedTitle = ""
    var feedUpdated = ""
    var entries: [Entry] = []
    var error: String?
    private var path: [String] = []
    private var text = ""

    static func read(_ data: Data) -> AtomReader {
        let reader = AtomReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        if !parser.parse() { reader.error = parser.parserError.map { "\($0)" } ?? "parse failed" }
        return reader
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if path.isEmpty {
            rootName = elementName
            rootNamespace = namespaceURI ?? ""
        }
        path.append(elementName)
        text = ""
        if elementName == "entry" { entries.append(Entry()) }
        if elementName == "category", let term = attributes["term"] { entries[entries.count - 1].categories.append(term) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let inEntry = path.contains("entry")
        switch (elementName, inEntry) {
        case ("title", true): entries[entries.count - 1].title = text
        case ("id", true): entries[entries.count - 1].id = text
        case ("content", true): entries[entries.count - 1].content = text
        case ("title", false) where path.count == 2: feedTitle = text
        case ("updated", false) where path.count == 2: feedUpdated = text
        default: break
        }
        path.removeLast()
        text = ""
    }
}

@Suite struct FeedTests {
    @Test func theNetworkFeedIsValidAtomWithEscapedMemberText() throws {
        let network = try TestNetwork(
            modules: [MembershipModule.self, BlogModule.self],
            settings: ["network": ["name": .string("The Educator's PLN"), "base_url": .string("https://pln.example.org")]])
        defer { network.stop() }
        let blog = try #require(network.services.service(BlogService.self))
        let membership = try #require(network.services.service(MembershipService.self))
        let joined = try membership.join(
            .init(name: "Eve <b>Evil</b>", email: "eve@school.example", password: "a long enough password", acceptsTerms: true))
        let eve = SignedInMember(id: joined.id, handle: joined.handle, name: joined.name, role: .member)
        let hostile = "<script>alert('x')</script> & \u{1} \"quoted\" ]]>"
        let post = try blog.createPost(
            .init(title: hostile, body: "Body with <img src=x onerror=alert(1)> and [link](javascript:alert(1))", tags: "safe"),
            by: eve)
        _ = try blog.createPost(.init(title: "Draft title", body: "draft", tags: "safe", publish: false), by: eve)
        _ = try blog.createPost(.init(title: "Members title", body: "inside", tags: "safe", visibility: "members"), by: eve)
        let hidden = try blog.createPost(.init(title: "Hidden title", body: "hidden", tags: "safe"), by: eve)
        try network.services.database.write { try blog.setPostHidden(true, postID: hidden.id, in: $0) }

        let client = network.client()
        for path in ["/blog/feed.atom", "/blog/members/\(eve.handle)/feed.atom", "/blog/tags/safe/feed.atom"] {
            let response = try client.get(path)
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("application/atom+xml") == true)
            let feed = AtomReader.read(Data(response.body))
            #expect(feed.error == nil, "\(path): \(feed.error ?? "")")
            #expect(feed.rootName == "feed")
            #expect(feed.rootNamespace == "http://www.w3.org/2005/Atom")
            #expect(!feed.feedUpdated.isEmpty)
            // Only the public, published, visible post: no draft, members-only or hidden post.
            #expect(feed.entries.count == 1, "\(path)")
            let entry = try #require(feed.entries.first)
            // A title is one line of text: the control character is dropped, the spaces folded.
            #expect(entry.title == "<script>alert('x')</script> & \"quoted\" ]]>")
            #expect(entry.id == "https://pln.example.org/blog/posts/\(post.id)")
            #expect(entry.categories == ["safe"])
            // The content is the safe rendering: raw HTML escaped, the javascript: link dropped.
            #expect(entry.content.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!entry.content.contains("javascript:"))
            #expect(!response.text.contains("<script>"))
        }
        #expect(try client.get("/blog/members/nobody/feed.atom").status == 404)
    }

    @Test func xmlEscapingDropsCharactersXMLForbids() {
        #expect(AtomFeed.escape("a\u{0}b\u{1B}c\u{FFFE}d\te") == "abcd\te")
        #expect(AtomFeed.escape("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;")
    }
}
