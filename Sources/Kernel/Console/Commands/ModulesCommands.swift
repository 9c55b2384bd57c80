import Foundation

/// `pln admin modules list|purge`.
enum ModulesCommands {
    static func group(_ app: CommandLineApp) -> CommandSpec {
        .group(
            "modules", abstract: "List, and purge the data of, feature modules.",
            [.command(ListModules.self, app), .command(PurgeModule.self, app)])
    }
}

struct ListModules: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "list", abstract: "List compiled-in modules, their dependencies and whether they are enabled.")
    @Flag(help: "Print JSON.") var json: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let enabled = Set((try? app.config().enabledModules) ?? [])
        let manifests = app.registry.manifests
        if json {
            console.printJSON(
                .array(
                    manifests.map { manifest in
                        .object([
                            ("id", .string(manifest.id)), ("title", .string(manifest.title)),
                            ("summary", .string(manifest.summary)),
                            ("dependencies", .array(manifest.dependencies.map(JSONValue.string))),
                            ("enabled", .bool(enabled.contains(manifest.id))),
                        ])
                    }))
        } else {
            console.table(
                ["MODULE", "ENABLED", "DEPENDS ON", "SUMMARY"],
                manifests.map {
                    [
                        $0.id, enabled.contains($0.id) ? "yes" : "no",
                        $0.dependencies.isEmpty ? "-" : $0.dependencies.joined(separator: ", "), $0.summary,
                    ]
                })
        }
    }
}

struct PurgeModule: AdminCommand {
    static let configuration = CommandConfiguration(
        name: "purge", abstract: "Delete every table and row of a disabled module.",
        discussion:
            "The module must be disabled in the config script. This cannot be undone: take a backup first.")
    @Argument(help: "The module's id.") var id: String
    @Flag(help: "Do not ask for confirmation.") var yes: Bool

    func run(_ app: CommandLineApp, console: Console) throws {
        let config = try app.config()
        let database = try app.kernel().services.database
        if app.registry.module(id: id) != nil, !config.enabledModules.contains(id) {
            try console.requireConfirmation(
                "Delete every table and row of module \"\(id)\" in \(database.path)?", unless: yes)
        }
        try Kernel.purge(moduleID: id, registry: app.registry, config: config, database: database)
        console.print("purged module \(id)")
    }
}
