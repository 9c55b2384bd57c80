import Blog
import CPD
import Foundation
import Groups
import Membership
import Messages
import Moderation
import PLNTestSupport
import Storage

@testable import Kernel

let allModules: [any FeatureModule.Type] = [
    MembershipModule.self, GroupsModule.self, CPDModule.self, BlogModule.self, ModerationModule.self,
    MessagesModule.self,
]
let fullRegistry = ModuleRegistry(allModules)

func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pln-kernel-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func testConfig(enabling modules: [String]? = nil, folder: String = temporaryFolder()) -> DeploymentConfig {
    var config = DeploymentConfig.defaults(
        enabling: modules ?? fullRegistry.manifests.map(\.id), manifests: fullRegistry.manifests)
    // Fails loudly: a test meant for PostgreSQL must not quietly run on SQLite.
    try! config.useTestDatabase(in: folder)
    return config
}

func bootKernel(
    _ config: DeploymentConfig = testConfig(), clock: FixedClock = FixedClock(), registry: ModuleRegistry = fullRegistry
) throws -> Kernel {
    try Kernel.boot(config: config, registry: registry, clock: clock, log: .silent)
}
