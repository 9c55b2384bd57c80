import Blog
import Foundation
import Membership
import PLNTestSupport
import Testing

@testable import Kernel

/// Merging the index's parts (FTS5 segments) into one: answers stay the same, the nightly job
/// does it in the network's 03:00 hour only.
@Suite struct SearchCompactionTests {
    /// A post a transaction, each adding a segment to the words index.
    static func postSeparately(_ count: Int, in network: SearchTests.Network, by member: Member) throws {
        for index in 1...count {
            _ = try network.post(
                "Numbat note \(index)", "Numbats and \(index) bilbies in the woods.", by: member)
        }
    }

    @Test func mergingThePartsKeepsEveryAnswer() throws {
        let network = try SearchTests.Network()
        let ada = try network.services.member("Ada")
        try Self.postSeparately(12, in: network, by: ada)
        let viewer = Viewer(ada.signedIn)
        let before = try network.search.search("numbat bilby", viewer: viewer, limit: 50)
        #expect(before.total == 12)
        guard let parts = try network.search.parts() else {
            // PostgreSQL's index (tsvector and GIN) has no parts: nothing to merge.
            #expect(try network.search.compact() == 0)
            return
        }
        #expect(parts > 1)
        let steps = try network.search.compact(pagesPerStep: 1)
        #expect(steps >= 1)
        #expect(try network.search.parts() == 1)
        // Nothing left to merge: a second run does no work.
        #expect(try network.search.compact() == 0)
        let after = try network.search.search("numbat bilby", viewer: viewer, limit: 50)
        #expect(after == before)
        // And the index still takes writes and finds them.
        _ = try network.post("Numbat late", "One more numbat and a bilby.", by: ada)
        #expect(try network.search.search("numbat bilby", viewer: viewer, limit: 50).total == 13)
    }

    @Test func theNightlyCompactionRunsInTheNetworksThreeOClockHourOncePerNight() throws {
        let network = try SearchTests.Network()
        let ada = try network.services.member("Ada")
        try Self.postSeparately(8, in: network, by: ada)
        guard let parts = try network.search.parts() else { return }
        #expect(parts > 1)
        let london = "Europe/London"
        // 2026-09-21 15:13 in London (UTC+1 in September): not the time.
        let afternoon = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(try network.search.compactIfNight(at: afternoon, timeZone: london, pause: 0) == nil)
        #expect(try network.search.parts() == parts)
        // 02:30 UTC the next day is 03:30 in London: merged.
        let night = Date(timeIntervalSince1970: 1_790_000_000 + 44_200)
        #expect(try network.search.compactIfNight(at: night, timeZone: london, pause: 0)?.parts == parts)
        #expect(try network.search.parts() == 1)
        // Later the same night: done already, even with new parts.
        try Self.postSeparately(4, in: network, by: ada)
        #expect(
            try network.search.compactIfNight(at: night.addingTimeInterval(1_200), timeZone: london, pause: 0)
                == nil)
        // In Tokyo it is 11:30 then: not the time there.
        let next = night.addingTimeInterval(86_400)
        #expect(try network.search.compactIfNight(at: next, timeZone: "Asia/Tokyo", pause: 0) == nil)
        #expect(try network.search.compactIfNight(at: next, timeZone: london, pause: 0)?.steps ?? 0 >= 1)
        #expect(try network.search.parts() == 1)
    }

    @Test func theConsoleShowsThePartsAndMergesThem() throws {
        let folder = temporaryFolder()
        let kernel = try bootKernel(testConfig(folder: folder))
        let blog = try #require(kernel.services.service(BlogService.self))
        let ada = try kernel.services.member("Ada Lovelace").signedIn
        for index in 1...8 {
            _ = try blog.createPost(
                .init(title: "Numbat \(index)", body: "Numbats.", visibility: "public", publish: true),
                by: ada)
        }
        let app = CommandLineApp(
            registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in testConfig(folder: folder) })
        func admin(_ arguments: String...) -> (code: Int32, out: String) {
            let console = Console.capturing()
            let code = app.run(["admin", "search"] + arguments, console: console)
            return (code, console.capturedOutput)
        }
        let stats = admin("stats", "--json")
        #expect(stats.code == 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as? [String: Any])
        guard let parts = json["parts"] as? Int else {
            // PostgreSQL: no parts, and compact says there is nothing to merge.
            #expect(json["parts"] is NSNull)
            #expect(admin("compact").out.contains("no parts to merge"))
            return
        }
        #expect(parts > 1)
        #expect(admin("stats").out.contains("the index is in \(parts) parts"))
        let compact = admin("compact")
        #expect(compact.code == 0)
        #expect(compact.out.contains("merged the index from \(parts) parts into 1"))
        #expect(admin("stats").out.contains("the index is in 1 part\n"))
        let reindex = admin("reindex")
        #expect(reindex.code == 0 && reindex.out.contains("and merged the index"))
        #expect(admin("stats").out.contains("the index is in 1 part\n"))
    }
}
