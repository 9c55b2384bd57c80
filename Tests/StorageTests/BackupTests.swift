import Foundation
import Synchronization
import Testing

@testable import Storage

/// Backups must never overwrite the live database, by whatever name it is reached, and must
/// never leave a half-written file; `quickCheck` must see damage.
@Suite struct BackupTests {
    /// A database holding 2,000 rows in `t`, in its own folder.
    func filledDatabase() throws -> Database {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript("CREATE TABLE t (x INTEGER, pad TEXT); CREATE INDEX t_x ON t(x)")
            for i in 0..<2000 {
                try db.execute("INSERT INTO t VALUES (?, ?)", [i, String(repeating: "p", count: 200)])
            }
        }
        return db
    }

    func folder(of db: Database) -> String { (db.path as NSString).deletingLastPathComponent }

    func filesIn(_ folder: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    }

    @Test func theLiveDatabaseAndItsCompanionFilesAreRefusedByAnyNameWhileTheServerWrites() async throws {
        let db = try filledDatabase()
        let folder = folder(of: db)
        let fileManager = FileManager.default
        // Other names for the same files: "..", a symlink, a symlink to a -wal, a hard link.
        try fileManager.createSymbolicLink(atPath: folder + "/link.sqlite", withDestinationPath: db.path)
        try fileManager.createSymbolicLink(
            atPath: folder + "/wal-link", withDestinationPath: db.path + "-wal")
        try fileManager.createSymbolicLink(
            atPath: folder + "/journal-link", withDestinationPath: "test.sqlite-journal")  // dangling, relative
        try fileManager.linkItem(atPath: db.path, toPath: folder + "/hard.sqlite")
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("pln-storage-\(UUID())")
            .path
        try fileManager.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let before = try filesIn(folder)

        let acknowledged = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let writer = Task.detached {
            var i = 10_000
            while !stop.load(ordering: .relaxed) {
                try db.write { try $0.execute("INSERT INTO t VALUES (?, 'w')", [i]) }
                acknowledged.add(1, ordering: .relaxed)
                i += 1
            }
        }
        let names = [
            db.path, db.path + "-wal", db.path + "-shm", db.path + "-journal", folder + "/../db/test.sqlite",
            folder + "/./test.sqlite-wal", folder + "/link.sqlite", folder + "/wal-link",
            folder + "/journal-link",
            folder + "/hard.sqlite",
            // Relative to the working directory, through a folder elsewhere.
            relativePath(from: fileManager.currentDirectoryPath, to: elsewhere) + "/../"
                + relativePath(from: elsewhere + "/..", to: db.path),
        ]
        for name in names {
            let error = #expect(throws: StorageError.self, "\(name)") { try db.backup(to: name) }
            #expect(error?.kind == .refused)
            #expect(
                error?.summary.contains("refusing to back up onto \(name)") == true, "\(error?.summary ?? "")"
            )
            #expect(error?.remedy?.contains("name a new file") == true)
        }
        while acknowledged.load(ordering: .relaxed) < 50 { try await Task.sleep(for: .milliseconds(5)) }
        stop.store(true, ordering: .relaxed)
        try await writer.value
        #expect(try db.integrityCheck() == [])
        let rows = try db.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) }
        #expect(rows == 2000 + acknowledged.load(ordering: .relaxed))
        #expect(try filesIn(folder) == before, "nothing was written beside the database")
    }

    @Test func aBackupReplacesAnEarlierOneWholeThroughATemporaryFile() throws {
        let db = try filledDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pln-backup-\(UUID())")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = folder + "/copy.sqlite"
        try Data("an earlier, damaged backup".utf8).write(to: URL(fileURLWithPath: target))
        try db.backup(to: target)
        #expect(try filesIn(folder) == ["copy.sqlite"], "no temporary file is left")
        let copy = try Database(path: target)
        #expect(try copy.read { try $0.scalar("SELECT count(*) FROM t", as: Int.self) } == 2000)
        #expect(try copy.integrityCheck() == [])

        // A symlinked destination is followed: the file it points to gets the copy.
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/latest", withDestinationPath: "dated.sqlite")
        try db.backup(to: folder + "/latest")
        #expect(try Database.integrityCheck(path: folder + "/dated.sqlite") == [])
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/latest") == "dated.sqlite")
    }

    @Test func aFolderOrAMissingFolderIsRefusedAndNothingIsWritten() throws {
        let db = try filledDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pln-backup-\(UUID())")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let intoFolder = #expect(throws: StorageError.self) { try db.backup(to: folder) }
        #expect(intoFolder?.summary.contains("it is a folder") == true)
        let missing = #expect(throws: StorageError.self) { try db.backup(to: folder + "/nope/copy.sqlite") }
        #expect(missing?.summary.contains("does not exist") == true)
        #expect(try filesIn(folder).isEmpty)
    }

    @Test func quickCheckFindsADamagedBTree() throws {
        let path: String
        let root: Int
        let pageSize: Int
        do {
            let db = try filledDatabase()
            path = db.path
            root =
                try db.read {
                    try $0.scalar("SELECT rootpage FROM sqlite_schema WHERE name = 't'", as: Int.self)
                } ?? 0
            pageSize = try db.read { try $0.scalar("PRAGMA page_size", as: Int.self) } ?? 0
            #expect(try db.quickCheck() == [])
            try db.withWriter { try $0.executeScript("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        try damagePage(root, pageSize: pageSize, of: path)
        let reopened = try Database(path: path)
        #expect(try !reopened.quickCheck().isEmpty)
    }
}

/// Overwrites the header of page `page` (1-based) with bytes that are no valid b-tree page.
func damagePage(_ page: Int, pageSize: Int, of path: String) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    try handle.seek(toOffset: UInt64((page - 1) * pageSize))
    try handle.write(contentsOf: Data(repeating: 0x2A, count: 16))
    try handle.close()
}

/// `to` written relative to the folder `from` (both absolute), with ".." steps.
func relativePath(from: String, to: String) -> String {
    let base = URL(fileURLWithPath: from).standardizedFileURL.pathComponents
    let target = URL(fileURLWithPath: to).standardizedFileURL.pathComponents
    var common = 0
    while common < min(base.count, target.count), base[common] == target[common] { common += 1 }
    return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
}
