import Foundation
import Kernel
import Storage
import Testing

@testable import Blog

@Suite struct CommentTests {
    @Test func aCommentNotifiesThePostAuthorInTheSameWrite() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author, title: "Assessment without levels")
        let comment = try fixture.blog.addComment(to: post.id, body: "We tried this **too**.", by: reader)
        let mail = try fixture.outbox().filter { $0.to == "thomas.whitby@school.example" }
        #expect(mail.count == 1)
        #expect(mail.first?.subject == "Rita Reader commented on your post “Assessment without levels”")
        #expect(mail.first?.body.contains("https://pln.example.org/blog/posts/\(post.id)#comment-\(comment.id)") == true)
        #expect(try fixture.activities().last?.verb == "commented")
        // The author's own comment sends nothing.
        let before = try fixture.outbox().count
        _ = try fixture.blog.addComment(to: post.id, body: "Thanks!", by: author)
        #expect(try fixture.outbox().count == before)
    }

    @Test func repliesStayOneLevelDeepAndNotifyTheCommenter() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let first = try fixture.member("Rita Reader")
        let second = try fixture.member("Sam Second")
        let post = try fixture.post(by: author)
        let top = try fixture.blog.addComment(to: post.id, body: "Top", by: first)
        let reply = try fixture.blog.addComment(to: post.id, body: "Reply", parentID: top.id, by: second)
        let replyToReply = try fixture.blog.addComment(to: post.id, body: "Deeper", parentID: reply.id, by: author)
        #expect(reply.parentID == top.id)
        #expect(replyToReply.parentID == top.id)
        let (threads, next) = try fixture.blog.comments(on: post.id, viewer: .anonymous)
        #expect(next == nil)
        #expect(threads.map(\.comment.id) == [top.id])
        #expect(threads.first?.replies.map(\.id) == [reply.id, replyToReply.id])
        let toFirst = try fixture.outbox().filter { $0.to == "rita.reader@school.example" }
        #expect(toFirst.count == 2)
        #expect(toFirst.allSatisfy { $0.subject.contains("replied to your comment") })
        let other = try fixture.post(by: author, title: "Other")
        #expect(throws: DomainError.self) {
            try fixture.blog.addComment(to: other.id, body: "Wrong thread", parentID: top.id, by: first)
        }
    }

    @Test func membersEditTheirOwnCommentsOnly() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let post = try fixture.post(by: author)
        let comment = try fixture.blog.addComment(to: post.id, body: "Typo", by: reader)
        fixture.clock.advance(by: 30)
        let edited = try fixture.blog.updateComment(id: comment.id, body: "Fixed", by: reader)
        #expect(edited.body == "Fixed")
        #expect(edited.editedAt == fixture.clock.now)
        for someone in [author, admin] {
            #expect(throws: DomainError.notFound) { try fixture.blog.updateComment(id: comment.id, body: "Mine now", by: someone) }
        }
    }

    @Test func theCommenterThePostAuthorAndAdministratorsDeleteComments() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let stranger = try fixture.member("Sam Stranger")
        let admin = try fixture.member("Ada Admin", role: .admin)
        let post = try fixture.post(by: author)
        let byReader = try fixture.blog.addComment(to: post.id, body: "One", by: reader)
        let forAuthor = try fixture.blog.addComment(to: post.id, body: "Two", by: reader)
        let forAdmin = try fixture.blog.addComment(to: post.id, body: "Three", by: reader)
        let reply = try fixture.blog.addComment(to: post.id, body: "Reply", parentID: forAdmin.id, by: stranger)
        #expect(throws: DomainError.self) { try fixture.blog.deleteComment(id: byReader.id, by: stranger) }
        try fixture.blog.deleteComment(id: byReader.id, by: reader)
        try fixture.blog.deleteComment(id: forAuthor.id, by: author)
        try fixture.blog.deleteComment(id: forAdmin.id, by: admin)
        #expect(try fixture.blog.comments(on: post.id, viewer: .anonymous).threads.isEmpty)
        #expect(try fixture.blog.comment(id: reply.id, viewer: fixture.viewer(admin)) == nil)
        #expect(try fixture.activities().allSatisfy { $0.verb != "commented" })
    }

    @Test func pendingMembersCannotCommentAndEmptyCommentsAreRefused() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        var pending = try fixture.member("Pat Pending")
        pending.isPending = true
        let post = try fixture.post(by: author)
        #expect(throws: DomainError.self) { try fixture.blog.addComment(to: post.id, body: "Hello", by: pending) }
        #expect(throws: DomainError.invalid([FieldError(field: "body", message: "Enter your comment.")])) {
            try fixture.blog.addComment(to: post.id, body: "   ", by: author)
        }
    }

    @Test func commentsArePaginatedByThread() throws {
        let fixture = try BlogFixture()
        let author = try fixture.member("Thomas Whitby")
        let reader = try fixture.member("Rita Reader")
        let post = try fixture.post(by: author)
        var ids: [Int64] = []
        for index in 1...5 { ids.append(try fixture.blog.addComment(to: post.id, body: "Comment \(index)", by: reader).id) }
        let first = try fixture.blog.comments(on: post.id, viewer: .anonymous, limit: 2)
        #expect(first.threads.map(\.comment.id) == Array(ids[0..<2]))
        let second = try fixture.blog.comments(on: post.id, viewer: .anonymous, after: first.nextCursor, limit: 2)
        #expect(second.threads.map(\.comment.id) == Array(ids[2..<4]))
        let last = try fixture.blog.comments(on: post.id, viewer: .anonymous, after: second.nextCursor, limit: 2)
        #expect(last.threads.map(\.comment.id) == [ids[4]])
        #expect(last.nextCursor == nil)
    }
}
