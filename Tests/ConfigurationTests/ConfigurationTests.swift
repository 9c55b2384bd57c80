import Blog
import CPD
import Foundation
import Groups
import Kernel
import Membership
import Messages
import Moderation
import Testing

@testable import Configuration

let registry = ModuleRegistry([
    MembershipModule.self, GroupsModule.self, CPDModule.self, BlogModule.self, ModerationModule.self,
    MessagesModule.self,
])

func load(_ source: String, environment: [String: String] = [:]) throws(ConfigError) -> DeploymentConfig {
    try ConfigLoader.load(source: source, filename: "pln.star", registry: registry, environment: environment)
}

func errors(_ source: String) -> String {
    do {
        _ = try load(source)
        return ""
    } catch {
        return error.description
    }
}

/// The folder holding config/ in this repository.
func repositoryRoot() -> String {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("config/pln.star").path) {
            return url.path
        }
    }
    return "."
}

@Suite struct ConfigLoaderTests {
    @Test func theEmbeddedDefaultAndEveryExampleAreValid() throws {
        let root = repositoryRoot()
        let config = try ConfigLoader.load(
            path: root + "/config/pln.star", registry: registry, environment: [:])
        #expect(config.enabledModules == ["membership", "groups", "cpd", "blog", "moderation", "messages"])
        #expect(config.string("storage", "path") == "data/pln.sqlite")
        let examples = try FileManager.default.contentsOfDirectory(atPath: root + "/config/examples").filter {
            $0.hasSuffix(".star")
        }
        #expect(examples.count >= 3)
        for example in examples {
            _ = try ConfigLoader.load(
                path: root + "/config/examples/" + example, registry: registry, environment: [:])
        }
        let cluster = try ConfigLoader.load(
            path: root + "/config/examples/school-cluster-without-cpd.star", registry: registry,
            environment: [:])
        #expect(!cluster.enabledModules.contains("cpd"))
    }

