import CSQLite
import Foundation
import Testing

@testable import Storage

/// A storage failure an operator can act on names the file, the cause and what to do. The
/// tests run as root in CI containers, where `chmod` does not stop writes: each case below
/// makes its failure in a way that holds for root too, and says which.
@Suite struct StorageErrorTests {
    func newFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pln-errors-\(UUID())")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func openingFails(_ path: String, busyTimeout: Int32 = 5000) -> StorageError? {
        #expect(throws: StorageError.self) {
            _ = try Database(
                path: path, configuration: .init(readers: 1, busyTimeoutMilliseconds: busyTimeout))
        }
    }

    /// A file that is not a database (root or not).
    @Test func aFileThatIsNotADatabase() throws {
        let path = try newFolder() + "/pln.sqlite"
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(openingFails(path))
        #expect(error.cause == .notADatabase)
        #expect(
            error.summary.contains(path) && error.summary.contains("is not an SQLite database"),
            "\(error.summary)")
        #expect(error.remedy?.contains("storage(path = …)") == true)
    }

    /// A folder where the database file should be (root or not).
    @Test func aFolderWhereTheFileShouldBe() throws {
        let path = try newFolder() + "/pln.sqlite"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = try #require(openingFails(path))
        #expect(error.cause == .isAFolder)
        #expect(error.summary.contains("\(path) is a folder"), "\(error.summary)")
    }

    /// A file where the database's folder should be: the folder cannot be created (root or not).
    @Test func aFileWhereTheFolderShouldBe() throws {
        let folder = try newFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/data"))
        let error = try #require(openingFails(folder + "/data/pln.sqlite"))
        #expect(error.cause == .notAFolder)
        #expect(error.summary.contains("\(folder)/data is a file, not a folder"), "\(error.summary)")
        #expect(error.remedy?.contains("create the folder") == true)
    }

    /// Another connection holds an exclusive lock (works for root: locks are not permissions).
    @Test func aDatabaseLockedByAnotherConnection() throws {
        let path = try newFolder() + "/pln.sqlite"
        _ = try Database(path: path)
        let holder = try Connection(path: path, readOnly: false, busyTimeoutMilliseconds: 100)
        try holder.executeScript("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE held (x);")
        let error = try #require(openingFails(path, busyTimeout: 100))
        #expect(error.cause == .locked)
        #expect(error.summary.contains("\(path) is locked by another process"), "\(error.summary)")
        #expect(error.remedy?.contains("wait for that process") == true)
        try holder.executeScript("ROLLBACK")
    }

    /// A database SQLite opened read-only (a `mode=ro` URI: read-only for root too) refuses a
    /// write with SQLITE_READONLY.
    @Test func aWriteToADatabaseOpenedReadOnly() throws {
        let path = try newFolder() + "/pln.sqlite"
        _ = try Database(path: path)
        let connection = try Connection(
            path: "file:\(path)?mode=ro", readOnly: false, busyTimeoutMilliseconds: 100)
        let error = #expect(throws: StorageError.self) { try connection.executeScript("CREATE TABLE t (x)") }
        #expect(error?.cause == .readOnly)
        #expect(error?.summary.contains("\(path) cannot be written") == true, "\(error?.summary ?? "")")
    }

    /// The disk is full: the database may not grow past `max_page_count`, which SQLite reports
    /// as SQLITE_FULL exactly as for a full disk.
    @Test func aFullDatabase() throws {
        let db = try makeDatabase()
        let error = #expect(throws: StorageError.self) {
            try db.withWriter { db in
                try db.executeScript("CREATE TABLE t (pad TEXT)")
                let pages = try db.scalar("PRAGMA page_count", as: Int.self) ?? 0
                try db.executeScript("PRAGMA max_page_count = \(pages + 2)")
                for _ in 0..<100 {
                    try db.execute("INSERT INTO t VALUES (?)", [String(repeating: "x", count: 4000)])
                }
            }
        }
        #expect(error?.cause == .diskFull)
        #expect(
            error?.summary.contains("the disk holding \(db.path) is full") == true, "\(error?.summary ?? "")")
    }

    /// A read-only data folder. chmod stops writes only for other users than root; as root the
    /// immutable attribute (chattr +i, needs CAP_LINUX_IMMUTABLE) does. Where neither can make a
    /// folder read-only, this test is disabled with that reason (the causes' mapping is still
    /// covered by `errorNumbersMapToCauses`).
    @Test(
        .enabled(if: ReadOnlyFolder.isPossible, "cannot make a folder read-only here (root without chattr)"))
    func aReadOnlyDataFolder() throws {
        let folder = try newFolder()
        let protection = try #require(ReadOnlyFolder(folder))
        defer { protection.undo() }
        let error = try #require(openingFails(folder + "/pln.sqlite"))
        #expect(error.cause == .readOnly)
        #expect(error.summary.contains("its folder \(folder) is read-only"), "\(error.summary)")
        #expect(error.remedy?.contains("writable") == true)
    }

    @Test func errorNumbersMapToCauses() {
        func cause(_ code: Int32, errno: Int32 = 0) -> StorageError.Cause {
            StorageError(kind: .sqlite, resultCode: code, message: "", path: "/x/db", systemErrno: errno)
                .cause
        }
        #expect(cause(SQLITE_CANTOPEN, errno: EROFS) == .readOnly)
        #expect(cause(SQLITE_CANTOPEN, errno: EACCES) == .permissionDenied)
        #expect(cause(SQLITE_CANTOPEN, errno: ENOENT) == .missingFolder)
        #expect(cause(SQLITE_CANTOPEN) == .cannotOpen)
        #expect(cause(SQLITE_IOERR | (4 << 8), errno: ENOSPC) == .diskFull)  // SQLITE_IOERR_WRITE
        #expect(cause(SQLITE_IOERR) == .ioError)
        #expect(cause(SQLITE_READONLY | (6 << 8)) == .readOnly)  // SQLITE_READONLY_DIRECTORY
        #expect(cause(SQLITE_BUSY) == .locked)
        #expect(cause(SQLITE_NOTADB) == .notADatabase)
        #expect(cause(SQLITE_CORRUPT) == .corrupt)
        #expect(cause(SQLITE_FULL) == .diskFull)
        #expect(cause(SQLITE_CONSTRAINT | (8 << 8)) == .other)
        let constraint = StorageError(
            kind: .sqlite, resultCode: 2067, message: "UNIQUE failed", path: "/x/db")
        #expect(constraint.remedy == nil)
        #expect(constraint.summary == constraint.description)
        #expect(!constraint.description.contains("/x/db"), "SQL errors read as before, without the file")
    }
}

/// Makes a folder read-only for the current user: chmod 0555 when not root, chattr +i as root.
struct ReadOnlyFolder {
    let folder: String
    let usedChattr: Bool

    init?(_ folder: String) {
        self.folder = folder
        if getuid() != 0 {
            chmod(folder, 0o555)
            usedChattr = false
        } else {
            guard Self.chattr("+i", folder) else { return nil }
            usedChattr = true
        }
        guard !Self.canCreateFile(in: folder) else {
            undo()
            return nil
        }
    }

    func undo() {
        if usedChattr { _ = Self.chattr("-i", folder) } else { chmod(folder, 0o755) }
    }

    static var isPossible: Bool {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pln-ro-probe-\(UUID())")
            .path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let protection = ReadOnlyFolder(folder) else { return false }
        protection.undo()
        return true
    }

    static func canCreateFile(in folder: String) -> Bool {
        let probe = folder + "/probe"
        let descriptor = open(probe, O_CREAT | O_WRONLY, 0o644)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        unlink(probe)
        return true
    }

    static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
