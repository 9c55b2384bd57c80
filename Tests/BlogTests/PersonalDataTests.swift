import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Blog

/// "Delete my account": the blog's erase hook.
@Suite struct PersonalDataTests {
    @Test func erasingAMemberDeletesTheirPostsAndKeepsTheirCommentsAsFormerMember() throws {
        let fixture = try BlogFixture()
        let leaver = try fixture.member("Lee Leaver")
        let stayer = try fixture.member("Stella Stayer")
        let leaversPost = try fixture.post(by: leaver, title: "Mine")
        let stayersPost = try fixture.post(by: stayer, title: "Theirs")
        _ = try fixture.blog.addComment(to: leaversPost.id, body: "On the leaver's post", by: stayer)
        let kept = try fixture.blog.addComment(to: stayersPost.id, body: "The leaver's comment", by: leaver)
        let export = try fixture.services.database.read {
            try fixture.blog.export(memberID: leaver.id, in: $0)
        }
        #expect(export["posts"]?.arrayValue?.count == 1)
        #expect(export["comments"]?.arrayValue?.count == 1)
        try fixture.membership.deleteAccount(
            memberID: leaver.id, hooks: fixture.membership.personalDataHooks())
        #expect(try fixture.blog.post(id: leaversPost.id, viewer: fixture.viewer(stayer)) == nil)
        let thread = try fixture.blog.comments(on: stayersPost.id, viewer: .anonymous).threads
        #expect(thread.map(\.comment.id) == [kept.id])
        #expect(thread.first?.comment.authorName == Member.formerMemberName)
    }
}
