import Configuration
import Foundation
import Kernel
import Starlark

/// Reads the deployment's config script (default `config/pln.star`).
func loadDeploymentConfig(path: String?, registry: ModuleRegistry) throws -> DeploymentConfig {
    let file = path ?? ConfigLoader.defaultPath
    do {
        return try ConfigLoader.load(path: file, registry: registry)
    } catch {
        throw ConsoleError.failure("the config script has errors:\n\(error)", hint: "fix them, then run `pln config check \(file)`")
    }
}

/// `pln config check|show|reference`.
func configCommand(_ app: CommandLineApp) -> CommandSpec {
    CommandSpec(
        name: "config", abstract: "Check and explain the deployment's config script.",
        subcommands: [
            CommandSpec(
                name: "check", abstract: "Run the config script and report every error (exit 1 when there are any).",
                arguments: [.positional("file", "The script (default: --config or config/pln.star).", optional: true)]
            ) { args, console in
                let file = args["file"] ?? app.selectedConfigPath ?? ConfigLoader.defaultPath
                do {
                    let config = try ConfigLoader.load(path: file, registry: app.registry)
                    for warning in config.warnings { console.error(warning) }
                    let count = config.warnings.count
                    let warned = count == 0 ? "" : " (\(count) warning\(count == 1 ? "" : "s"))"
                    console.print("\(file): ok — modules: \(config.enabledModules.joined(separator: ", "))\(warned)")
                } catch let error as ConfigError {
                    console.error(error.description)
                    let count = error.diagnostics.count
                    throw ConsoleError.failure("\(file): \(count) error\(count == 1 ? "" : "s")")
                }
            },
            CommandSpec(
                name: "show", abstract: "Print the resolved settings (secrets masked) and the environment variables read.",
                arguments: [.flag("json", "Print JSON.")]
            ) { args, console in
                let config = try app.config()
                let manifests = KernelSettings.sections + app.registry.manifests
                func shown(_ section: String, _ name: String, _ value: SettingValue) -> SettingValue {
                    let secret = manifests.first { $0.id == section }?.settings.first { $0.name == name }?.isSecret ?? false
                    return secret ? .string("********") : value
                }
                let order = manifests.map(\.id).filter { config.sections[$0] != nil }
                if args.json {
                    var sections: [(String, JSONValue)] = []
                    for id in order {
                        let values = config.sections[id] ?? [:]
                        sections.append((id, .object(values.keys.sorted().map { name in (name, settingJSON(shown(id, name, values[name] ?? .bool(false)))) })))
                    }
                    console.printJSON(.object([
                        ("source", JSONValue(config.sourcePath)),
                        ("modules", .array(config.enabledModules.map(JSONValue.string))),
                        ("settings", .object(sections)),
                        ("environment", .array(config.environmentReads.map { ["name": .string($0.name), "set": .bool($0.value != nil)] })),
                    ]))
                } else {
                    console.print("# \(config.sourcePath ?? "defaults")")
                    console.print("modules: \(config.enabledModules.joined(separator: ", "))")
                    for id in order {
                        let values = config.sections[id] ?? [:]
                        for name in values.keys.sorted() { console.print("\(id).\(name) = \(shown(id, name, values[name] ?? .bool(false)))") }
                    }
                    if !config.environmentReads.isEmpty {
                        console.print("environment read: " + config.environmentReads.map { "\($0.name) (\($0.value == nil ? "unset" : "set"))" }.joined(separator: ", "))
                    }
                }
            },
            CommandSpec(name: "reference", abstract: "Every setting of the kernel and every module: type, default, doc.") { _, console in
                console.print(ConfigLoader.reference(registry: app.registry))
            },
        ])
}

/// `pln starlark run FILE [--test]`.
func starlarkCommand() -> CommandSpec {
    CommandSpec(
        name: "starlark", abstract: "Run Starlark programs (the config language).",
        subcommands: [
            CommandSpec(
                name: "run", abstract: "Execute a standalone Starlark file and print its globals.",
                discussion: "With --test, the file is a conformance test: assert.star helpers are predeclared and chunks separated by --- run one by one.",
                arguments: [.positional("file", "The .star file."), .flag("test", "Run as a conformance test file.")]
            ) { args, console in
                let path = try args.required("file")
                if args.flag("test") {
                    let report = Conformance.runFile(path: path)
                    for chunk in report.chunks {
                        if case .failed(let why) = chunk.outcome {
                            console.print("chunk \(chunk.index) (line \(chunk.firstLine)): FAILED\n  " + why.replacingOccurrences(of: "\n", with: "\n  "))
                        } else if case .skipped(let reason) = chunk.outcome {
                            console.print("chunk \(chunk.index) (line \(chunk.firstLine)): skipped: \(reason)")
                        }
                    }
                    console.print(report.summary)
                    if !report.failed.isEmpty {
                        throw ConsoleError.failure(
                            "\(report.failed.count) chunks failed",
                            hint: "PLN's dialect has 64-bit integers and no set, bytes, json or while: chunks that need them fail here; the conformance test lists them with reasons in Tests/StarlarkTests/ConformanceTests.swift")
                    }
                    return
                }
                guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw ConsoleError.failure("cannot read \(path)")
                }
                let folder = (path as NSString).deletingLastPathComponent
                let interpreter = Interpreter(load: { module, _ in
                    let file = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(module)
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw EvalError("cannot read \(file)") }
                    return (text, file)
                })
                interpreter.printHandler = { console.print($0) }
                do {
                    for (name, value) in try interpreter.executeOrdered(filename: path, source: source) where !name.hasPrefix("_") {
                        console.print("\(name) = \(value.repr)")
                    }
                } catch {
                    console.error("\(error)")
                    throw ConsoleError.failure("\(path) failed")
                }
            }
        ])
}


func settingJSON(_ value: SettingValue) -> JSONValue {
    switch value {
    case .string(let v): return .string(v)
    case .int(let v): return .int(v)
    case .float(let v): return .double(v)
    case .bool(let v): return .bool(v)
    case .list(let v): return .array(v.map(settingJSON))
    case .record(let v): return .object(v.keys.sorted().map { ($0, settingJSON(v[$0] ?? .bool(false))) })
    }
}
