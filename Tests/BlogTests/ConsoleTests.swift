import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

@testable import Blog

/// `pln admin blog …` on a whole network.
@Suite struct ConsoleTests {
    @Test func theConsoleListsFeaturesAndDeletes() throws {
        let network = try EndToEndTests.network()
        defer { network.stop() }
        let blog = try #require(network.services.service(BlogService.self))
        let author = try network.services.member("Thomas Whitby").signedIn
        let post = try blog.createPost(.init(title: "Console post", body: "Body"), by: author)
        let list = network.admin(["blog", "list"])
        #expect(list.code == 0)
        #expect(list.out.contains("Console post"))
        #expect(network.admin(["blog", "feature", "\(post.id)"]).code == 0)
        let json = network.admin(["blog", "list", "--sort", "featured", "--json"])
        #expect(json.out.contains("\"featured\": true"))
        #expect(network.admin(["blog", "feature", "9999"]).code == 1)
        #expect(network.admin(["blog", "feature", "abc"]).code == 2)
        #expect(network.admin(["blog", "unfeature", "\(post.id)"]).code == 0)
        #expect(network.admin(["blog", "delete", "\(post.id)"], answers: ["n"]).code == 1)
        #expect(network.admin(["blog", "delete", "\(post.id)", "--yes"]).code == 0)
        #expect(try blog.post(id: post.id, viewer: .anonymous) == nil)
    }
}
