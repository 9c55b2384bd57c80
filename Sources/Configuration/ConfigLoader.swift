import Foundation
import Kernel
import Starlark

/// Every problem a config script has, each rendered as `file:line:col: error: …` with the
/// source line and a caret, and the warnings after them.
public struct ConfigError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// Warnings found alongside the errors, rendered (`file:line:col: warning: …`).
    public var warnings: [String]

    public init(diagnostics: [Diagnostic], warnings: [String] = []) {
        self.diagnostics = diagnostics
        self.warnings = warnings
    }

    public var description: String { (diagnostics.map(\.rendered) + warnings).joined(separator: "\n") }
}

/// Runs a deployment's Starlark config script and validates it against the schema the kernel
/// and the modules declare.
///
/// ```swift
/// let config = try ConfigLoader.load(path: "config/pln.star", registry: registry)
/// config.enabledModules   // ["membership", "blog"]
/// ```
public enum ConfigLoader {
    public static let defaultPath = "config/pln.star"

    public static func load(
        path: String, registry: ModuleRegistry, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> DeploymentConfig {
        let source: String
        do {
            source = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(diagnostics: [
                Diagnostic(phase: .runtime, file: path, span: Span(start: .init(line: 1, column: 1), end: .init(line: 1, column: 1)), message: "cannot read the config script: \(error.localizedDescription)")
            ])
        }
        return try load(source: source, filename: path, registry: registry, environment: environment)
    }

    public static func load(
        source: String, filename: String, registry: ModuleRegistry, environment: [String: String] = [:]
    ) throws(ConfigError) -> DeploymentConfig {
        let builder = ConfigBuilder(registry: registry, environment: environment, filename: filename, source: source)
        let folder = URL(fileURLWithPath: (filename as NSString).deletingLastPathComponent.isEmpty ? "." : (filename as NSString).deletingLastPathComponent).standardizedFileURL.path
        let interpreter = Interpreter(
            limits: Limits(maxSteps: 1_000_000, maxCallDepth: 64, maxCollectionSize: 100_000),
            load: { [builder] module, from in
                let loaded = try Self.confinedLoad(module, from: from, folder: folder)
                builder.sources[loaded.filename] = SourceText(loaded.source)
                return loaded
            })
        interpreter.printHandler = { _ in }
        do {
            _ = try interpreter.execute(filename: filename, source: source, predeclared: builder.predeclared())
        } catch {
            throw ConfigError(diagnostics: error.diagnostics.map(builder.explainingUnsetVariables) + builder.errors)
        }
        return try builder.finish()
    }

    /// `load()` may only read files inside the config folder.
    static func confinedLoad(_ module: String, from: String, folder: String) throws -> (source: String, filename: String) {
        let base = (from as NSString).deletingLastPathComponent
        let candidate = module.hasPrefix("/") ? module : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(module)
        let resolved = URL(fileURLWithPath: candidate).standardizedFileURL.resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(root + "/") else {
            throw EvalError("load(\"\(module)\"): only files inside the config folder \(folder) can be loaded")
        }
        do {
            return (try String(contentsOfFile: resolved, encoding: .utf8), candidate)
        } catch {
            throw EvalError("load(\"\(module)\"): cannot read \(candidate)")
        }
    }

    /// Every setting of the kernel and of every compiled-in module: type, default, doc.
    public static func reference(registry: ModuleRegistry) -> String {
        var lines: [String] = ["# PLN configuration reference", ""]
        lines.append("Functions: env(name, default = None), modules(*ids), question(id, label, type, options, required),")
        lines.append("and one function per section below, taking its settings as keyword arguments.")
        for manifest in KernelSettings.sections + registry.manifests {
            lines.append("")
            let kind = KernelSettings.sections.contains(where: { $0.id == manifest.id }) ? "kernel section" : "module"
            let dependencies = manifest.dependencies.isEmpty ? "" : " (needs \(manifest.dependencies.joined(separator: ", ")))"
            lines.append("## \(manifest.id)(…) — \(kind): \(manifest.summary)\(dependencies)")
            for setting in manifest.settings {
                lines.append("  \(manifest.id).\(setting.name): \(setting.type)")
                if let constraint = setting.constraint { lines.append("      must be: \(constraint.summary)") }
                lines.append("      default: \(setting.default.map { $0.description } ?? "(required)")")
                lines.append("      \(setting.doc)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
