import Foundation
import Storage
import Testing

@testable import Kernel

/// Settings are read through ``ModuleSettings``: defaults come from the manifest only, and a
/// module's code names only settings its manifest declares.
@Suite struct ModuleSettingsTests {
    static let manifest = ModuleManifest(
        id: "sample", title: "Sample", summary: "For tests.",
        settings: [
            .init(name: "per_page", type: .int(min: 1, max: 50), default: .int(12), doc: "Page size."),
            .init(name: "open", type: .bool, default: .bool(true), doc: "Open."),
            .init(name: "mode", type: .choice(["a", "b"]), default: .string("b"), doc: "Mode."),
            .init(name: "words", type: .list(.string), default: .list([.string("x")]), doc: "Words."),
            .init(
                name: "questions",
                type: .list(
                    .record([
                        .init(name: "id", type: .string, default: nil, doc: "Key."),
                        .init(name: "kind", type: .string, default: .string("text"), doc: "Kind."),
                    ])),
                default: .list([]), doc: "Questions."),
        ])

    @Test func anUnsetSettingReadsAsTheManifestsDefault() {
        let settings = ModuleSettings(Self.manifest, values: [:])
        #expect(settings.int("per_page") == 12)
        #expect(settings.bool("open"))
        #expect(settings.string("mode") == "b")
        #expect(settings.strings("words") == ["x"])
        #expect(settings.records("questions").isEmpty)
    }

    @Test func aConfiguredValueWinsOverTheDefault() {
        let settings = ModuleSettings(
            Self.manifest,
            values: [
                "per_page": .int(3), "open": .bool(false), "mode": .string("a"), "words": .list([]),
                "questions": .list([.record(["id": .string("school")])]),
            ])
        #expect(settings.int("per_page") == 3)
        #expect(!settings.bool("open"))
        #expect(settings.string("mode") == "a")
        #expect(settings.strings("words") == [])
        let question = settings.records("questions")
        #expect(question.map { $0.string("id") } == ["school"])
        #expect(
            question.map { $0.string("kind") } == ["text"], "a record's field falls back to its own default")
    }

    @Test func servicesReadAModulesSectionOfTheDeploymentConfig() throws {
        var config = DeploymentConfig.defaults(enabling: ["sample"])
        config.sections["sample"] = ["per_page": .int(7)]
        let services = Services(
            config: config, database: try Database(path: temporaryFolder() + "/settings.sqlite"))
        #expect(services.settings(of: Self.manifest).int("per_page") == 7)
        #expect(services.settings(of: Self.manifest).string("mode") == "b")
    }

    /// Reads of the form `settings.int("name")` (and of a record's fields) in every module's
    /// source, checked against that module's manifest: a typo or a setting that was never
    /// declared fails here, not in production.
    @Test func everyModuleReadsOnlyTheSettingsItsManifestDeclares() throws {
        let pattern =
            #"\b(?:settings(?:\(of: \w+\.manifest\))?|question)\s*\.(?:int|bool|string|strings|records)\("([^"]*)"\)"#
        let expression = try NSRegularExpression(pattern: pattern)
        var undeclared: [String] = []
        var reads = 0
        for type in allModules {
            let manifest = type.manifest
            var declared = Set(manifest.settings.map(\.name))
            for spec in manifest.settings {
                if case .list(.record(let fields)) = spec.type { declared.formUnion(fields.map(\.name)) }
            }
            let folder = "Plugins/" + Self.folder(of: manifest.id)
            for file in ArchitectureTests.swiftFiles(under: folder) {
                let source = try String(contentsOf: file, encoding: .utf8)
                let range = NSRange(source.startIndex..., in: source)
                for match in expression.matches(in: source, range: range) {
                    guard let nameRange = Range(match.range(at: 1), in: source) else { continue }
                    reads += 1
                    let name = String(source[nameRange])
                    if !declared.contains(name) { undeclared.append("\(file.lastPathComponent): \(name)") }
                }
            }
        }
        #expect(reads >= 20, "the scan found the modules' settings reads")
        #expect(undeclared == [])
    }

    static func folder(of moduleID: String) -> String {
        moduleID == "cpd" ? "CPD" : moduleID.prefix(1).uppercased() + moduleID.dropFirst()
    }
}
