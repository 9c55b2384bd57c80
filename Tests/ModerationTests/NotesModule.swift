import Foundation
import Kernel
import Storage

/// A stand-in for Blog, Groups and CPD: a module bootstrapped after moderation that registers
/// its own reportable kind and publishes `ContentEvent`s, as every content module does.
struct NotesModule: FeatureModule {
    static let manifest = ModuleManifest(
        id: "notes", title: "Notes", summary: "A test content module.", dependencies: ["membership"])

    var migrations: [Migration] {
        [
            Migration(
                owner: "notes", name: "001_notes",
                sql:
                    "CREATE TABLE notes (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0)"
            ),
            Migration(owner: "notes", name: "002_ids_never_reused", disablesForeignKeys: true) { db in
                try db.makeIDsNeverReused(in: "notes")
            },
        ]
    }

    var ownedTables: [String] { ["notes"] }

    func bootstrap(_ context: ModuleContext) throws {
        context.services.provide(NotesService(services: context.services))
        context.reportable(
            ReportableKind(
                module: "notes", kind: "note", title: "note",
                lookup: { id, db in
                    try db.queryOne("SELECT * FROM notes WHERE id = ?", [id]) { row in
                        ReportableItem(
                            title: try row.value("title"), authorID: try row.value("author_id"),
                            url: "/notes/\(id)",
                            excerpt: try row.value("title"), isHidden: try row.value("hidden"))
                    }
                },
                // Notes titled "secret …" are for their author only, as a draft or a private group's post is.
                isVisible: { id, viewer, db in
                    let note = try db.queryOne("SELECT author_id, title FROM notes WHERE id = ?", [id]) {
                        row in
                        (author: try row.value("author_id") as Int64, title: try row.value("title") as String)
                    }
                    guard let note else { return false }
                    return !note.title.hasPrefix("secret") || note.author == viewer.id
                },
                setHidden: { id, hidden, db in
                    try db.execute("UPDATE notes SET hidden = ? WHERE id = ?", [hidden, id])
                },
                delete: { id, db in try db.execute("DELETE FROM notes WHERE id = ?", [id]) }))
    }
}

final class NotesService: Sendable {
    let services: Services
    init(services: Services) { self.services = services }

    func post(by authorID: Int64, _ title: String) throws -> Int64 {
        try services.database.write { db in
            try db.execute("INSERT INTO notes (author_id, title) VALUES (?, ?)", [authorID, title])
            let id = db.lastInsertedRowID
            try services.contentCreated(
                ContentSubmission(module: "notes", kind: "note", id: id, authorID: authorID), in: db)
            return id
        }
    }

    func isHidden(_ id: Int64) throws -> Bool? {
        try services.database.read {
            try $0.scalar("SELECT hidden FROM notes WHERE id = ?", [id], as: Bool.self)
        }
    }
}
