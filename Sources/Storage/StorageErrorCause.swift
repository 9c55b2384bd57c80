import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one place where SQLite's result codes and the system's error numbers become causes an
/// operator can act on. The console prints ``StorageError/summary`` and ``StorageError/remedy``.
///
/// ```swift
/// catch let error as StorageError where error.cause == .locked {
///     print(error.summary)  // "the database /srv/pln/data/pln.sqlite is locked by another process …"
///     print(error.remedy!)  // "wait for that process to finish, or stop it …"
/// }
/// ```
extension StorageError {
    public enum Cause: String, Sendable, Equatable {
        /// The file, its folder or the whole file system cannot be written.
        case readOnly
        /// The operating system refused access (owner and mode of the file or its folder).
        case permissionDenied
        /// Another process (or connection) holds a lock on the database.
        case locked
        /// The file exists but is not an SQLite database.
        case notADatabase
        /// SQLite found the database damaged.
        case corrupt
        /// No space left on the device (or the quota is used up).
        case diskFull
        /// A folder on the path does not exist.
        case missingFolder
        /// A folder on the path is a file, so the folder cannot exist or be created.
        case notAFolder
        /// The database path names a folder.
        case isAFolder
        /// Another I/O failure (disk, file system).
        case ioError
        /// SQLite could not open the file, for no reason it reported.
        case cannotOpen
        /// Anything else: SQL errors, constraint violations, misuse, migrations.
        case other
    }

    /// What went wrong, for an operator to act on; `.other` for programming and SQL errors.
    public var cause: Cause {
        if let accessProblem { return accessProblem.cause }
        switch kind {
        case .fileSystem: return Self.cause(errno: systemErrno) ?? .ioError
        case .sqlite: break
        case .migration, .decoding, .misuse, .refused, .postgres: return .other
        }
        switch primaryResultCode {
        case SQLITE_READONLY:
            return Self.cause(errno: systemErrno) == .permissionDenied ? .permissionDenied : .readOnly
        case SQLITE_BUSY, SQLITE_LOCKED: return .locked
        case SQLITE_NOTADB: return .notADatabase
        case SQLITE_CORRUPT: return .corrupt
        case SQLITE_FULL: return .diskFull
        case SQLITE_PERM, SQLITE_AUTH: return .permissionDenied
        case SQLITE_CANTOPEN: return Self.cause(errno: systemErrno) ?? .cannotOpen
        case SQLITE_IOERR: return Self.cause(errno: systemErrno) ?? .ioError
        default: return .other
        }
    }

    static func cause(errno code: Int32) -> Cause? {
        switch code {
        case EROFS: .readOnly
        case EACCES, EPERM: .permissionDenied
        case ENOSPC, EDQUOT: .diskFull
        case ENOENT: .missingFolder
        case ENOTDIR, EEXIST: .notAFolder
        case EISDIR: .isAFolder
        case EIO: .ioError
        default: nil
        }
    }

