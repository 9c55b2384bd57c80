import Foundation
import Kernel
import Membership
import PLNTestSupport
import Testing

/// A status reaches Latest Activity as an ``Excerpt``: its first paragraph, cut at a word.
@Suite struct StatusExcerptTests {
    @Test func aLongStatusIsCutAtAWordInTheActivityStream() throws {
        let network = try network()
        defer { network.stop() }
        let member = try network.member("Sam Status")
        let body = String(repeating: "phonics ", count: 17) + "cliffhanger\n\nSecond paragraph."
        _ = try network.membership.postStatus(by: member, body: body)
        let entries = try network.services.activity.latest(for: .anonymous, limit: 10).groups.map(\.lead)
        let excerpt = try #require(entries.first { $0.verb == "posted_status" }?.excerpt)
        #expect(
            excerpt == String(repeating: "phonics ", count: 17).trimmingCharacters(in: .whitespaces) + "…")
    }
}
