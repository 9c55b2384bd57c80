import Foundation
import Testing

@testable import Storage

@Suite struct TableRebuildTests {
    func database() throws -> Database {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-rebuild-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try Database(path: folder + "/test.sqlite")
    }

    @Test func aRebuiltTableKeepsRowsIndexesTriggersAndForeignKeysAndNeverReusesAnId() throws {
        let db = try database()
        let migrator = Migrator([
            Migration(
                owner: "t", name: "001",
                sql: """
                    CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, comment_count INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX posts_title ON posts (title);
                    CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE);
                    CREATE TRIGGER comments_counted AFTER INSERT ON comments BEGIN
                        UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
                    END;
                    CREATE TRIGGER posts_renamed AFTER UPDATE OF title ON posts BEGIN
                        UPDATE posts SET comment_count = comment_count WHERE id = NEW.id;
                    END;
                    INSERT INTO posts (title) VALUES ('one'), ('two'), ('three');
                    INSERT INTO comments (post_id) VALUES (1), (1), (3);
                    """),
            Migration(owner: "t", name: "002", disablesForeignKeys: true) { db in
                try db.makeIDsNeverReused(in: "posts")
            },
        ])
        try migrator.migrate(db)
        try db.write { db in
            // The comments survived the rebuild of the table they refer to (no cascade).
            #expect(try db.scalar("SELECT COUNT(*) FROM comments", as: Int.self) == 3)
            #expect(try db.scalar("SELECT comment_count FROM posts WHERE id = 1", as: Int.self) == 2)
            let sql =
                try db.scalar("SELECT sql FROM sqlite_schema WHERE name = 'posts'", as: String.self) ?? ""
            #expect(sql.contains("AUTOINCREMENT"))
            #expect(
                try db.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'posts_title'", as: Int.self) == 1)
            #expect(
                try db.scalar("SELECT 1 FROM sqlite_schema WHERE name = 'posts_renamed'", as: Int.self) == 1)
            // Triggers on other tables still work, and so does the cascade.
            try db.execute("INSERT INTO comments (post_id) VALUES (3)")
            #expect(try db.scalar("SELECT comment_count FROM posts WHERE id = 3", as: Int.self) == 2)
            try db.execute("DELETE FROM posts WHERE id = 3")
            #expect(try db.scalar("SELECT COUNT(*) FROM comments WHERE post_id = 3", as: Int.self) == 0)
            try db.execute("INSERT INTO posts (title) VALUES ('four')")
            #expect(db.lastInsertedRowID == 4)
            #expect(try db.highestIDEverUsed(in: "posts") == 4)
        }
    }

    @Test func aMigrationThatLeavesBrokenForeignKeysRollsBack() throws {
        let db = try database()
        let migrator = Migrator([
            Migration(
                owner: "t", name: "001",
                sql: """
                    CREATE TABLE posts (id INTEGER PRIMARY KEY);
                    CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id));
                    INSERT INTO posts (id) VALUES (1);
                    INSERT INTO comments (post_id) VALUES (1);
                    """),
            Migration(owner: "t", name: "002", disablesForeignKeys: true) { db in
                try db.execute("DELETE FROM posts")
            },
        ])
        #expect(throws: StorageError.self) { try migrator.migrate(db) }
        try db.write { (db: Connection) throws -> Void in
            #expect(try db.scalar("SELECT COUNT(*) FROM posts", as: Int.self) == 1)
            #expect(
                try db.scalar("SELECT COUNT(*) FROM pln_migrations WHERE name = '002'", as: Int.self) == 0)
            // Foreign keys are on again once the migration is over.
            #expect(throws: StorageError.self) {
                try db.execute("INSERT INTO comments (post_id) VALUES (42)")
            }
        }
    }

    @Test func theNextIdIsRaisedAboveARememberedFloor() throws {
        let db = try database()
        try Migrator([
            Migration(
                owner: "t", name: "001",
                sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)"),
            Migration(owner: "t", name: "002", sql: "CREATE TABLE plain (id INTEGER PRIMARY KEY, body TEXT)"),
        ]).migrate(db)
        try db.write { db in
            #expect(try db.raiseNextID(of: "notes", above: 41))
            #expect(try db.raiseNextID(of: "plain", above: 41) == false)
            #expect(try db.raiseNextID(of: "missing", above: 41) == false)
            try db.execute("INSERT INTO notes (body) VALUES ('x')")
            #expect(db.lastInsertedRowID == 42)
        }
    }
}
