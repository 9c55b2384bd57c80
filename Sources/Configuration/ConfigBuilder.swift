import Foundation
import Kernel
import Starlark

/// Collects what the script sets, checking each value's type as it is given and what it means
/// once the enabled modules are known (`finish`).
final class ConfigBuilder {
    /// Where something is written: a file and a span in it. `isAssignment` marks the span of a
    /// whole `name = value` (or `"key": value`), whose value part is found before going inside.
    struct Place {
        var file: String
        var span: Span
        var isAssignment = false
    }

    /// A setting the script gave, kept with its script value to place problems found later.
    struct Assignment {
        var section: String
        var setting: SettingSpec
        var value: SettingValue
        var scriptValue: Value
        var place: Place
    }

    /// A `question(…)` call, so that an error in a question points at it wherever it is written.
    struct QuestionCall {
        var dict: StarlarkDict
        var call: Place
        var fields: [String: Place]
    }

    /// An `env(name)` without a default whose variable is not set: it gave None.
    struct UnsetVariable {
        var name: String
        var place: Place
    }

    /// An `env(name, …)` whose variable is set: a bad value may come from the environment.
    struct SetVariable {
        var name: String
        var value: String
        var place: Place
    }

    let registry: ModuleRegistry
    let environment: [String: String]
    let filename: String
    var sources: [String: SourceText] = [:]
    var sections: [String: [String: SettingValue]] = [:]
    var sectionCalls: [String: Place] = [:]
    var assignments: [Assignment] = []
    var questionCalls: [ObjectIdentifier: QuestionCall] = [:]
    var unsetVariables: [UnsetVariable] = []
    var setVariables: [SetVariable] = []
    var enabled: [String]?
    var modulesCall: Span?
    var environmentReads: [(name: String, value: String?)] = []
    var errors: [Diagnostic] = []
    var warnings: [Diagnostic] = []

    init(registry: ModuleRegistry, environment: [String: String], filename: String, source: String) {
        self.registry = registry
        self.environment = environment
        self.filename = filename
        sources[filename] = SourceText(source)
    }

    var manifests: [ModuleManifest] { KernelSettings.sections + registry.manifests }

    func diagnostic(_ message: String, file: String, span: Span) -> Diagnostic {
        Diagnostic(
            phase: .runtime, file: file, span: span, message: message,
            sourceLine: sources[file]?.line(span.start.line))
    }

    func predeclared() -> [String: Value] {
        var names: [String: Value] = [:]
        names["env"] = .builtin(
            Builtin("env") { [unowned self] call in
                let args = try call.parse("name", "default?")
                guard let name = args[0]?.asString else {
                    throw call.error("env: name must be a string", argument: 0)
                }
                let value = environment[name]
                environmentReads.append((name, value))
                if let value {
                    setVariables.append(
                        SetVariable(name: name, value: value, place: Place(file: call.file, span: call.span)))
                    return .string(value)
                }
                if args[1] == nil {
                    unsetVariables.append(
                        UnsetVariable(name: name, place: Place(file: call.file, span: call.span)))
                }
                return args[1] ?? .none
            })
        names["modules"] = .builtin(Builtin("modules") { [unowned self] call in try enable(call) })
        names["question"] = .builtin(
            Builtin("question") { [unowned self] call in
                let parameters = ["id", "label", "type", "options", "required"]
                let args = try call.parse("id", "label", "type?", "options?", "required?")
                var entries: [(String, Value)] = []
                var fields: [String: Place] = [:]
                for (index, name) in parameters.enumerated() {
                    guard let value = args[index] else { continue }
                    entries.append((name, value))
                    if let span = call.keywordSpans[name] {
                        fields[name] = Place(file: call.file, span: span, isAssignment: true)
                    } else if index < call.argumentSpans.count {
                        fields[name] = Place(file: call.file, span: call.argumentSpans[index])
                    }
                }
                let value = Value.makeDict(entries)
                if let dict = value.asDict {
                    questionCalls[ObjectIdentifier(dict)] = QuestionCall(
                        dict: dict, call: Place(file: call.file, span: call.span), fields: fields)
                }
                return value
            })
        for manifest in manifests {
            let id = manifest.id
            names[id] = .builtin(
                Builtin(id) { [unowned self] call in
                    try configure(manifest, call)
                    return .none
                })
        }
        return names
    }

    func enable(_ call: Call) throws -> Value {
        try call.noKeywords()
        if let previous = modulesCall {
            throw call.error(
                "modules() was already called at line \(previous.start.line): call it once with every module to enable"
            )
        }
        modulesCall = call.span
        var ids: [String] = []
        let known = registry.manifests.map(\.id)
        var arguments = call.args
        var spans = call.argumentSpans
        if arguments.count == 1, let list = arguments[0].asList {
            arguments = list
            // modules(["a", "b"]): the items' own spans when the list is written there.
            let items = spans.first.flatMap { sources[call.file]?.itemSpans(of: $0) }
            spans = items?.count == list.count ? items ?? [] : []
        }
        for (index, value) in arguments.enumerated() {
            guard let id = value.asString else {
                var error = EvalError("expected module ids as strings, got \(value.typeName)")
                if spans.indices.contains(index) {
                    error.span = spans[index]
                    error.file = call.file
                }
                throw error
            }
            if !known.contains(id) {
                var message = "modules: unknown module \"\(id)\""
                if let close = Suggest.closest(id, among: known) {
                    message += " — did you mean \"\(close)\"?"
                }
                message += " (this binary has: \(known.joined(separator: ", ")))"
                let span = spans.indices.contains(index) ? spans[index] : call.span
                errors.append(diagnostic(message, file: call.file, span: span))
                continue
            }
            if !ids.contains(id) { ids.append(id) }
        }
        enabled = ids
        return .none
    }

