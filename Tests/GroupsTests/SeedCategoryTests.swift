import Testing

@testable import Groups

/// `pln admin seed` puts groups in the category their name says (issue 20: a "Reading for
/// pleasure network" among "Business managers").
@Suite struct SeedCategoryTests {
    static let categories = [
        "Strategic group", "Cluster", "School", "Business managers", "Subject network", "Interest",
    ]

    @Test func aSeededGroupGoesInTheCategoryItsNameSays() {
        func category(_ topic: String, _ kind: String, _ among: [String] = Self.categories) -> String? {
            GroupsSeeder.fittingCategory(topic: topic, kind: kind, among: among)
        }
        #expect(category("reading for pleasure", "network") == "Subject network")
        #expect(category("school business management", "forum") == "Business managers")
        #expect(category("oracy", "cluster") == "Cluster")
        #expect(category("leadership", "group") == "Strategic group")
        #expect(category("wellbeing", "forum") == "Interest")
        #expect(category("phonics", "network", ["Strategic group", "Cluster", "Interest"]) == "Interest")
        #expect(
            category("wellbeing", "forum", ["Cluster"]) == nil, "none fits: the seeder keeps its random pick")
    }
}
