import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Blog

/// Featuring: administrators pick posts for the blog and the network home.
@Suite struct FeaturedPostTests {
    @Test func administratorsFeatureAndTheActivityNamesTheAuthor() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let member = try fixture.member("Rita Reader")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let older = try fixture.post(by: author, title: "Older")
        fixture.clock.advance(by: 60)
        let newer = try fixture.post(by: author, title: "Newer")
        #expect(throws: DomainError.forbidden("Only administrators can feature posts.")) {
            try fixture.blog.setFeatured(true, postID: older.id, by: member)
        }
        let featured = try fixture.blog.setFeatured(true, postID: older.id, by: admin)
        #expect(featured.isFeatured)
        let entry = try #require(try fixture.activities().last)
        #expect(entry.verb == "featured")
        #expect(entry.actor == author.id)
        #expect(entry.objectID == older.id)
        // Featured posts lead: the featured list has only them.
        #expect(
            try fixture.blog.posts(.init(order: .featured), viewer: .anonymous, limit: 5).posts.map(\.id) == [
                older.id
            ])
        #expect(
            try fixture.blog.posts(.init(), viewer: .anonymous, limit: 5).posts.map(\.id) == [
                newer.id, older.id,
            ])
        // The shell's line reads "<author> 's blog post was featured <title>".
        let group = try #require(try fixture.services.activity.latest(for: .anonymous, limit: 1).groups.first)
        #expect(fixture.kernel.context.phrase(for: group) == "'s blog post was featured")
        #expect(group.actors.first?.name == "Thomas Whitby")
        #expect(group.lead.objectTitle == "Older")
        #expect(group.lead.excerpt == "What worked for us this term.")
        // Featuring twice records nothing more; unfeaturing removes the line.
        try fixture.blog.setFeatured(true, postID: older.id, by: admin)
        #expect(try fixture.activities().filter { $0.verb == "featured" }.count == 1)
        try fixture.blog.setFeatured(false, postID: older.id, by: nil)
        #expect(try fixture.activities().filter { $0.verb == "featured" }.isEmpty)
        #expect(try fixture.blog.posts(.init(order: .featured), viewer: .anonymous, limit: 5).posts.isEmpty)
    }
}
