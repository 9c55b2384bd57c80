import Blog
import Foundation
import PLNTestSupport
import Storage
import Testing

@testable import Kernel

@Suite struct ConsoleTests {
    func app(folder: String = temporaryFolder(), enabled: [String]? = nil) -> CommandLineApp {
        let config = testConfig(enabling: enabled, folder: folder)
        return CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
    }

    @Test func modulesListJSONNamesTheFiveModulesWithDependencies() throws {
        let console = Console.capturing()
        #expect(app().run(["admin", "modules", "list", "--json"], console: console) == 0)
        let value = try JSONValue.parse(console.capturedOutput)
        let modules = try #require(value.arrayValue)
        #expect(
            modules.compactMap { $0["id"]?.stringValue } == [
                "membership", "groups", "cpd", "blog", "moderation", "messages",
            ])
        #expect(modules[3]["dependencies"] == ["membership"])
    }

    @Test func helpAtEveryLevelExitsZero() {
        for arguments in [
            ["--help"], ["admin", "--help"], ["admin", "outbox", "--help"], ["admin", "backup", "--help"],
        ] {
            let console = Console.capturing()
            #expect(app().run(arguments, console: console) == 0, "\(arguments)")
            #expect(console.capturedOutput.contains("usage: pln"))
        }
    }

    @Test func usageErrorsExitTwoWithAHintOnStandardError() {
        let console = Console.capturing()
        #expect(app().run(["admin", "modules", "lst"], console: console) == 2)
        #expect(console.capturedErrors.contains("did you mean \"list\""))
        #expect(console.capturedOutput.isEmpty)
        let missing = Console.capturing()
        #expect(app().run(["admin", "backup"], console: missing) == 2)
        #expect(missing.capturedErrors.contains("missing <file>"))
        let empty = Console.capturing()
        #expect(app().run(["admin", "backup", ""], console: empty) == 2)
        #expect(empty.capturedErrors.contains("<file> is empty"))
        let unknownOption = Console.capturing()
        #expect(app().run(["admin", "modules", "list", "--jsno"], console: unknownOption) == 2)
        #expect(unknownOption.capturedErrors.contains("did you mean --json?"))
    }

    @Test(.notOnPostgres("pln admin backup copies the SQLite file; PostgreSQL is backed up with pg_dump and WAL archiving (pln admin backup refuses there)")) func backupWritesACopyThatPassesIntegrityCheck() throws {
        let folder = temporaryFolder()
        let console = Console.capturing()
        #expect(app(folder: folder).run(["admin", "backup", folder + "/copy.sqlite"], console: console) == 0)
        #expect(try Database.integrityCheck(path: folder + "/copy.sqlite") == [])
        #expect(console.capturedOutput.contains("integrity ok"))
    }

    @Test(.notOnPostgres("pln admin backup copies the SQLite file; PostgreSQL is backed up with pg_dump and WAL archiving")) func backupRefusesTheLiveDatabaseAndItsFilesByAnyNameAndLeavesThemSound() throws {
        let folder = temporaryFolder()
        let app = app(folder: folder)
        #expect(app.run(["admin", "migrate"], console: .capturing()) == 0)
        let services = try app.kernel().services
        try services.database.write {
            try services.outbox.enqueue(Mail(to: "x@example.org", subject: "Kept", body: "Hi"), in: $0)
        }
        let database = folder + "/pln.sqlite"
        let viaParent = folder + "/../" + (folder as NSString).lastPathComponent + "/pln.sqlite"
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/link", withDestinationPath: database + "-wal")
        for target in [
            database, database + "-wal", database + "-shm", database + "-journal", viaParent,
            folder + "/link",
        ] {
            let console = Console.capturing()
            #expect(app.run(["admin", "backup", target], console: console) == 1, "\(target)")
            #expect(
                console.capturedErrors.contains("refusing to back up onto \(target)"),
                "\(console.capturedErrors)")
            #expect(console.capturedErrors.contains("hint: name a new file"))
            #expect(console.capturedOutput.isEmpty)
        }
        #expect(try services.database.integrityCheck() == [])
        #expect(try services.outbox.list(status: nil, limit: 10).map(\.subject) == ["Kept"])
        let check = Console.capturing()
        #expect(
            self.app(folder: folder).run(["admin", "check"], console: check) == 0, "\(check.capturedErrors)")
        #expect(check.capturedOutput.contains("integrity: ok"))
    }

    @Test func checkReportsPendingMigrationsWithExitOne() throws {
        let folder = temporaryFolder()
        let console = Console.capturing()
        #expect(app(folder: folder).run(["admin", "check"], console: console) == 1)
        #expect(console.capturedOutput.contains("kernel/002_activities"))
        #expect(app(folder: folder).run(["admin", "migrate"], console: .capturing()) == 0)
        #expect(app(folder: folder).run(["admin", "check", "--json"], console: .capturing()) == 0)
    }

    @Test func purgeRefusesAnEnabledModuleAndAsksBeforeDeleting() throws {
        let folder = temporaryFolder()
        let console = Console.capturing()
        #expect(
            app(folder: folder).run(["admin", "modules", "purge", "blog", "--yes"], console: console) == 1)
        #expect(console.capturedErrors.contains("is enabled"))
        let withoutBlog = app(folder: folder, enabled: ["membership", "groups", "cpd", "moderation"])
        let services = try withoutBlog.kernel().services
        try services.database.write { db in
            try services.activity.record(
                NewActivity(
                    module: "blog", actorID: 1, actorName: "A", actorHandle: "a", verb: "published",
                    scope: .public),
                at: services.clock.now, in: db)
        }
        func blogRows() throws -> Int? {
            try services.database.read {
                try $0.scalar("SELECT count(*) FROM activities WHERE module = 'blog'", as: Int.self)
            }
        }
        let declined = Console.capturing(answers: ["no"])
        #expect(withoutBlog.run(["admin", "modules", "purge", "blog"], console: declined) == 1)
        #expect(try blogRows() == 1)
        let accepted = Console.capturing(answers: ["yes"])
        #expect(
            withoutBlog.run(["admin", "modules", "purge", "blog"], console: accepted) == 0,
            "\(accepted.capturedErrors)")
        #expect(try blogRows() == 0)
    }

    @Test func outboxListShowsKeptMessages() throws {
        let folder = temporaryFolder()
        let app = app(folder: folder)
        let services = try app.kernel().services
        try services.database.write {
            try services.outbox.enqueue(Mail(to: "x@example.org", subject: "Welcome", body: "Hi"), in: $0)
        }
        let console = Console.capturing()
        #expect(app.run(["admin", "outbox", "list"], console: console) == 0)
        #expect(console.capturedOutput.contains("Welcome"))
        let deliver = Console.capturing()
        #expect(app.run(["admin", "outbox", "deliver"], console: deliver) == 1)
        #expect(deliver.capturedErrors.contains("no sendmail command"))
    }
}

