import Foundation
import Storage
import Testing

@testable import Kernel

/// Modules change stream entries through selections, never by SQL on `activities`.
@Suite struct ActivityChangesTests {
    func record(
        _ services: Services, module: String = "blog", actor: Int64 = 1, verb: String = "commented",
        kind: String = "blog_comment", id: Int64, context: ActivityContext? = nil, in db: Connection
    ) throws {
        try services.activity.record(
            NewActivity(
                module: module, actorID: actor, actorName: "A\(actor)", actorHandle: "a\(actor)", verb: verb,
                objectKind: kind, objectID: id, objectTitle: "T\(id)", objectURL: "/t/\(id)", scope: .public,
                context: context),
            at: Date(timeIntervalSince1970: 1_790_000_000 + Double(id)), in: db)
    }

    func objectIDs(_ services: Services, for viewer: Viewer = .anonymous) throws -> [Int64] {
        try services.activity.latest(for: viewer, limit: 100).groups.compactMap(\.lead.objectID)
    }

    @Test func erasingASetOfObjectsLeavesOtherKindsModulesAndObjectsAlone() throws {
        let services = try bootKernel().services
        try services.database.write { db in
            for id in Int64(1)...5 { try record(services, id: id, in: db) }
            try record(services, module: "groups", kind: "blog_comment", id: 6, in: db)
            try record(services, kind: "blog_post", id: 2, in: db)
            try services.activity.deleteEntries(
                .objects("blog_comment", ids: [2, 3, 6]).inModule("blog"), in: db)
            // An empty set matches nothing (not everything).
            try services.activity.deleteEntries(.objects("blog_comment", ids: []), in: db)
        }
        #expect(try objectIDs(services) == [2, 6, 5, 4, 1])
    }

    @Test func hidingAndErasingByActorNarrowByModuleAndVerb() throws {
        let services = try bootKernel().services
        try services.database.write { db in
            try record(services, module: "cpd", actor: 7, verb: "offered", kind: "cpd_session", id: 1, in: db)
            try record(
                services, module: "cpd", actor: 7, verb: "attended", kind: "cpd_session", id: 2, in: db)
            try record(
                services, module: "cpd", actor: 8, verb: "attended", kind: "cpd_session", id: 3, in: db)
            try record(services, module: "blog", actor: 7, verb: "attended", kind: "x", id: 4, in: db)
            try services.activity.deleteEntries(.actor(7).inModule("cpd").excludingVerbs("offered"), in: db)
            try services.activity.setHidden(true, .actor(8).verbs("attended"), in: db)
        }
        #expect(try objectIDs(services) == [4, 1])
        #expect(try objectIDs(services, for: Viewer(memberID: 8)) == [4, 3, 1])
    }

    @Test func updatesRewriteOnlyTheNamedColumnsOfTheSelectedEntries() throws {
        let services = try bootKernel().services
        try services.database.write { db in
            try record(services, actor: 1, kind: "member", id: 1, in: db)
            try record(services, actor: 2, kind: "member", id: 2, in: db)
            try services.activity.update(
                .object("member", id: 1),
                ActivityUpdate(objectTitle: "former member", removesObjectURL: true),
                in: db)
            try services.activity.update(
                .actor(2), ActivityUpdate(actorName: "Bea", actorHandle: "bea"), in: db)
            try services.activity.update(.object("member", id: 2), ActivityUpdate(scope: .group(4)), in: db)
        }
        let leads = try services.activity.latest(for: Viewer(memberID: 9, groupIDs: [4]), limit: 10).groups
            .map(
                \.lead)
        #expect(leads.map(\.objectTitle) == ["T2", "former member"])
        #expect(leads.map(\.objectURL) == ["/t/2", nil])
        #expect(leads.map(\.actorName) == ["Bea", "A1"] && leads[0].actorHandle == "bea")
        #expect(leads[0].scope == .group(4) && leads[1].scope == .public)
        #expect(try objectIDs(services) == [1])
    }

    @Test func aContextListsRescopesAndErasesItsEntries() throws {
        let services = try bootKernel().services
        try services.database.write { db in
            for id in Int64(1)...3 {
                try record(services, module: "groups", id: id, context: .group(1), in: db)
            }
            try record(services, module: "groups", id: 4, context: .group(2), in: db)
            try record(services, module: "groups", id: 5, in: db)
            try services.activity.setHidden(true, .object("blog_comment", id: 2), in: db)
        }
        let filter = ActivityFilter(context: .group(1))
        #expect(
            try services.activity.entries(for: .anonymous, filter: filter, limit: 10).map(\.objectID) == [
                3, 1,
            ])
        #expect(
            try services.activity.entries(for: Viewer(memberID: 1), filter: filter, limit: 10).map(\.objectID)
                == [3, 2, 1])
        try services.database.write { db in
            try services.activity.update(.context(.group(1)), ActivityUpdate(scope: .group(1)), in: db)
        }
        #expect(try services.activity.entries(for: .anonymous, filter: filter, limit: 10).isEmpty)
        #expect(
            try services.activity.entries(for: Viewer(memberID: 5, groupIDs: [1]), filter: filter, limit: 10)
                .map(
                    \.objectID) == [3, 1])
        try services.database.write { db in try services.activity.deleteEntries(.context(.group(1)), in: db) }
        #expect(try objectIDs(services) == [5, 4])
    }

    @Test func aShellWithoutMembershipNamesNoAccountPages() throws {
        let kernel = try bootKernel(testConfig(enabling: []))
        #expect(kernel.services.identity == nil)
        let withMembership = try bootKernel()
        let identity = try #require(withMembership.services.identity)
        #expect(identity.profilePath(handle: "erin") == "/members/erin")
        #expect(identity.signInPath == "/sign-in" && identity.joinPath == "/join")
    }
}
