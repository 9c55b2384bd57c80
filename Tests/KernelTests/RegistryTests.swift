import Foundation
import Storage
import Testing

@testable import Kernel

private struct A: FeatureModule {
    static let manifest = ModuleManifest(id: "a", title: "A", summary: "")
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}
private struct B: FeatureModule {
    static let manifest = ModuleManifest(id: "b", title: "B", summary: "", dependencies: ["a"])
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}
private struct C: FeatureModule {
    static let manifest = ModuleManifest(id: "c", title: "C", summary: "", dependencies: ["b", "a"])
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}
private struct X: FeatureModule {
    static let manifest = ModuleManifest(id: "x", title: "X", summary: "", dependencies: ["y"])
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}
private struct Y: FeatureModule {
    static let manifest = ModuleManifest(id: "y", title: "Y", summary: "", dependencies: ["x"])
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}
private struct Z: FeatureModule {
    static let manifest = ModuleManifest(id: "z", title: "Z", summary: "", dependencies: ["nowhere"])
    var migrations: [Migration] { [] }
    func bootstrap(_ context: ModuleContext) throws {}
}

@Suite struct RegistryTests {
    let registry = ModuleRegistry([C.self, B.self, A.self, X.self, Y.self, Z.self])

    @Test func resolvesDependenciesFirst() throws {
        let order = try registry.resolve(enabled: ["c", "b", "a"]).map { $0.manifest.id }
        #expect(order == ["a", "b", "c"])
    }

    @Test func aDisabledDependencyIsAnErrorNamingBoth() {
        #expect(throws: ModuleResolutionError.dependencyDisabled(module: "c", dependency: "b")) {
            try registry.resolve(enabled: ["c", "a"])
        }
        let message = ModuleResolutionError.dependencyDisabled(module: "c", dependency: "b").description
        #expect(message.contains("\"c\"") && message.contains("\"b\""))
    }

    @Test func aMissingDependencyIsAnError() {
        #expect(throws: ModuleResolutionError.dependencyMissing(module: "z", dependency: "nowhere")) {
            try registry.resolve(enabled: ["z"])
        }
    }

    @Test func cyclesAreDetected() {
        #expect(throws: ModuleResolutionError.cycle(["x", "y", "x"])) {
            try registry.resolve(enabled: ["x", "y"])
        }
    }

    @Test func unknownModulesGetASuggestion() {
        #expect(throws: ModuleResolutionError.unknownModule(id: "bb", suggestion: "b")) {
            try registry.resolve(enabled: ["a", "bb"])
        }
    }

    @Test func theShippedModulesDependOnMembership() throws {
        let order = try fullRegistry.resolve(enabled: ["blog", "groups", "cpd", "moderation", "membership"])
        #expect(order.first?.manifest.id == "membership")
        for id in ["groups", "cpd", "blog", "moderation"] {
            #expect(fullRegistry.module(id: id)?.manifest.dependencies == ["membership"])
        }
        #expect(throws: ModuleResolutionError.dependencyDisabled(module: "blog", dependency: "membership")) {
            try fullRegistry.resolve(enabled: ["blog"])
        }
    }

    @Test func editDistanceAndSuggestions() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(closestMatch(to: "opne", among: ["open", "approval", "invite"]) == "open")
        #expect(closestMatch(to: "zzzzzz", among: ["open", "approval"]) == nil)
    }
}

@Suite struct HTMLBuilderTests {
    @Test func interpolationEscapesEverySpecialCharacterAndKeepsTheRest() {
        let name = "Zoë <b>\"O'Brien\"</b> & 😿"
        let html: HTML = "<p title=\"\(name)\">\(name)</p>"
        let escaped = "Zoë &lt;b&gt;&quot;O&#39;Brien&quot;&lt;/b&gt; &amp; 😿"
        #expect(html.text == "<p title=\"\(escaped)\">\(escaped)</p>")
        #expect(HTML.escape("plain text, nothing special") == "plain text, nothing special")
        #expect(HTML.escape("&&") == "&amp;&amp;")
        #expect(HTML.escape("") == "")
    }

    @Test func urlsOnlyKeepSafeSchemes() {
        for unsafe in [
            "javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x",
            "//evil.example/x",
        ] {
            let html: HTML = "<a href=\"\(url: unsafe)\">x</a>"
            #expect(html.text == "<a href=\"#\">x</a>", "\(unsafe)")
        }
        for safe in ["https://example.org/a?b=1", "/members/erin", "mailto:a@example.org", "#top"] {
            #expect(HTML.safeURL(safe) == safe)
        }
    }

    @Test func urlTrimmingMatchesFoundationsCharacterSets() {
        let trim = CharacterSet.whitespacesAndNewlines.union(.controlCharacters)
        let edges = [
            "", " ", "\t", "\n\r", "\u{0}", "\u{85}", "\u{A0}", "\u{200B}", "\u{2028}", "\u{3000}",
            "\u{FEFF}", "\u{1F}",
        ]
        let cores = [
            "https://example.org/a b", "HTTPS://Example.org", "/members/erin", "java\u{0}script:alert(1)",
            "Mailto:x@y", "é:x", "",
        ]
        for core in cores {
            for before in edges {
                for after in edges {
                    let url = before + core + after
                    let expected = url.trimmingCharacters(in: trim)
                    let lowered = expected.lowercased()
                    if lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
                        || lowered.hasPrefix("mailto:")
                    {
                        #expect(HTML.safeURL(url) == expected, "\(url.debugDescription)")
                    } else if expected.hasPrefix("/") && !expected.hasPrefix("//") {
                        #expect(HTML.safeURL(url) == expected, "\(url.debugDescription)")
                    } else {
                        #expect(
                            HTML.safeURL(url) == "#" || HTML.safeURL(url) == expected,
                            "\(url.debugDescription)")
                    }
                }
            }
        }
        #expect(HTML.safeURL(" \u{200B}javascript:alert(1)") == "#")
        #expect(HTML.safeURL("\u{A0}HTTPS://Example.org\n") == "HTTPS://Example.org")
    }

    @Test func timestampsAreRFC3339InUTC() {
        #expect(JSONValue.timestamp(Date(timeIntervalSince1970: 1_795_933_580.9)) == "2026-11-29T06:26:20Z")
        #expect(JSONValue.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