    @Test func settingsAreValidatedAndDefaultsFilled() throws {
        let config = try load(
            """
            network(name = "Hilltop", time_zone = "Europe/London")
            server(port = 9000, trusted_proxies = ["10.0.0.1"])
            modules("membership", "blog")
            membership(signup = "approval", profile_questions = [question("school", "School", required = True)])
            """)
        #expect(config.networkName == "Hilltop")
        #expect(config.int("server", "port") == 9000)
        #expect(config.strings("server", "trusted_proxies") == ["10.0.0.1"])
        #expect(config.enabledModules == ["membership", "blog"])
        #expect(config.string("membership", "signup") == "approval")
        #expect(config.bool("membership", "directory_public") == false)
        let question = try #require(
            config.value("membership", "profile_questions")?.listValue?.first?.recordValue)
        #expect(question["type"] == .string("text"))
        #expect(question["required"] == .bool(true))
        #expect(config.int("blog", "posts_per_page") == 10)
    }

    @Test func readersDefaultToOnePerWorkerAndTwoForJobs() throws {
        let sized = try load("server(workers = 3)")
        #expect(sized.workerThreads == 3 && sized.readerConnections == 5)
        let both = try load("server(workers = 3)\nstorage(readers = 2)")
        #expect(both.readerConnections == 2)
        let automatic = try load("server()")
        #expect(automatic.workerThreads >= 4 && automatic.readerConnections == automatic.workerThreads + 2)
    }

    @Test func environmentReadsAreRecorded() throws {
        let config = try load(
            #"server(port = int(env("PORT", "8080")))\nstorage(path = env("DATA_DIR", "data") + "/x.sqlite")"#
                .replacingOccurrences(of: "\\n", with: "\n"), environment: ["PORT": "9123"])
        #expect(config.int("server", "port") == 9123)
        #expect(config.string("storage", "path") == "data/x.sqlite")
        #expect(config.environmentReads.map(\.name) == ["PORT", "DATA_DIR"])
        #expect(config.environmentReads.map(\.value) == ["9123", nil])
    }

    @Test func topLevelControlFlowWorks() throws {
        let config = try load(
            """
            SCHOOLS = ["A", "B"]
            mods = ["membership"]
            for extra in ["groups", "blog"]:
                mods.append(extra)
            if len(SCHOOLS) > 1:
                membership(profile_questions = [question("school", "School", type = "choice", options = SCHOOLS)])
            modules(*mods)
            """)
        #expect(config.enabledModules == ["membership", "groups", "blog"])
    }

    // Golden tests: the exact text operators see.

    @Test func goldenWrongChoiceWithSuggestion() {
        #expect(
            errors(#"membership(signup = "opne")"#) == """
                pln.star:1:12: error: membership.signup: expected one of "open", "approval", "invite", got "opne" — did you mean "open"?
                    1 | membership(signup = "opne")
                      |            ^~~~~~~~~~~~~~~
                """)
    }

    @Test func goldenUnknownSettingAndWrongTypeReportedTogether() {
        #expect(
            errors(
                """
                server(prot = 80)
                network(name = 3)
                """) == """
                    pln.star:1:8: error: server: unknown setting "prot" — did you mean "port"?
                        1 | server(prot = 80)
                          |        ^~~~~~~~~
                    pln.star:2:9: error: network.name: expected a string, got int 3
                        2 | network(name = 3)
                          |         ^~~~~~~~
                    """)
    }

    @Test func goldenUnknownFunctionName() {
        #expect(
            errors(#"netwrok(name = "x")"#) == """
                pln.star:1:1: error: name "netwrok" is not defined — did you mean "network"?
                    1 | netwrok(name = "x")
                      | ^~~~~~~
                """)
    }

    @Test func goldenDisabledDependencyNamesBoth() {
        #expect(
            errors(#"modules("blog", "groups")"#) == """
                pln.star:1:1: error: modules: module "blog" needs module "membership", which is disabled: enable "membership" or disable "blog"
                    1 | modules("blog", "groups")
                      | ^~~~~~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func outOfRangeAndUnknownModule() {
        let text = errors(
            """
            server(port = 99999)
            modules("membership", "blgo")
            """)
        #expect(text.contains("pln.star:1:8: error: server.port: must be at most 65535, got 99999"))
        #expect(text.contains(#"modules: unknown module "blgo" — did you mean "blog"?"#))
    }

    @Test func sectionsCanBeSetOnlyOnce() {
        #expect(
            errors("network(name = \"a\")\nnetwork(tagline = \"b\")").contains(
                "network() was already called at line 1"))
    }

    @Test func aRunawayScriptHitsTheStepBudget() {
        #expect(errors("def f():\n    for x in range(100000000):\n        pass\nf()").contains("step"))
    }

    @Test func loadIsConfinedToTheConfigFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pln-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("parts"), withIntermediateDirectories: true)
        try #"SCHOOLS = ["A", "B"]"#.write(
            to: folder.appendingPathComponent("parts/schools.star"), atomically: true, encoding: .utf8)
        try
            #"load("parts/schools.star", "SCHOOLS")\nmembership(profile_questions = [question("school", "School", type = "choice", options = SCHOOLS)])"#
            .replacingOccurrences(of: "\\n", with: "\n")
            .write(to: folder.appendingPathComponent("pln.star"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(
            path: folder.appendingPathComponent("pln.star").path, registry: registry, environment: [:])
        #expect(config.value("membership", "profile_questions")?.listValue?.count == 1)

        try #"load("../../etc/passwd.star", "x")"#.write(
            to: folder.appendingPathComponent("escape.star"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(
                path: folder.appendingPathComponent("escape.star").path, registry: registry, environment: [:])
        }
        try #"load("b.star", "y")\nx = 1"#.replacingOccurrences(of: "\\n", with: "\n").write(
            to: folder.appendingPathComponent("a.star"), atomically: true, encoding: .utf8)
        try #"load("a.star", "x")\ny = 2"#.replacingOccurrences(of: "\\n", with: "\n").write(
            to: folder.appendingPathComponent("b.star"), atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.load(
                path: folder.appendingPathComponent("a.star").path, registry: registry, environment: [:])
            Issue.record("a load cycle must fail")
        } catch {
            #expect(error.description.lowercased().contains("cycle"))
        }
    }

    @Test func theReferenceListsEverySetting() {
        let reference = ConfigLoader.reference(registry: registry)
        for manifest in KernelSettings.sections + registry.manifests {
            for setting in manifest.settings {
                #expect(reference.contains("\(manifest.id).\(setting.name): "))
            }
        }
    }
}
