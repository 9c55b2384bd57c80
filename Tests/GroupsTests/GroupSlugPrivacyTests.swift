import Foundation
import Groups
import Kernel
import Testing

/// Issue 14, item 10: creating a group must not tell a member that a hidden group they cannot
/// see uses a web address.
@Suite struct GroupSlugPrivacyTests {
    func refusal(_ fixture: GroupsFixture, slug: String, by member: SignedInMember) throws -> [FieldError] {
        do {
            _ = try fixture.groups.create(
                .init(name: "Mine", slug: slug, category: "Cluster", visibility: .public), by: member)
            return []
        } catch DomainError.invalid(let errors) {
            return errors
        }
    }

    @Test func aHiddenGroupsAddressIsRefusedLikeAnyUnavailableAddress() throws {
        let fixture = try GroupsFixture()
        let head = try fixture.member("Hea Dteacher")
        let other = try fixture.member("Cur Ious")
        let hidden = try fixture.groups.create(
            .init(name: "Heads board", slug: "heads-board", category: "Cluster", visibility: .hidden),
            by: head)
        let visible = try fixture.group("Open maths", .public, owner: head)
        let hiddenAnswer = try refusal(fixture, slug: hidden.slug, by: other)
        let visibleAnswer = try refusal(fixture, slug: visible.slug, by: other)
        let reservedAnswer = try refusal(fixture, slug: "new", by: other)
        #expect(!hiddenAnswer.isEmpty)
        #expect(hiddenAnswer == visibleAnswer)
        #expect(hiddenAnswer == reservedAnswer)
        #expect(!hiddenAnswer.contains { $0.message.lowercased().contains("group") })
    }
}
