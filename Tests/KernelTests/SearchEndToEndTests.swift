import Foundation
import Groups
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Search over real HTTP: the header box, the page, the API, and privacy on both.
@Suite struct SearchEndToEndTests {
    @Test func aMemberOutsideAPrivateGroupFindsNothingOfItOnThePageOrTheAPI() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let services = network.services
        let groups = try #require(services.service(GroupsService.self))
        let ada = try services.member("Ada Owner", handle: "ada")
        _ = try services.member("Bob Outsider", handle: "bob")
        let group = try groups.create(
            .init(name: "Heads only", category: groups.categories.first ?? "Interest", visibility: .private),
            by: ada.signedIn)
        _ = try groups.startDiscussion(
            groupID: group.id, by: ada.signedIn, title: "Budget worries",
            body: "The zemblanity of next year's settlement.")

        let bob = network.client()
        #expect(try bob.signIn("bob").status == 303)
        let page = try bob.get("/search?q=zemblanity")
        #expect(page.status == 200)
        #expect(page.text.contains("No results for “zemblanity”"))
        #expect(!page.text.contains("Budget worries"))
        #expect(!page.text.contains("(1)"))
        let misspelt = try bob.get("/search?q=zemblanitty")
        #expect(!misspelt.text.contains("Did you mean"))
        let api = try bob.get("/api/v1/search?q=zemblanity")
        #expect(api.status == 200)
        let json = try #require(api.json as? [String: Any])
        #expect(json["total"] as? Int == 0)
        #expect((json["items"] as? [Any])?.isEmpty == true)
        #expect((json["counts"] as? [Any])?.isEmpty == true)
        #expect(json["suggestion"] == nil || json["suggestion"] is NSNull)

        let owner = network.client()
        #expect(try owner.signIn("ada").status == 303)
        let found = try owner.get("/search?q=zemblanity")
        #expect(found.text.contains("Budget worries"))
        #expect(found.text.contains("<mark>zemblanity</mark>"))
        let ownerAPI = try #require(try owner.get("/api/v1/search?q=zemblanity").json as? [String: Any])
        #expect(ownerAPI["total"] as? Int == 1)
        let suggested = try owner.get("/search?q=zemblanitty")
        #expect(suggested.text.contains("Did you mean"))
    }

    @Test func everyPageHasTheSearchBoxAndTheSearchPageFiltersAndPages() throws {
        let network = try TestNetwork(modules: allModules)
        defer { network.stop() }
        let services = network.services
        let groups = try #require(services.service(GroupsService.self))
        let ada = try services.member("Ada", handle: "ada")
        let group = try groups.create(
            .init(
                name: "Kestrel network", category: groups.categories.first ?? "Interest", visibility: .public),
            by: ada.signedIn)
        for index in 1...23 {
            _ = try groups.startDiscussion(
                groupID: group.id, by: ada.signedIn, title: "Kestrel topic \(index)", body: "About kestrels.")
        }
        let visitor = network.client()
        let home = try visitor.get("/")
        #expect(
            home.text.contains(
                "<form class=\"site-search\" role=\"search\" method=\"get\" action=\"/search\">"))
        let first = try visitor.get("/search?q=kestrel")
        #expect(first.text.contains("Everything (24)"))
        #expect(first.text.contains("Discussions (23)"))
        #expect(first.text.contains("Groups (1)"))
        #expect(first.text.contains("rel=\"next\" href=\"/search?q=kestrel&amp;page=2\""))
        let second = try visitor.get("/search?q=kestrel&page=2")
        #expect(second.text.components(separatedBy: "<li><a href=\"/groups/").count - 1 == 4)
        let tab = try visitor.get("/search?q=kestrel&kind=group")
        #expect(tab.text.components(separatedBy: "<li><a href=\"/groups/").count - 1 == 1)
        let bad = try visitor.get("/api/v1/search?q=kestrel&kind=nonsense")
        #expect(bad.status == 422)
        let paged = try #require(
            try visitor.get("/api/v1/search?q=kestrel&limit=10&offset=20").json as? [String: Any])
        #expect((paged["items"] as? [Any])?.count == 4)
        #expect(paged["next_offset"] == nil || paged["next_offset"] is NSNull)
    }
}
