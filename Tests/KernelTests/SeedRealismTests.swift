import Blog
import CPD
import Foundation
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

/// The seeded network looks like a real one on its home page (issue 20): the newest activity
/// mixes kinds over the last days, the featured posts are recent, sessions start at school times.
@Suite struct SeedRealismTests {
    @Test func theNewestActivityMixesKindsAndTheFeaturedPostsAreRecent() throws {
        let now = Date()
        let clock = FixedClock(now.addingTimeInterval(-365 * 86_400))
        let kernel = try bootKernel(testConfig(), clock: clock)
        let context = SeedContext(
            scale: .small, seed: 1, services: kernel.services, clock: clock, now: now, log: { _ in })
        for seeder in kernel.context.seeders.sorted(by: { $0.order < $1.order }) { try seeder.run(context) }
        let database = kernel.services.database
        let newest = try database.read { db in
            try db.query("SELECT module, verb, created_at FROM activities ORDER BY id DESC LIMIT 30") {
                (
                    module: try $0.value("module") as String, verb: try $0.value("verb") as String,
                    at: try $0.value("created_at") as Date
                )
            }
        }
        #expect(Set(newest.map(\.verb)).count >= 3, "\(newest.map(\.verb))")
        #expect(Set(newest.map(\.module)).count >= 3, "\(newest.map(\.module))")
        #expect(newest.first.map { now.timeIntervalSince($0.at) < 86_400 } == true, "the last act is today")
        #expect(newest.last.map { now.timeIntervalSince($0.at) > 3600 } == true, "not all in the last hour")
        // Newest first by id is newest first by time.
        #expect(newest.map(\.at) == newest.map(\.at).sorted(by: >))
        let featured = try database.read { db in
            try db.query(
                "SELECT featured_at FROM blog_posts WHERE featured_at IS NOT NULL ORDER BY featured_at DESC LIMIT 1"
            ) {
                try $0.value("featured_at") as Date
            }
        }
        #expect(
            featured.first.map { now.timeIntervalSince($0) < 5 * 86_400 } == true,
            "a post featured in the last days")
    }
}