@Suite struct SeedTests {
    @Test func seedingIsDeterministicAndFillsTheStreamToScale() throws {
        func seeded(_ seed: String) throws -> (Int32, [String]) {
            let folder = temporaryFolder()
            let config = testConfig(enabling: ["membership"], folder: folder)
            let app = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
            let console = Console.capturing()
            let code = app.run(["admin", "seed", "--scale", "small", "--seed", seed], console: console)
            let names = try app.kernel().services.database.read { db in
                try db.query("SELECT name FROM membership_members ORDER BY id LIMIT 20") {
                    try $0.value("name") as String
                }
            }
            let activities = try app.kernel().services.database.read {
                try $0.scalar("SELECT count(*) FROM activities", as: Int.self)
            }
            #expect(activities == SeedScale.small.activities)
            let again = Console.capturing()
            #expect(app.run(["admin", "seed", "--scale", "small"], console: again) == 1)  // not on a filled database
            return (code, names)
        }
        let first = try seeded("7")
        let second = try seeded("7")
        let other = try seeded("8")
        #expect(first.0 == 0)
        #expect(first.1 == second.1)
        #expect(first.1 != other.1)
        let bad = Console.capturing()
        #expect(
            CommandLineApp(registry: fullRegistry, loadConfig: { _ in testConfig() }).run(
                ["admin", "seed", "--scale", "huge"], console: bad) == 2)
    }
}

/// `pln serve` and every `pln admin` command name the database file, the cause and what to do
/// when storage fails, on standard error with exit code 1 — never "see what is wrong with the
/// configuration". The tests run as root, where chmod stops nothing, so each broken storage is
/// one that holds for root too: a file that is not a database, a file where the data folder
/// should be, a folder where the database file should be, an exclusive lock held by another
/// connection. (A read-only folder is tested in StorageTests, where it can be made with chattr;
/// the console prints every cause the same way, through `Console.explain`.)
@Suite(.notOnPostgres("damaged, locked or misplaced SQLite files: PostgreSQL has no database file to break"))
struct StorageFailureConsoleTests {
    enum Breakage: String, CaseIterable {
        case notADatabase, fileWhereTheFolderShouldBe, folderWhereTheFileShouldBe
    }

    /// A config whose database is broken in the given way, and what the error must say.
    func broken(_ breakage: Breakage) throws -> (config: DeploymentConfig, expected: [String]) {
        let folder = temporaryFolder()
        var config = testConfig(folder: folder)
        switch breakage {
        case .notADatabase:
            try Data(String(repeating: "plain text ", count: 200).utf8).write(
                to: URL(fileURLWithPath: folder + "/pln.sqlite"))
            return (
                config, ["\(folder)/pln.sqlite is not an SQLite database", "hint: check storage(path = …)"]
            )
        case .fileWhereTheFolderShouldBe:
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/data"))
            config.sections["storage"]?["path"] = .string(folder + "/data/pln.sqlite")
            return (
                config, ["\(folder)/data is a file, not a folder", "hint: create the folder \(folder)/data"]
            )
        case .folderWhereTheFileShouldBe:
            try FileManager.default.createDirectory(
                atPath: folder + "/pln.sqlite", withIntermediateDirectories: true)
            return (
                config,
                ["\(folder)/pln.sqlite is a folder, not a database file", "hint: set storage(path = …)"]
            )
        }
    }