    func configure(_ manifest: ModuleManifest, _ call: Call) throws {
        if !call.args.isEmpty {
            throw call.error(
                "\(manifest.id)() takes settings as keyword arguments, like \(manifest.id)(\(manifest.settings.first?.name ?? "name") = …)"
            )
        }
        if let previous = sectionCalls[manifest.id] {
            throw call.error(
                "\(manifest.id)() was already called at line \(previous.span.start.line): give all its settings in one call"
            )
        }
        sectionCalls[manifest.id] = Place(file: call.file, span: call.span)
        var values = sections[manifest.id] ?? [:]
        for (name, value) in call.kwargs {
            let place = Place(
                file: call.file, span: call.keywordSpans[name] ?? call.span,
                isAssignment: call.keywordSpans[name] != nil)
            guard let setting = manifest.settings.first(where: { $0.name == name }) else {
                var message = "\(manifest.id): unknown setting \"\(name)\""
                if let close = Suggest.closest(name, among: manifest.settings.map(\.name)) {
                    message += " — did you mean \"\(close)\"?"
                }
                errors.append(diagnostic(message, file: place.file, span: place.span))
                continue
            }
            switch SettingCheck.convert(value, to: setting.type) {
            case .success(let converted):
                values[name] = converted
                assignments.append(
                    Assignment(
                        section: manifest.id, setting: setting, value: converted, scriptValue: value,
                        place: place))
            case .failure(let found):
                for problem in found.problems {
                    report(problem, of: setting, in: manifest.id, value: value, at: place)
                }
            }
        }
        sections[manifest.id] = values
    }

    /// Adds a problem of a setting's value as an error (or warning) at the part of the value
    /// it is about.
    func report(
        _ problem: SettingProblem, of setting: SettingSpec, in section: String, value: Value, at place: Place
    ) {
        let target = self.place(of: problem.path, in: value, from: place)
        var message = SettingCheck.message(for: problem, setting: "\(section).\(setting.name)")
        if item(at: problem.path, in: value)?.isNone == true {
            if let note = unsetVariableNote(
                at: target, fallback: problem.path.isEmpty ? setting.default : nil)
            {
                message =
                    "\(section).\(setting.name)" + problem.path.map(\.description).joined() + ": " + note
            } else if let hint = unsetVariablesHint() {
                message += hint
            }
        } else if let note = setVariableNote(at: target) {
            message += note
        }
        let found = diagnostic(message, file: target.file, span: target.span)
        if problem.isWarning { warnings.append(found) } else { errors.append(found) }
    }

    /// Fills defaults, checks required settings, constraints and module dependencies.
    func finish() throws(ConfigError) -> DeploymentConfig {
        let enabledModules = enabled ?? registry.manifests.map(\.id)
        var resolved: [String: [String: SettingValue]] = [:]
        let wholeFile = Span(start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
        let kernelSections = Set(KernelSettings.sections.map(\.id))
        for manifest in manifests {
            var values = sections[manifest.id] ?? [:]
            for setting in manifest.settings where values[setting.name] == nil {
                if let fallback = setting.default {
                    values[setting.name] = fallback
                } else if kernelSections.contains(manifest.id) || enabledModules.contains(manifest.id) {
                    let place = sectionCalls[manifest.id] ?? Place(file: filename, span: wholeFile)
                    errors.append(
                        diagnostic(
                            "\(manifest.id).\(setting.name): this setting is required (\(setting.doc))",
                            file: place.file, span: place.span))
                }
            }
            resolved[manifest.id] = values
            if !kernelSections.contains(manifest.id), !enabledModules.contains(manifest.id),
                let call = sectionCalls[manifest.id]
            {
                warnings.append(
                    diagnostic(
                        "settings for module \"\(manifest.id)\", which is not enabled in modules(...): they have no effect",
                        file: call.file, span: call.span))
            }
        }
        let context = SettingContext(
            knownModules: registry.manifests.map(\.id), enabledModules: enabledModules)
        for assignment in assignments {
            let problems = SettingCheck.constraintProblems(
                assignment.value, type: assignment.setting.type, constraint: assignment.setting.constraint,
                context: context)
            for problem in problems {
                report(
                    problem, of: assignment.setting, in: assignment.section, value: assignment.scriptValue,
                    at: assignment.place)
            }
        }
        do {
            _ = try registry.resolve(enabled: enabledModules)
        } catch {
            errors.append(diagnostic("modules: \(error)", file: filename, span: modulesCall ?? wholeFile))
        }
        guard errors.isEmpty else {
            throw ConfigError(
                diagnostics: inReadingOrder(errors),
                warnings: inReadingOrder(warnings).map(Self.renderWarning))
        }
        return DeploymentConfig(
            sections: resolved, enabledModules: enabledModules, environmentReads: environmentReads,
            sourcePath: filename,
            warnings: inReadingOrder(warnings).map(Self.renderWarning))
    }

    /// Diagnostics by file (the main script first), then line and column.
    func inReadingOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.file != y.file { return x.file == filename || (y.file != filename && x.file < y.file) }
            if x.span.start != y.span.start { return x.span.start < y.span.start }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// A diagnostic rendered as a warning: `file:line:col: warning: …`.
    static func renderWarning(_ diagnostic: Diagnostic) -> String {
        let location = "\(diagnostic.file):\(diagnostic.line):\(diagnostic.column): "
        let text = diagnostic.rendered
        guard text.hasPrefix(location + "error: ") else { return text }
        return location + "warning: " + text.dropFirst(location.count + "error: ".count)
    }
}
