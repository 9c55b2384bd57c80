import Foundation
import Kernel
import PLNTestSupport
import Storage
import Testing

@testable import Membership

@Suite struct PersonalDataTests {
    @Test func myExportHoldsNoneOfAnotherMembersPrivateData() throws {
        let network = try network()
        defer { network.stop() }
        let me = try network.member("Mia Mine")
        let other = try network.member("Oscar Other")
        _ = try network.membership.postStatus(by: me, body: "my status")
        _ = try network.membership.postStatus(by: other, body: "oscar's status")
        try network.membership.befriend(from: me, to: other.id)
        try network.membership.befriend(from: other, to: me.id)
        let client = network.client()
        #expect(try client.signIn("mia-mine").status == 303)
        let export = try client.get("/account/export")
        #expect(export.status == 200)
        #expect(export.header("Content-Disposition")?.contains("attachment") == true)
        #expect(export.text.contains("my status"))
        #expect(export.text.contains("mia.mine@example.org"))
        #expect(!export.text.contains("oscar's status"))
        #expect(!export.text.contains("oscar.other@example.org"))
        #expect(export.text.contains("\"oscar-other\""))  // who my friends are is mine
    }

    @Test func deletionErasesTheMemberAndLeavesOthersReadable() throws {
        let network = try network()
        defer { network.stop() }
        let leaver = try network.member("Lee Leaver")
        let stayer = try network.member("Stay Here")
        try network.membership.befriend(from: leaver, to: stayer.id)
        try network.membership.befriend(from: stayer, to: leaver.id)
        _ = try network.membership.postStatus(by: stayer, body: "Thanks Lee for the phonics session!")
        let client = network.client()
        #expect(try client.signIn("lee-leaver").status == 303)
        let wrong = try client.submit("/account/delete", from: "/account/delete", ["confirm": "nope"])
        #expect(wrong.status == 422)
        #expect(
            try client.submit("/account/delete", from: "/account/delete", ["confirm": "lee-leaver"]).status
                == 303)
        let erased = try #require(try network.membership.member(id: leaver.id))
        #expect(erased.status == .deleted)
        #expect(erased.name == Member.formerMemberName)
        #expect(!erased.email.contains("lee"))
        #expect(try network.client().signIn("lee.leaver@example.org").status == 401)
        let viewer = network.client()
        #expect(try viewer.signIn("stay-here").status == 303)
        let activity = try viewer.get("/activity").text
        #expect(activity.contains("Welcome back, Stay Here."))
        #expect(activity.contains("Thanks Lee for the phonics session!"))
        #expect(!activity.contains("Lee Leaver"))
        #expect(try network.membership.friends(of: stayer.id).isEmpty)
    }
}
