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
