import Blog
import Foundation
import Groups
import PLNTestSupport
import Storage
import Testing

@testable import Kernel
@testable import Membership

/// Every module's tables are named `<module>_<thing>`: membership's migration 006 renamed its
/// tables on databases made before it, without losing a row or a foreign key.
@Suite struct TableNamesTests {
    static let renamed = MembershipSchema.renamed

    @Test func everyModulesTablesStartWithTheModulesName() throws {
        for type in allModules {
            let module = type.init()
            for table in module.ownedTables + module.readModels {
                #expect(table.hasPrefix(type.manifest.id + "_"), "\(type.manifest.id): \(table)")
            }
        }
    }

    /// A database as it stood before 006 (the old names, other modules' foreign keys naming
    /// them, data in it) is upgraded by booting: every row stays, foreign keys hold and cascade,
    /// the read model answers, and ids go on rising.
    @Test(
        .notOnPostgres("upgrades a database made by SQLite-era migrations and reads sqlite_schema's SQL text")
    ) func upgradingRenamesMembershipsTablesAndKeepsRowsAndForeignKeys() throws {
        let folder = TestNetwork.temporaryFolder()
        var groupID: Int64 = 0
        var ada: Member?
        var bob: Member?
        do {
            let network = try TestNetwork(modules: allModules, folder: folder)
            defer { network.stop() }
            let services = network.services
            ada = try services.member("Ada")
            bob = try services.member("Bob")
            let groups = try #require(services.service(GroupsService.self))
            let group = try groups.create(
                .init(name: "Phonics", category: "Interest", visibility: .public), by: ada!.signedIn)
            groupID = group.id
            _ = try groups.join(groupID: group.id, by: bob!.signedIn)
            let blog = try #require(services.service(BlogService.self))
            _ = try blog.createPost(.init(title: "Blending", body: "Ideas"), by: bob!.signedIn)
            // Back to the names before 006: SQLite rewrites the other tables' foreign keys too,
            // so the schema is the one an older release left.
            try services.database.write { db in
                for (old, new) in Self.renamed { try db.execute("ALTER TABLE \(new) RENAME TO \(old)") }
                try db.execute(
                    "DELETE FROM pln_migrations WHERE owner = 'membership' AND name = '006_table_names'")
            }
            let reference = try services.database.read {
                try $0.scalar("SELECT sql FROM sqlite_schema WHERE name = 'groups_member'", as: String.self)
            }
            #expect(
                reference?.contains("REFERENCES \"members\"") == true
                    || reference?.contains("REFERENCES members") == true)
        }
        let network = try TestNetwork(modules: allModules, folder: folder)
        defer { network.stop() }
        let services = network.services
        try services.database.read { db in
            for (old, new) in Self.renamed {
                #expect(
                    try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = ?", [old], as: Int.self)
                        == 0)
                #expect(
                    try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = ?", [new], as: Int.self)
                        == 1)
            }
            #expect(try db.scalar("SELECT count(*) FROM membership_members", as: Int.self) == 2)
            #expect(try db.scalar("SELECT count(*) FROM membership_people", as: Int.self) == 2)
            #expect(try db.query("PRAGMA foreign_key_check") { _ in 1 }.isEmpty)
            let groupsMember = try db.scalar(
                "SELECT sql FROM sqlite_schema WHERE name = 'groups_member'", as: String.self)
            #expect(groupsMember?.contains("membership_members") == true)
        }
        // Ids go on rising, and erasing a member still cascades through other modules' tables.
        let carol = try services.member("Carol")
        #expect(carol.id > bob!.id)
        try services.database.write { db in
            try db.execute("DELETE FROM membership_members WHERE id = ?", [bob!.id])
        }
        let left = try services.database.read {
            try $0.scalar(
                "SELECT count(*) FROM groups_member WHERE group_id = ? AND member_id = ?",
                [groupID, bob!.id],
                as: Int.self)
        }
        #expect(left == 0)
        #expect(
            try services.database.read { try $0.scalar("SELECT count(*) FROM blog_posts", as: Int.self) } == 0
        )
    }
}
