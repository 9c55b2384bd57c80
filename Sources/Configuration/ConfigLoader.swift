import Foundation
import Kernel
import Starlark

/// Every problem a config script has, each rendered as `file:line:col: error: …` with the
/// source line and a caret.
public struct ConfigError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
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
            load: { module, from in try Self.confinedLoad(module, from: from, folder: folder) })
        interpreter.printHandler = { _ in }
        do {
            _ = try interpreter.execute(filename: filename, source: source, predeclared: builder.predeclared())
        } catch {
            throw ConfigError(diagnostics: error.diagnostics + builder.errors)
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
                lines.append("      default: \(setting.default.map { $0.description } ?? "(required)")")
                lines.append("      \(setting.doc)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Collects what the script sets, checking each value as it is given.
final class ConfigBuilder {
    let registry: ModuleRegistry
    let environment: [String: String]
    let filename: String
    let sourceLines: [String]
    var sections: [String: [String: SettingValue]] = [:]
    var sectionCalls: [String: Span] = [:]
    var enabled: [String]?
    var modulesCall: Span?
    var environmentReads: [(name: String, value: String?)] = []
    var errors: [Diagnostic] = []

    init(registry: ModuleRegistry, environment: [String: String], filename: String, source: String) {
        self.registry = registry
        self.environment = environment
        self.filename = filename
        sourceLines = source.components(separatedBy: "\n")
    }

    var manifests: [ModuleManifest] { KernelSettings.sections + registry.manifests }

    func diagnostic(_ message: String, file: String, span: Span) -> Diagnostic {
        let line = file == filename && span.start.line >= 1 && span.start.line <= sourceLines.count
            ? sourceLines[span.start.line - 1] : nil
        return Diagnostic(phase: .runtime, file: file, span: span, message: message, sourceLine: line)
    }

    func predeclared() -> [String: Value] {
        var names: [String: Value] = [:]
        names["env"] = .builtin(Builtin("env") { [unowned self] call in
            let args = try call.parse("name", "default?")
            guard let name = args[0]?.asString else { throw call.error("env: name must be a string", argument: 0) }
            let value = environment[name]
            environmentReads.append((name, value))
            if let value { return .string(value) }
            return args[1] ?? .none
        })
        names["modules"] = .builtin(Builtin("modules") { [unowned self] call in
            try call.noKeywords()
            if let previous = modulesCall {
                throw call.error("modules() was already called at line \(previous.start.line): call it once with every module to enable")
            }
            modulesCall = call.span
            var ids: [String] = []
            let known = registry.manifests.map(\.id)
            var arguments = call.args
            if arguments.count == 1, let list = arguments[0].asList { arguments = list }
            for (index, value) in arguments.enumerated() {
                guard let id = value.asString else { throw call.error("modules: expected module ids as strings, got \(value.typeName)", argument: index) }
                if !known.contains(id) {
                    var message = "modules: unknown module \"\(id)\""
                    if let close = Suggest.closest(id, among: known) { message += " — did you mean \"\(close)\"?" }
                    message += " (this binary has: \(known.joined(separator: ", ")))"
                    errors.append(diagnostic(message, file: call.file, span: call.argumentSpans.indices.contains(index) ? call.argumentSpans[index] : call.span))
                    continue
                }
                if !ids.contains(id) { ids.append(id) }
            }
            enabled = ids
            return .none
        })
        names["question"] = .builtin(Builtin("question") { call in
            let args = try call.parse("id", "label", "type?", "options?", "required?")
            var entries: [(String, Value)] = [("id", args[0] ?? .none), ("label", args[1] ?? .none)]
            if let type = args[2] { entries.append(("type", type)) }
            if let options = args[3] { entries.append(("options", options)) }
            if let required = args[4] { entries.append(("required", required)) }
            return Value.makeDict(entries)
        })
        for manifest in manifests {
            let id = manifest.id
            names[id] = .builtin(Builtin(id) { [unowned self] call in
                try configure(manifest, call)
                return .none
            })
        }
        return names
    }

    func configure(_ manifest: ModuleManifest, _ call: Call) throws {
        if !call.args.isEmpty { throw call.error("\(manifest.id)() takes settings as keyword arguments, like \(manifest.id)(\(manifest.settings.first?.name ?? "name") = …)") }
        if let previous = sectionCalls[manifest.id] {
            throw call.error("\(manifest.id)() was already called at line \(previous.start.line): give all its settings in one call")
        }
        sectionCalls[manifest.id] = call.span
        var values = sections[manifest.id] ?? [:]
        for (name, value) in call.kwargs {
            let span = call.keywordSpans[name] ?? call.span
            guard let setting = manifest.settings.first(where: { $0.name == name }) else {
                var message = "\(manifest.id): unknown setting \"\(name)\""
                if let close = Suggest.closest(name, among: manifest.settings.map(\.name)) { message += " — did you mean \"\(close)\"?" }
                errors.append(diagnostic(message, file: call.file, span: span))
                continue
            }
            switch Self.convert(value, to: setting.type, path: "\(manifest.id).\(name)") {
            case .success(let converted): values[name] = converted
            case .failure(let problem): errors.append(diagnostic(problem.message, file: call.file, span: span))
            }
        }
        sections[manifest.id] = values
    }

    struct Problem: Error { var message: String }

    static func describe(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        default: return value.repr
        }
    }

    /// Checks a script value against a setting's type.
    static func convert(_ value: Value, to type: SettingType, path: String) -> Result<SettingValue, Problem> {
        func fail(_ expected: String) -> Result<SettingValue, Problem> {
            .failure(Problem(message: "\(path): expected \(expected), got \(value.typeName) \(describe(value))"))
        }
        switch type {
        case .string:
            guard let text = value.asString else { return fail("a string") }
            return .success(.string(text))
        case .bool:
            guard case .bool(let flag) = value else { return fail("True or False") }
            return .success(.bool(flag))
        case .float:
            if case .float(let number) = value { return .success(.float(number)) }
            if case .int(let number) = value { return .success(.float(Double(number))) }
            return fail("a number")
        case .int(let minimum, let maximum):
            guard case .int(let number) = value else { return fail("a whole number") }
            if let minimum, number < minimum { return .failure(Problem(message: "\(path): must be at least \(minimum), got \(number)")) }
            if let maximum, number > maximum { return .failure(Problem(message: "\(path): must be at most \(maximum), got \(number)")) }
            return .success(.int(number))
        case .choice(let options):
            let expected = "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
            guard let text = value.asString else { return fail(expected) }
            guard options.contains(text) else {
                var message = "\(path): expected \(expected), got \"\(text)\""
                if let close = Suggest.closest(text, among: options) { message += " — did you mean \"\(close)\"?" }
                return .failure(Problem(message: message))
            }
            return .success(.string(text))
        case .list(let element):
            let items: [Value]
            if let list = value.asList { items = list } else if case .tuple(let tuple) = value { items = tuple } else { return fail("a list") }
            var converted: [SettingValue] = []
            for (index, item) in items.enumerated() {
                switch convert(item, to: element, path: "\(path)[\(index)]") {
                case .success(let value): converted.append(value)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(.list(converted))
        case .record(let fields):
            guard let dict = value.asDict else { return fail("a dict (or question(…))") }
            var record: [String: SettingValue] = [:]
            for (key, item) in dict.entries {
                guard let name = key.asString else { return .failure(Problem(message: "\(path): keys must be strings, got \(key.typeName)")) }
                guard let field = fields.first(where: { $0.name == name }) else {
                    var message = "\(path): unknown field \"\(name)\""
                    if let close = Suggest.closest(name, among: fields.map(\.name)) { message += " — did you mean \"\(close)\"?" }
                    return .failure(Problem(message: message))
                }
                switch convert(item, to: field.type, path: "\(path).\(name)") {
                case .success(let value): record[name] = value
                case .failure(let problem): return .failure(problem)
                }
            }
            for field in fields where record[field.name] == nil {
                guard let fallback = field.default else {
                    return .failure(Problem(message: "\(path): missing required field \"\(field.name)\" (\(field.doc))"))
                }
                record[field.name] = fallback
            }
            return .success(.record(record))
        }
    }

    /// Fills defaults, checks required settings and module dependencies.
    func finish() throws(ConfigError) -> DeploymentConfig {
        let enabledModules = enabled ?? registry.manifests.map(\.id)
        var resolved: [String: [String: SettingValue]] = [:]
        let wholeFile = Span(start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
        for manifest in manifests {
            var values = sections[manifest.id] ?? [:]
            for setting in manifest.settings where values[setting.name] == nil {
                if let fallback = setting.default {
                    values[setting.name] = fallback
                } else if KernelSettings.sections.contains(where: { $0.id == manifest.id }) || enabledModules.contains(manifest.id) {
                    errors.append(diagnostic("\(manifest.id).\(setting.name): this setting is required (\(setting.doc))", file: filename, span: sectionCalls[manifest.id] ?? wholeFile))
                }
            }
            resolved[manifest.id] = values
        }
        do {
            _ = try registry.resolve(enabled: enabledModules)
        } catch {
            errors.append(diagnostic("modules: \(error)", file: filename, span: modulesCall ?? wholeFile))
        }
        guard errors.isEmpty else { throw ConfigError(diagnostics: errors) }
        return DeploymentConfig(sections: resolved, enabledModules: enabledModules, environmentReads: environmentReads, sourcePath: filename)
    }
}