    static let commands: [[String]] = [
        ["admin", "check"], ["admin", "migrate"], ["admin", "backup", "/tmp/pln-never-written.sqlite"],
        ["admin", "outbox", "list"], ["admin", "jobs", "list"], ["admin", "members", "list"],
        ["admin", "blog", "posts", "list"],
    ]

    @Test(arguments: Breakage.allCases)
    func everyCommandAndServeNameTheFileAndTheCause(_ breakage: Breakage) throws {
        let (config, expected) = try broken(breakage)
        for command in Self.commands {
            let app = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
            let console = Console.capturing()
            #expect(app.run(command, console: console) == 1, "\(command)")
            for text in expected {
                #expect(console.capturedErrors.contains(text), "\(command): \(console.capturedErrors)")
            }
            #expect(
                !console.capturedErrors.contains("configuration"), "\(command): \(console.capturedErrors)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pln-never-written.sqlite"))
        // `pln serve` boots through bootForServing and prints Console.explain's account.
        let app = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
        let error = #expect(throws: (any Error).self) { try app.bootForServing(log: .silent) }
        let explained = Console.explain(try #require(error))
        #expect(explained.exitCode == 1)
        for text in expected {
            #expect((explained.message + "\nhint: " + (explained.hint ?? "")).contains(text), "\(explained)")
        }
    }

    @Test func aLockedDatabaseIsNamedAsLockedByAnotherProcess() throws {
        let folder = temporaryFolder()
        let config = testConfig(folder: folder)
        let path = folder + "/pln.sqlite"
        _ = try Database(path: path)
        // Another connection holds an exclusive lock (as `sqlite3` with a transaction open would).
        let holder = try Database(path: path, configuration: .init(readers: 1, checkpointPages: 0))
        try holder.withWriter {
            try $0.executeScript("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE held (x);")
        }
        defer { try? holder.withWriter { try $0.executeScript("ROLLBACK") } }
        for command in [["admin", "check"], ["admin", "members", "list"]] {
            let app = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
            let console = Console.capturing()
            #expect(app.run(command, console: console) == 1)
            #expect(
                console.capturedErrors.contains("\(path) is locked by another process"),
                "\(console.capturedErrors)")
            #expect(console.capturedErrors.contains("hint: wait for that process to finish"))
        }
    }

    @Test func serveRefusesADatabaseThatFailsItsQuickCheck() throws {
        let folder = temporaryFolder()
        let config = testConfig(folder: folder)
        let path = folder + "/pln.sqlite"
        let healthy = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
        #expect(try healthy.bootForServing(log: .silent).enabledModuleIDs.count == allModules.count)
        let (root, pageSize): (Int, Int) = try {
            let database = try Database(path: path)
            try database.withWriter { try $0.executeScript("PRAGMA wal_checkpoint(TRUNCATE)") }
            return try database.read { db in
                (
                    try db.scalar(
                        "SELECT rootpage FROM sqlite_schema WHERE name = 'activities'", as: Int.self) ?? 0,
                    try db.scalar("PRAGMA page_size", as: Int.self) ?? 0
                )
            }
        }()
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0x2A, count: 16))
        try handle.close()
        let app = CommandLineApp(registry: fullRegistry, clock: FixedClock(), loadConfig: { _ in config })
        let error = #expect(throws: ConsoleError.self) { try app.bootForServing(log: .silent) }
        #expect(
            "\(error.map { "\($0)" } ?? "")".contains(
                "the database \(path) is damaged, so the server was not started"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("restore the latest backup"))
    }
}

extension ConsoleTests {
    /// `pln admin migrate` re-enabling a purged module starts its ids above those it handed out
    /// before, as booting does: old moderation records and links can never name a new item.
    @Test(.notOnPostgres("reads SQLite's sqlite_sequence; on PostgreSQL ids come from sequences, which never go back")) func migrateAfterAPurgeKeepsTheModulesIdsAboveThoseItHandedOut() throws {
        let folder = temporaryFolder()
        let path = "\(folder)/pln.sqlite"
        do {
            let services = try app(folder: folder).kernel().services
            let blog = try #require(services.service(BlogService.self))
            let ann = try services.member("Ann").signedIn
            for n in 1...7 { _ = try blog.createPost(.init(title: "Post \(n)", body: "Text"), by: ann) }
        }
        let withoutBlog = app(folder: folder, enabled: ["membership", "groups", "cpd", "moderation"])
        #expect(withoutBlog.run(["admin", "modules", "purge", "blog", "--yes"], console: .capturing()) == 0)
        let migrate = Console.capturing()
        #expect(
            app(folder: folder).run(["admin", "migrate"], console: migrate) == 0, "\(migrate.capturedErrors)")
        let database = try Database(path: path)
        let sequence = try database.read {
            try $0.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'blog_posts'", as: Int64.self)
        }
        #expect((sequence ?? 0) >= 7)
    }
}
