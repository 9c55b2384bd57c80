import Foundation
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
        #expect(modules.compactMap { $0["id"]?.stringValue } == ["membership", "groups", "cpd", "blog", "moderation"])
        #expect(modules[3]["dependencies"] == ["membership"])
    }

    @Test func helpAtEveryLevelExitsZero() {
        for arguments in [["--help"], ["admin", "--help"], ["admin", "outbox", "--help"], ["admin", "backup", "--help"]] {
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
        let unknownOption = Console.capturing()
        #expect(app().run(["admin", "modules", "list", "--jsno"], console: unknownOption) == 2)
        #expect(unknownOption.capturedErrors.contains("did you mean --json?"))
    }

    @Test func backupWritesACopyThatPassesIntegrityCheck() throws {
        let folder = temporaryFolder()
        let console = Console.capturing()
        #expect(app(folder: folder).run(["admin", "backup", folder + "/copy.sqlite"], console: console) == 0)
        #expect(try Database.integrityCheck(path: folder + "/copy.sqlite") == [])
        #expect(console.capturedOutput.contains("integrity ok"))
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
        #expect(app(folder: folder).run(["admin", "modules", "purge", "blog", "--yes"], console: console) == 1)
        #expect(console.capturedErrors.contains("is enabled"))
        let withoutBlog = app(folder: folder, enabled: ["membership", "groups", "cpd", "moderation"])
        let services = try withoutBlog.kernel().services
        try services.database.write { db in
            try services.activity.record(
                NewActivity(module: "blog", actorID: 1, actorName: "A", actorHandle: "a", verb: "published", scope: .public),
                at: services.clock.now, in: db)
        }
        func blogRows() throws -> Int? {
            try services.database.read { try $0.scalar("SELECT count(*) FROM activities WHERE module = 'blog'", as: Int.self) }
        }
        let declined = Console.capturing(answers: ["no"])
        #expect(withoutBlog.run(["admin", "modules", "purge", "blog"], console: declined) == 1)
        #expect(try blogRows() == 1)
        let accepted = Console.capturing(answers: ["yes"])
        #expect(withoutBlog.run(["admin", "modules", "purge", "blog"], console: accepted) == 0, "\(accepted.capturedErrors)")
        #expect(try blogRows() == 0)
    }

    @Test func outboxListShowsKeptMessages() throws {
        let folder = temporaryFolder()
        let app = app(folder: folder)
        let services = try app.kernel().services
        try services.database.write { try services.outbox.enqueue(Mail(to: "x@example.org", subject: "Welcome", body: "Hi"), in: $0) }
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
                try db.query("SELECT name FROM members ORDER BY id LIMIT 20") { try $0.value("name") as String }
            }
            let activities = try app.kernel().services.database.read { try $0.scalar("SELECT count(*) FROM activities", as: Int.self) }
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
        #expect(CommandLineApp(registry: fullRegistry, loadConfig: { _ in testConfig() }).run(["admin", "seed", "--scale", "huge"], console: bad) == 2)
    }
}