    /// SQLite's `errno` after a failed open is often not the reason: it retries read-only, so
    /// a folder it may not write reports ENOENT. When opening or writing `path` fails with
    /// CANTOPEN or READONLY, this asks the file system what is in the way: a missing folder, a
    /// file where the folder should be, a folder where the file should be, or a folder or file
    /// (or its -wal, -shm) that cannot be written, which is read-only when it has no write
    /// permission at all, is immutable or is on a read-only file system.
    static func diagnoseAccess(to path: String) -> AccessProblem? {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var info = stat()
        if stat(folder, &info) != 0 {
            let code = errno
            return AccessProblem(errno: code, item: folder, cause: cause(errno: code) ?? .missingFolder)
        }
        if info.st_mode & S_IFMT != S_IFDIR {
            return AccessProblem(errno: ENOTDIR, item: folder, cause: .notAFolder)
        }
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            return AccessProblem(errno: EISDIR, item: path, cause: .isAFolder)
        }
        for item in [folder] + ["", "-wal", "-shm", "-journal"].map({ path + $0 })
        where access(item, F_OK) == 0 && access(item, W_OK) != 0 {
            let code = errno
            var readOnly = code == EROFS || code == EPERM  // EPERM: the immutable attribute
            if stat(item, &info) == 0, info.st_mode & 0o222 == 0 { readOnly = true }
            return AccessProblem(errno: code, item: item, cause: readOnly ? .readOnly : .permissionDenied)
        }
        return nil
    }

    /// What ``diagnoseAccess(to:)`` found in the way.
    struct AccessProblem: Sendable, Equatable {
        var errno: Int32
        /// The folder or file concerned.
        var item: String
        var cause: Cause
    }

    /// This error with the file system's own account (see ``diagnoseAccess(to:)``) when it is
    /// about opening or writing a file.
    func diagnosed() -> StorageError {
        guard kind == .sqlite, let path,
            [SQLITE_CANTOPEN, SQLITE_READONLY].contains(primaryResultCode),
            let found = Self.diagnoseAccess(to: path)
        else { return self }
        var error = self
        error.systemErrno = found.errno
        error.accessProblem = found
        return error
    }

    private var fileName: String { path ?? "the database" }
    private var folderName: String {
        guard let path else { return "its folder" }
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "the current folder" : folder
    }

    /// One sentence naming the file and the cause, with SQLite's own words and the system's
    /// error in brackets, e.g. "the database data/pln.sqlite is not an SQLite database (SQLite:
    /// file is not a database)". Errors of cause `.other` read as ``description``.
    public var summary: String {
        let file = fileName
        let text: String
        switch cause {
        case .other: return description
        case .readOnly:
            let item = accessProblem.map { $0.item == folderName ? "its folder \($0.item)" : $0.item }
            text =
                systemErrno == EROFS
                ? "\(file) cannot be written: the file system holding \(folderName) is mounted read-only"
                : "\(file) cannot be written: \(item ?? "the file or its folder \(folderName)") is read-only (SQLite must write the file and create its -wal and -shm files beside it)"
        case .permissionDenied:
            let item = accessProblem.map { $0.item == folderName ? "its folder \($0.item)" : $0.item }
            text =
                "permission denied: the user running pln may not write \(item ?? "\(file) or its folder \(folderName)") (SQLite must write the file and create its -wal and -shm files beside it)"
        case .locked:
            text =
                "\(file) is locked by another process (another pln command, the sqlite3 shell or a backup tool holding a transaction open)"
        case .notADatabase: text = "\(file) is not an SQLite database (or it is encrypted)"
        case .corrupt: text = "\(file) is damaged: SQLite found corruption in it"
        case .diskFull: text = "the disk holding \(file) is full"
        case .missingFolder: text = "the folder \(folderName) does not exist and could not be created"
        case .notAFolder:
            text = "the folder \(folderName) cannot exist: part of that path is a file, not a folder"
        case .isAFolder: text = "\(file) is a folder, not a database file"
        case .ioError: text = "an input/output error on \(file)"
        case .cannotOpen: text = "\(file) cannot be opened"
        }
        var details: [String] = []
        if kind == .sqlite {
            details.append(
                "SQLite: " + (message.isEmpty ? String(cString: sqlite3_errstr(resultCode)) : message))
        } else if kind == .fileSystem, !message.isEmpty {
            details.append(message)
        }
        if systemErrno != 0 {
            details.append("system error \(systemErrno): \(String(cString: strerror(systemErrno)))")
        }
        return details.isEmpty ? text : text + " (" + details.joined(separator: "; ") + ")"
    }

    /// What to do about it; nil for errors of cause `.other`.
    public var remedy: String? {
        if let hint { return hint }
        let file = fileName
        switch cause {
        case .other: return nil
        case .readOnly:
            return systemErrno == EROFS
                ? "remount that file system read-write, or set storage(path = …) in the config script to a writable place"
                : "make \(accessProblem?.item ?? "\(folderName) and \(file)") writable by the user that runs pln (chmod u+w\(systemErrno == EPERM ? "; it may be immutable: lsattr, chattr -i" : "")), or set storage(path = …) in the config script to a writable place"
        case .permissionDenied:
            return
                "give the user that runs pln write access to \(folderName) and the files in it (e.g. chown -R that-user \(folderName)), or set storage(path = …) to a folder it owns"
        case .locked:
            return
                "wait for that process to finish, or stop it (`fuser \(file)` lists the processes that have it open), then try again"
        case .notADatabase:
            return
                "check storage(path = …) in the config script: it must name a PLN database, or a file that does not exist yet (PLN creates it); restore the file from a backup if it was overwritten"
        case .corrupt:
            return
                "stop the server, run `pln admin check` for the full report, and restore the latest backup (made with `pln admin backup`)"
        case .diskFull: return "free space on that disk, or move the database to a bigger one, then try again"
        case .missingFolder, .notAFolder:
            return
                "create the folder \(folderName), or set storage(path = …) in the config script to a path whose folders exist"
        case .isAFolder:
            return "set storage(path = …) in the config script to a file inside it, e.g. \(file)/pln.sqlite"
        case .ioError: return "check the disk and the system log (dmesg) for hardware or file-system errors"
        case .cannotOpen:
            return
                "check storage(path = …) in the config script, and that the user running pln may read and write there"
        }
    }
}
