import CPD
import Foundation
import PLNTestSupport
import Testing

@testable import Kernel
@testable import Membership

/// The member directory's filters, answered by the search index's facets.
@Suite struct SearchDirectoryTests {
    /// The directory's cards only (the sidebar's activity names members too).
    static func grid(_ page: TestClient.Response) -> String {
        guard let start = page.text.range(of: "<ul class=\"member-grid\">") else { return "" }
        let rest = page.text[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</ul>")?.upperBound ?? rest.endIndex)])
    }

    static func question(_ id: String, _ type: String, options: [String] = []) -> SettingValue {
        .record([
            "id": .string(id), "label": .string(id.capitalized), "type": .string(type),
            "options": .list(options.map { .string($0) }), "required": .bool(false),
        ])
    }

    /// A member with answers to the school, subjects and key stage questions.
    static func join(
        _ services: Services, _ name: String, _ handle: String, school: String, subjects: String,
        stage: String
    ) throws -> Member {
        let membership = try #require(services.service(MembershipService.self))
        let member = try services.member(name, handle: handle, school: school)
        return try membership.updateProfile(
            memberID: member.id,
            .init(
                name: name, handle: handle, bio: "",
                answers: ["school": school, "subjects": subjects, "key_stage": stage]))
    }

    static let questions: [String: [String: SettingValue]] = [
        "membership": [
            "profile_questions": .list([
                question("school", "text"), question("subjects", "text"),
                question("key_stage", "multiple", options: ["EYFS", "KS1", "KS2", "KS3"]),
            ])
        ]
    ]

    @Test func ks2ComputingInAnotherSchoolIsOneQueryWithExpertiseFromCPD() throws {
        let network = try TestNetwork(modules: allModules, settings: Self.questions)
        defer { network.stop() }
        let services = network.services
        let membership = try #require(services.service(MembershipService.self))
        let cpd = try #require(services.service(CPDService.self))
        _ = try Self.join(
            services, "Me Myself", "memyself", school: "Oakfield Primary", subjects: "Computing", stage: "KS2"
        )
        let colleague = try Self.join(
            services,
            "Cal Colleague", "cal", school: "Oakfield Primary", subjects: "Computing", stage: "KS2")
        let expert = try Self.join(
            services,
            "Eve Expert", "eve", school: "Hilltop Primary", subjects: "Maths, Computing", stage: "KS1\nKS2")
        _ = try Self.join(
            services, "Kay Infants", "kay", school: "Hilltop Primary", subjects: "Computing", stage: "KS1")
        _ = try Self.join(
            services, "Art Teacher", "art", school: "Riverside Primary", subjects: "Art", stage: "KS2")
        if let area = cpd.areas.first { try cpd.setExpertise(memberID: expert.id, [area: "I lead it."]) }

        let client = network.client()
        #expect(try client.signIn("memyself").status == 303)
        let response = try client.get("/members?key_stage=KS2&subjects=Computing&other_school=1")
        #expect(response.status == 200)
        let page = Self.grid(response)
        #expect(page.contains("Eve Expert"))
        for name in ["Cal Colleague", "Kay Infants", "Art Teacher", "Me Myself"] {
            #expect(!page.contains(name))
        }
        let mine = Self.grid(try client.get("/members?key_stage=KS2&subjects=Computing"))
        #expect(
            mine.contains("Cal Colleague") && mine.contains("Eve Expert") && !mine.contains("Art Teacher"))
        if let area = cpd.areas.first {
            let experts = try client.get("/members?expertise=\(TestClient.encode(area))")
            #expect(
                Self.grid(experts).contains("Eve Expert") && !Self.grid(experts).contains("Cal Colleague"))
            #expect(experts.text.contains("CPD expertise"))
        }
        // A profile change moves the member between filters in the same write.
        _ = try membership.updateProfile(
            memberID: colleague.id,
            .init(
                name: colleague.name, handle: "cal", bio: "",
                answers: ["school": "Hilltop Primary", "subjects": "Computing", "key_stage": "KS2"]))
        let moved = try client.get("/members?key_stage=KS2&subjects=Computing&other_school=1")
        #expect(Self.grid(moved).contains("Cal Colleague"))
    }
}

/// `pln serve` counts the directory's filter choices before anyone asks (``ModuleContext/whenServing(_:)``).
@Suite struct DirectoryWarmUpTests {
    @Test func servingCountsTheChoicesBeforeTheFirstDirectoryPage() throws {
        let network = try TestNetwork(modules: allModules, settings: SearchDirectoryTests.questions)
        defer { network.stop() }
        let services = network.services
        let ann = try SearchDirectoryTests.join(
            services, "Ann Early", "annearly", school: "Oakfield Primary", subjects: "Computing", stage: "KS2"
        )
        #expect(network.kernel.context.servingHooks.map(\.module).contains("membership"))
        final class Lines: @unchecked Sendable {  // appended to under the lock
            let lock = NSLock()
            var all: [String] = []
        }
        let lines = Lines()
        network.kernel.runServingHooks(
            log: Logger(minimum: .info) { line in lines.lock.withLock { lines.all.append(line) } })
        #expect(lines.all.contains { $0.contains("warmed up") && $0.contains("module=membership") })
        // Counted by the warm-up: a school that arrives afterwards waits for the next count.
        _ = try SearchDirectoryTests.join(
            services, "Ben Later", "benlater", school: "Zephyr Academy", subjects: "Music", stage: "KS1")
        // Asked as a real member would: the warmed choices are every member's.
        let schools = try services.search.facetValues(
            "school", kind: MembershipSearch.kind, viewer: Viewer(memberID: ann.id, groupIDs: [7])
        ).map(\.value)
        #expect(schools == ["Oakfield Primary"])
        // Moderators' choices were not warmed: counted now, with the new school.
        let moderators = try services.search.facetValues(
            "school", kind: MembershipSearch.kind, viewer: Viewer(memberID: -1, isModerator: true)
        ).map(\.value)
        #expect(moderators == ["Oakfield Primary", "Zephyr Academy"])
    }
}
