import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Backups and checks: copying the live database safely, and refusing any destination that
/// would overwrite it.
extension Database {
    /// The files SQLite keeps for a database: the file itself and its write-ahead log, shared
    /// memory index and rollback journal.
    public static let companionSuffixes = ["", "-wal", "-shm", "-journal"]

    /// Copies the database to `destination` with SQLite's online backup API in one step, so the
    /// copy is one consistent snapshot even while the server writes.
    ///
    /// The destination is refused when it is, or resolves to (through symlinks, `..` or a hard
    /// link), the database or one of its `-wal`, `-shm` or `-journal` files: replacing those
    /// under a running server destroys acknowledged writes. The copy is written to a new
    /// temporary file in the destination's folder, checked with `PRAGMA integrity_check`,
    /// synced, and renamed over the destination (then the folder is synced), so a failed or
    /// interrupted backup never leaves a half-written file or damages an earlier backup.
    /// A destination that is a symlink is followed: the file it points to is replaced.
    public func backup(to destination: String) throws {
        if dialect == .postgres {
            throw StorageError(
                kind: .refused, message: "\(path) is PostgreSQL: back it up with pg_dump or WAL archiving",
                hint: "see docs/deploy.md, or copy it into SQLite with `pln admin database copy --to FILE`")
        }
        let target = try Self.checkBackupDestination(destination, database: path)
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = folder + "/." + name + "." + UUID().uuidString.prefix(8).lowercased() + ".partial"
        var renamed = false
        defer {
            if !renamed {
                for suffix in Self.companionSuffixes { unlink(temporary + suffix) }
            }
        }
        try copy(into: temporary, reportingAs: destination)
        try Self.sync(path: temporary, directory: false)
        guard rename(temporary, target) == 0 else {
            let code = errno
            throw StorageError(
                kind: .fileSystem, message: "cannot move the backup into place at \(destination)",
                path: destination, systemErrno: code,
                hint: "check that the folder \(folder) is writable and \(destination) is not a folder")
        }
        renamed = true
        try Self.sync(path: folder, directory: true)
    }

    /// Writes a consistent copy into the new file `temporary`, then checks it. The target
    /// connection is closed when this returns, so the file is complete on disk.
    private func copy(into temporary: String, reportingAs destination: String) throws {
        let target = try Connection(path: temporary, readOnly: false, busyTimeoutMilliseconds: 5000)
        try withReader { source in
            guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
                throw target.error(SQLITE_ERROR, sql: nil)
            }
            let stepCode = sqlite3_backup_step(backup, -1)
            let finishCode = sqlite3_backup_finish(backup)
            guard stepCode == SQLITE_DONE, finishCode == SQLITE_OK else {
                var error = target.error(stepCode == SQLITE_DONE ? finishCode : stepCode, sql: nil)
                error.message = "backup to \(destination) failed: \(error.message)"
                throw error
            }
        }
        let problems = try target.query("PRAGMA integrity_check") { String.decode($0.value(at: 0)) ?? "?" }
            .filter { $0 != "ok" }
        guard problems.isEmpty else {
            throw StorageError(
                kind: .refused,
                message: "the copy fails its integrity check, so \(destination) was left as it was: "
                    + problems.prefix(5).joined(separator: "; "),
                path: destination, hint: "run `pln admin check` on the live database")
        }
    }

    /// Resolves `destination` and refuses it when it is the database at `database` or one of
    /// its companion files, or a folder, or in a folder that does not exist. Returns the
    /// resolved path to write.
    @discardableResult
    public static func checkBackupDestination(_ destination: String, database: String) throws -> String {
        func refuse(_ message: String, _ hint: String) -> StorageError {
            StorageError(kind: .refused, message: message, path: destination, hint: hint)
        }
        guard !destination.isEmpty else {
            throw refuse(
                "the backup destination is empty", "name a new file, e.g. backups/pln-\(today).sqlite")
        }
        guard let target = resolvedPath(destination) else {
            let folder = (destination as NSString).deletingLastPathComponent
            throw refuse(
                "cannot back up to \(destination): the folder \(folder.isEmpty ? "." : folder) does not exist",
                "create the folder first, or name a file in an existing folder")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
            throw refuse(
                "cannot back up to \(destination): it is a folder",
                "name a file in it, e.g. \((destination as NSString).appendingPathComponent("pln-\(today).sqlite"))"
            )
        }
        let targetIdentity = fileIdentity(target)
        for suffix in companionSuffixes {
            var protected = [database + suffix]
            if let real = resolvedPath(database) { protected.append(real + suffix) }
            for file in protected {
                let sameName = resolvedPath(file) == target
                let sameFile = targetIdentity != nil && fileIdentity(file) == targetIdentity
                if sameName || sameFile {
                    let what = suffix.isEmpty ? "the live database" : "the live database's \(suffix) file"
                    let how = sameName ? "" : " (by a hard link)"
                    throw refuse(
                        "refusing to back up onto \(destination): it is \(what) \(database + suffix)\(how);"
                            + " writing there would destroy the data",
                        "name a new file outside the database's files, e.g. backups/pln-\(today).sqlite")
                }
            }
        }
        return target
    }

    /// `path` made absolute with every symlink and `.`/`..` resolved. A file that does not
    /// exist (yet) resolves through its folder; a dangling symlink through its target. Nil when
    /// the folder does not exist.
    static func resolvedPath(_ path: String, depth: Int = 0) -> String? {
        guard depth < 40, !path.isEmpty else { return nil }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realpath(absolute, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let name = (absolute as NSString).lastPathComponent
        guard name != ".", name != "..", !name.isEmpty else { return nil }
        guard let folderPointer = realpath((absolute as NSString).deletingLastPathComponent, nil) else {
            return nil
        }
        let folder = String(cString: folderPointer)
        free(folderPointer)
        let candidate = (folder == "/" ? "" : folder) + "/" + name
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
            return resolvedPath(link.hasPrefix("/") ? link : folder + "/" + link, depth: depth + 1)
        }
        return candidate
    }

    /// Device and inode of an existing file (following symlinks), which identify it whatever
    /// name reaches it.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// fsync on a file or a folder, so a completed backup (and its name) survive a power loss.
    static func sync(path: String, directory: Bool) throws {
        let descriptor = open(path, directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let code = errno
            if descriptor >= 0 { close(descriptor) }
            throw StorageError(
                kind: .fileSystem, message: "cannot sync \(path) to disk", path: path, systemErrno: code,
                hint: "check the disk and the system log (dmesg)")
        }
        close(descriptor)
    }

    private static var today: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }

    /// Runs `PRAGMA quick_check` (the b-trees' structure, without comparing indexes to their
    /// tables): an empty array means the database is sound. Much faster than
    /// ``integrityCheck()``, for a check at every start.
    public func quickCheck() throws -> [String] {
        if dialect == .postgres { return [] }  // the server checks its own pages
        let lines = try read { db in
            try db.query("PRAGMA quick_check") { String.decode($0.value(at: 0)) ?? "?" }
        }
        return lines.filter { $0 != "ok" }
    }
}
