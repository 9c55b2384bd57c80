import Foundation
import Groups
import Kernel
import Membership
import Storage
import Testing

/// Groups kept its own table of stream entry ids; since 005 the stream keeps each entry's group
/// (its context). An upgraded database loses no link.
@Suite struct ActivityContextMigrationTests {
    @Test func upgradingMovesEveryGroupLinkIntoTheStreamAndDropsTheTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try Database(path: folder.appendingPathComponent("pln.sqlite").path)
        let groups = GroupsModule().migrations
        let before =
            Services.kernelMigrations + MembershipModule().migrations + groups.filter { $0.name < "005" }
        try Migrator(before).migrate(database)
        try database.write { db in
            for (entry, group) in [(Int64(1), Int64(7)), (2, 7), (3, 8)] {
                try db.execute(
                    """
                    INSERT INTO activities (id, module, actor_id, actor_name, actor_handle, verb, scope_kind, created_at)
                    VALUES (?, 'groups', 1, 'A', 'a', 'joined', 'public', 0)
                    """, [entry])
                try db.execute(
                    "INSERT INTO groups_activity (activity_id, group_id) VALUES (?, ?)", [entry, group])
            }
            try db.execute(
                "INSERT INTO activities (id, module, actor_id, actor_name, actor_handle, verb, scope_kind, created_at) VALUES (4, 'blog', 1, 'A', 'a', 'x', 'public', 0)"
            )
        }
        try Migrator(before + groups).migrate(database)
        let contexts = try database.read { db in
            try db.query("SELECT id, context_kind, context_id FROM activities ORDER BY id") {
                "\(try $0.value("id") as Int64):\(try $0.optional("context_kind") as String? ?? "-"):\(try $0.optional("context_id") as Int64? ?? 0)"
            }
        }
        #expect(contexts == ["1:group:7", "2:group:7", "3:group:8", "4:-:0"])
        let table = try database.read {
            try $0.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'groups_activity'", as: Int.self)
        }
        #expect(table == nil)
    }
}
